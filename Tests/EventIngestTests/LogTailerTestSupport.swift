import Foundation
import XCTest

@testable import EventIngest

/// A temporary directory with a log file and the rotations the tailer tests perform.
final class LogDirectory {
    let url: URL
    var live: String { url.appendingPathComponent("app.log").path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tailer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Appends `text` to `path` (created when missing).
    func append(_ text: String, to path: String? = nil) throws {
        let target = path ?? live
        if !FileManager.default.fileExists(atPath: target) { _ = FileManager.default.createFile(atPath: target, contents: nil) }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: target))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    func rename(_ from: String, _ to: String) throws {
        XCTAssertEqual(Foundation.rename(from, to), 0)
    }

    /// logrotate's copytruncate: copy the content aside, then truncate the live file in place.
    func copyTruncate(to name: String) throws {
        try FileManager.default.copyItem(atPath: live, toPath: path(name))
        XCTAssertEqual(truncate(live, 0), 0)
    }

    /// `gzip FILE` (replaces FILE by FILE.gz, keeping its mtime).
    func gzip(_ path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-f", path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    func setMTime(_ path: String, _ seconds: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: seconds)], ofItemAtPath: path)
    }

    func inode(_ path: String) -> UInt64? { FileIdentity.of(path: path)?.inode }
}

extension LogTailer {
    /// All lines available now, as text, with the final cursor.
    func drain(maxLines: Int = 1000) throws -> (lines: [String], cursor: FileCursor?) {
        var lines: [String] = []
        var cursor: FileCursor?
        while true {
            let batch = try readBatch(maxLines: maxLines)
            cursor = batch.cursor
            if batch.lines.isEmpty && batch.overlong.isEmpty { return (lines, cursor) }
            lines += batch.lines.map { String(decoding: $0.bytes, as: UTF8.self) }
        }
    }
}
