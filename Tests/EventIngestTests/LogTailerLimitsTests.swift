import Foundation
import XCTest

@testable import EventIngest

/// The tailer's limits: over-long lines are skipped whole and reported once (memory stays
/// bounded, the lines after them are read), a read that stops at its byte limit says so,
/// and a `.gz` given as the path is read to its end once and then stays quiet.
final class LogTailerLimitsTests: XCTestCase {
    func testOverlongLineIsSkippedAndReportedOnceWithItsPosition() throws {
        let dir = try LogDirectory()
        let long = String(repeating: "x", count: 1000)
        try dir.append("first\n" + long + "\nsecond\nthird\n")
        let tailer = LogTailer(path: dir.live, cursor: nil, options: LogTailerOptions(bufferSize: 64, maxLineLength: 128))
        var lines: [String] = []
        var overlong: [OverlongLine] = []
        while true {
            let batch = try tailer.readBatch(maxLines: 2)
            lines += batch.lines.map { String(decoding: $0.bytes, as: UTF8.self) }
            overlong += batch.overlong
            if batch.lines.isEmpty && batch.overlong.isEmpty { break }
        }
        XCTAssertEqual(lines, ["first", "second", "third"], "no piece of the long line is handed out as a line")
        XCTAssertEqual(overlong.count, 1)
        XCTAssertEqual(overlong.first?.offset, 6)
        XCTAssertEqual(overlong.first?.length, 1000)
        // Its head: what the tailer had of it (the 128-byte buffer), at most the excerpt length.
        XCTAssertEqual(overlong.first?.head, Array(long.utf8.prefix(min(128, OverlongLine.excerptLength))))
        XCTAssertEqual(tailer.cursor()?.offset, Int64(6 + 1001 + 7 + 6))
    }

    func testOverlongLineStillBeingWrittenIsReportedWhenItEnds() throws {
        let dir = try LogDirectory()
        try dir.append("a\n" + String(repeating: "y", count: 500))
        let tailer = LogTailer(path: dir.live, cursor: nil, options: LogTailerOptions(bufferSize: 64, maxLineLength: 128))
        let first = try tailer.readBatch()
        XCTAssertEqual(first.lines.map(\.bytes), [Array("a".utf8)])
        XCTAssertEqual(first.overlong, [])
        XCTAssertEqual(first.cursor?.offset, 2, "the cursor stays before the unfinished line")
        try dir.append(String(repeating: "y", count: 500) + "\nb\n")
        let second = try tailer.readBatch()
        XCTAssertEqual(second.overlong.map(\.length), [1000])
        XCTAssertEqual(second.lines.map(\.bytes), [Array("b".utf8)])
    }

    func testReadStoppingAtItsByteLimitSaysMoreIsWaiting() throws {
        let dir = try LogDirectory()
        try dir.append(String(repeating: String(repeating: "z", count: 99) + "\n", count: 50))
        let tailer = LogTailer(path: dir.live, cursor: nil)
        var count = 0
        try tailer.read(maxLines: 1000, maxBytes: 1000) { _, _, _ in count += 1 }
        XCTAssertEqual(count, 10)
        XCTAssertTrue(tailer.stoppedAtLimit, "fewer lines than maxLines, but the byte limit was reached")
        try tailer.read(maxLines: 1000, maxBytes: 1 << 20) { _, _, _ in count += 1 }
        XCTAssertEqual(count, 50)
        XCTAssertFalse(tailer.stoppedAtLimit)
    }

    func testGzipGivenAsThePathIsReadOnceThenQuiet() throws {
        let dir = try LogDirectory()
        let plain = dir.path("mail.log.2")
        try dir.append((1...30).map { "line \($0)" }.joined(separator: "\n") + "\n", to: plain)
        try dir.gzip(plain)
        let gz = plain + ".gz"
        let tailer = LogTailer(path: gz, cursor: nil, options: LogTailerOptions(backfillRotated: false))
        let batch = try tailer.readBatch()
        XCTAssertEqual(batch.lines.count, 30)
        XCTAssertFalse(tailer.stoppedAtLimit)
        // Its compressed size is below the decompressed position: that is no truncation.
        for _ in 0..<3 {
            let again = try tailer.readBatch()
            XCTAssertEqual(again.lines.count, 0)
            XCTAssertFalse(tailer.stoppedAtLimit)
            XCTAssertEqual(again.cursor, batch.cursor)
        }
        // A restart from the cursor resumes at the end instead of reading it again.
        let resumed = LogTailer(path: gz, cursor: batch.cursor, options: LogTailerOptions(backfillRotated: false))
        XCTAssertEqual(try resumed.readBatch().lines.count, 0)
    }
}
