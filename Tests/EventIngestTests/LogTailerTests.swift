import Foundation
import XCTest

@testable import EventIngest

final class LogTailerTests: XCTestCase {
    func testLinesOffsetsAndPartialLineHeldUntilItsNewline() throws {
        let dir = try LogDirectory()
        try dir.append("first\nsecond\nthi")
        let tailer = LogTailer(path: dir.live, cursor: nil)
        let batch = try tailer.readBatch()
        XCTAssertEqual(batch.lines.map { String(decoding: $0.bytes, as: UTF8.self) }, ["first", "second"])
        XCTAssertEqual(batch.lines.map(\.offset), [0, 6])
        XCTAssertEqual(batch.lines.first?.path, dir.live)
        XCTAssertEqual(batch.cursor?.offset, 13, "the cursor stays before the partial line")
        XCTAssertEqual(try tailer.drain().lines, [])
        try dir.append("rd\n")
        XCTAssertEqual(try tailer.drain().lines, ["third"])
        // A restart from the cursor before the partial line reads it whole, once.
        let restarted = LogTailer(path: dir.live, cursor: batch.cursor)
        XCTAssertEqual(try restarted.drain().lines, ["third"])
    }

    func testBatchLimitsAndResumeWithoutLossOrRepeat() throws {
        let dir = try LogDirectory()
        try dir.append((0..<100).map { "line \($0)\n" }.joined())
        var seen: [String] = []
        var cursor: FileCursor?
        for _ in 0..<30 {
            let tailer = LogTailer(path: dir.live, cursor: cursor)
            let batch = try tailer.readBatch(maxLines: 7)
            XCTAssertLessThanOrEqual(batch.lines.count, 7)
            seen += batch.lines.map { String(decoding: $0.bytes, as: UTF8.self) }
            cursor = batch.cursor
        }
        XCTAssertEqual(seen, (0..<100).map { "line \($0)" })
    }

    func testRenameRotationDrainsTheOldFileFirst() throws {
        let dir = try LogDirectory()
        try dir.append("1\n2\n")
        let tailer = LogTailer(path: dir.live, cursor: nil)
        XCTAssertEqual(try tailer.drain().lines, ["1", "2"])
        // The writer still holds the old file: it writes there after the rename, then moves over.
        let writer = try XCTUnwrap(FileHandle(forWritingAtPath: dir.live))
        try writer.seekToEnd()
        try dir.rename(dir.live, dir.path("app.log.1"))
        try writer.write(contentsOf: Data("3\n".utf8))
        XCTAssertEqual(try tailer.drain().lines, ["3"])
        FileManager.default.createFile(atPath: dir.live, contents: nil)
        XCTAssertEqual(try tailer.drain().lines, [], "an empty new file: the writer may still be on the old one")
        try writer.write(contentsOf: Data("4\npartial-but-last".utf8))
        try writer.close()
        try dir.append("5\n")
        XCTAssertEqual(try tailer.drain().lines, ["4", "partial-but-last", "5"])
        try dir.append("6\n")
        let (lines, cursor) = try tailer.drain()
        XCTAssertEqual(lines, ["6"])
        XCTAssertEqual(cursor?.inode, dir.inode(dir.live))
        XCTAssertEqual(cursor?.offset, 4)
    }

    func testCopyTruncateReadsTheRestFromTheCopy() throws {
        let dir = try LogDirectory()
        try dir.append("1\n2\n")
        let tailer = LogTailer(path: dir.live, cursor: nil)
        XCTAssertEqual(try tailer.drain().lines, ["1", "2"])
        try dir.append("3\n4\n")
        try dir.copyTruncate(to: "app.log.1")
        try dir.append("5\n")
        XCTAssertEqual(try tailer.drain().lines, ["3", "4", "5"])
    }

    func testCopyTruncateWhileStopped() throws {
        let dir = try LogDirectory()
        try dir.append("1\n2\n")
        let first = try LogTailer(path: dir.live, cursor: nil).drain()
        try dir.append("3\n")
        try dir.copyTruncate(to: "app.log.1")
        try dir.append("4\n")
        XCTAssertEqual(try LogTailer(path: dir.live, cursor: first.cursor).drain().lines, ["3", "4"])
    }

    func testTruncationWhileStoppedStartsFromZero() throws {
        let dir = try LogDirectory()
        try dir.append("a fairly long first line\nand a second one\n")
        let first = try LogTailer(path: dir.live, cursor: nil).drain()
        // Shorter than the cursor offset.
        XCTAssertEqual(truncate(dir.live, 0), 0)
        try dir.append("x\n")
        XCTAssertEqual(try LogTailer(path: dir.live, cursor: first.cursor).drain().lines, ["x"])
        // Longer than the offset but other content in place (same inode): the fingerprint tells.
        let second = try LogTailer(path: dir.live, cursor: nil).drain()
        XCTAssertEqual(truncate(dir.live, 0), 0)
        try dir.append("y: a different, longer first line\n")
        XCTAssertEqual(try LogTailer(path: dir.live, cursor: second.cursor).drain().lines, ["y: a different, longer first line"])
    }

