import Foundation

/// Paths and loaders shared by the ingest tests.
enum IngestFixtures {
    /// `/work/shared/samples/postfix` found from this file's location (worktree/Tests/EventIngestTests).
    static var samplesDirectory: URL {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            root.deletingLastPathComponent().appendingPathComponent("shared/samples/postfix"),
            URL(fileURLWithPath: "/work/shared/samples/postfix"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[1]
    }

    static func sample(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: samplesDirectory.appendingPathComponent(name)))
    }

    /// A mail written in a Swift literal: LF line ends become CRLF when `crlf` is set.
    static func mail(_ text: String, crlf: Bool = false) -> [UInt8] {
        Array((crlf ? text.replacingOccurrences(of: "\n", with: "\r\n") : text).utf8)
    }
}
