import Foundation

/// Paths and loaders shared by the ingest tests.
enum IngestFixtures {
    /// The real captures of `shared/samples/postfix`, copied into the project
    /// (`Tests/Fixtures/postfix`) so the suite needs nothing outside the clone.
    static var samplesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/postfix")
    }

    static func sample(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: samplesDirectory.appendingPathComponent(name)))
    }

    /// A mail written in a Swift literal: LF line ends become CRLF when `crlf` is set.
    static func mail(_ text: String, crlf: Bool = false) -> [UInt8] {
        Array((crlf ? text.replacingOccurrences(of: "\n", with: "\r\n") : text).utf8)
    }
}