    func testTruncationWhileRunningIsNoticed() throws {
        let dir = try LogDirectory()
        try dir.append("one\ntwo\n")
        let tailer = LogTailer(path: dir.live, cursor: nil)
        XCTAssertEqual(try tailer.drain().lines, ["one", "two"])
        XCTAssertEqual(truncate(dir.live, 0), 0)
        try dir.append("three and more\n")
        XCTAssertEqual(try tailer.drain().lines, ["three and more"])
    }

    func testNewFileOnAReusedInodeIsReadFromZero() throws {
        let dir = try LogDirectory()
        try dir.append("old content line\n")
        let first = try LogTailer(path: dir.live, cursor: nil).drain()
        let oldInode = dir.inode(dir.live)
        try FileManager.default.removeItem(atPath: dir.live)
        try dir.append("new content, longer than the old one\n")
        // Whether or not the file system reused the inode, the new file is read from its start.
        XCTAssertEqual(try LogTailer(path: dir.live, cursor: first.cursor).drain().lines, ["new content, longer than the old one"])
        // Force the reused-inode case: a cursor naming the current inode with the old file's fingerprint.
        var reused = try XCTUnwrap(first.cursor)
        reused.inode = try XCTUnwrap(dir.inode(dir.live))
        XCTAssertNotNil(oldInode)
        XCTAssertEqual(try LogTailer(path: dir.live, cursor: reused).drain().lines, ["new content, longer than the old one"])
    }

    func testFirstBackfillReadsRotatedGzipAndPlainSiblingsOldestFirst() throws {
        let dir = try LogDirectory()
        try dir.append("1\n2\n", to: dir.path("app.log.3"))
        try dir.append("3\n4\n", to: dir.path("app.log.2"))
        try dir.append("5\n6\n", to: dir.path("app.log.1"))
        try dir.append("7\n8\n")
        try dir.append("other\n", to: dir.path("unrelated.log"))
        try dir.setMTime(dir.path("app.log.3"), 1_000)
        try dir.setMTime(dir.path("app.log.2"), 2_000)
        try dir.setMTime(dir.path("app.log.1"), 3_000)
        try dir.gzip(dir.path("app.log.3"))
        try dir.gzip(dir.path("app.log.2"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.path("app.log.2.gz")))
        let tailer = LogTailer(path: dir.live, cursor: nil)
        let first = try tailer.readBatch(maxLines: 3)
        XCTAssertEqual(first.lines.map { String(decoding: $0.bytes, as: UTF8.self) }, ["1", "2", "3"])
        XCTAssertEqual(first.lines.last?.path, dir.path("app.log.2.gz"))
        XCTAssertEqual(first.cursor?.compressed, true)
        XCTAssertEqual(first.cursor?.offset, 2)
        // Resume inside the gzip file from the cursor.
        XCTAssertEqual(try LogTailer(path: dir.live, cursor: first.cursor).drain().lines, ["4", "5", "6", "7", "8"])
        XCTAssertEqual(try tailer.drain().lines, ["4", "5", "6", "7", "8"])
        // Without backfill only the live file is read.
        XCTAssertEqual(
            try LogTailer(path: dir.live, cursor: nil, options: LogTailerOptions(backfillRotated: false)).drain().lines, ["7", "8"])
    }

    func testRenamedAndCompressedWhileStopped() throws {
        let dir = try LogDirectory()
        try dir.append("1\n2\n")
        let tailer = LogTailer(path: dir.live, cursor: nil)
        let batch = try tailer.readBatch(maxLines: 1)
        XCTAssertEqual(batch.lines.count, 1)
        // Stopped; postfix logrotate: rename, new file, compress the old one.
        try dir.append("3\n")
        try dir.rename(dir.live, dir.path("app.log.20261125-115307"))
        try dir.append("4\n")
        try dir.gzip(dir.path("app.log.20261125-115307"))
        XCTAssertEqual(try LogTailer(path: dir.live, cursor: batch.cursor).drain().lines, ["2", "3", "4"])
    }

    func testMissingFileIsWaitedFor() throws {
        let dir = try LogDirectory()
        let tailer = LogTailer(path: dir.live, cursor: nil)
        let empty = try tailer.readBatch()
        XCTAssertEqual(empty.lines, [])
        XCTAssertNil(empty.cursor)
        try dir.append("hello\n")
        XCTAssertEqual(try tailer.drain().lines, ["hello"])
    }
}
