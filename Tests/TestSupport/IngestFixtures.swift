import Foundation

/// Paths and loaders shared by the parser and ingest tests.
public enum IngestFixtures {
    /// Real captures of a Postfix on loopback (logs, DSNs), kept in `Tests/Fixtures/postfix`
    /// so the suite needs nothing outside the clone.
    public static var samplesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/postfix")
    }

    public static func sample(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: samplesDirectory.appendingPathComponent(name)))
    }

    /// A mail written in a Swift literal: LF line ends become CRLF when `crlf` is set.
    public static func mail(_ text: String, crlf: Bool = false) -> [UInt8] {
        Array((crlf ? text.replacingOccurrences(of: "\n", with: "\r\n") : text).utf8)
    }
}
