import Foundation
import TestSupport
import XCTest

@testable import EventIngest

/// A writer appends numbered lines (sometimes in two writes) while a rotator renames
/// (the writer keeps writing to the old file for a while), copy-truncates and
/// gzips; the reader reads random-size batches, commits its cursor, "crashes"
/// before committing, and restarts from the committed cursor many times.
/// What it read must be exactly what was written, in order.
final class LogTailerTortureTests: XCTestCase {
    private struct Writer {
        let dir: LogDirectory
        var handle: FileHandle
        /// After a rename the writer still writes to the old file until it reopens.
        var onOldFile = false
        var oldPath: String?
        var next = 0
        var pending: String?
        var written: [String] = []
        var rotations = 0

        mutating func write(_ rng: inout SeededGenerator) throws {
            if let rest = pending {
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(rest.utf8))
                pending = nil
            } else {
                for _ in 0..<Int.random(in: 1...5, using: &rng) {
                    let line = "L\(next) " + String(repeating: "p", count: Int.random(in: 0...90, using: &rng))
                    next += 1
                    written.append(line)
                    let full = line + "\n"
                    try handle.seekToEnd()
                    if Int.random(in: 0..<5, using: &rng) == 0 {
                        let cut = full.index(full.startIndex, offsetBy: Int.random(in: 1..<full.count, using: &rng))
                        try handle.write(contentsOf: Data(full[..<cut].utf8))
                        pending = String(full[cut...])
                        break
                    }
                    try handle.write(contentsOf: Data(full.utf8))
                }
            }
            if onOldFile, pending == nil, Bool.random(using: &rng) { try reopen() }
        }

        mutating func reopen() throws {
            try handle.close()
            _ = FileManager.default.createFile(atPath: dir.live, contents: nil)
            handle = try XCTUnwrap(FileHandle(forWritingAtPath: dir.live))
            onOldFile = false
            oldPath = nil
        }

        mutating func rotatedName() -> String {
            rotations += 1
            return dir.path("app.log.\(100_000 - rotations)")
        }
    }

    func testRandomRotationsStopsAndCrashesNeitherLoseNorRepeatLines() throws {
        // Seeds 1...40 pass (about 27 s); the suite runs four of them to stay fast.
        for seed in [1, 3, 19, 24] as [UInt64] {
            try torture(seed: seed, steps: 1200)
        }
    }

    private func torture(seed: UInt64, steps: Int) throws {
        var rng = SeededGenerator(seed: seed)
        let dir = try LogDirectory()
        _ = FileManager.default.createFile(atPath: dir.live, contents: nil)
        var writer = Writer(dir: dir, handle: try XCTUnwrap(FileHandle(forWritingAtPath: dir.live)))
        let options = seed % 2 == 0 ? LogTailerOptions(bufferSize: 64, maxLineLength: 4096) : LogTailerOptions()
        var committed: FileCursor?
        var reader = LogTailer(path: dir.live, cursor: nil, options: options)
        var read: [String] = []
        var gzips = 0
        var trace: [String] = []
        var restarts = 0

        func readBatch(commit: Bool) throws {
            let batch = try reader.readBatch(maxLines: Int.random(in: 1...40, using: &rng))
            trace.append("  batch commit=\(commit) \(batch.lines.map { String(decoding: $0.bytes.prefix(5), as: UTF8.self) }) -> \(batch.cursor.map { "\($0.inode)@\($0.offset)/\($0.fingerprintLength)" } ?? "-")")
            if commit {
                read += batch.lines.map { String(decoding: $0.bytes, as: UTF8.self) }
                committed = batch.cursor ?? committed
            } else {
                reader = LogTailer(path: dir.live, cursor: committed, options: options)
                restarts += 1
            }
        }

        for _ in 0..<steps {
            let op = Int.random(in: 0..<100, using: &rng)
            trace.append("op \(op) next=\(writer.next) read=\(read.count) pending=\(writer.pending != nil) old=\(writer.onOldFile) cursor=\(committed.map { "\($0.path.split(separator: "/").last!)@\($0.offset)" } ?? "-")")
            switch op {
            case 0..<40:
                try writer.write(&rng)
            case 40..<45 where writer.pending == nil && !writer.onOldFile:
                trace.append("  rename inode \(dir.inode(dir.live) ?? 0)")
                // Rename rotation; the writer keeps its descriptor on the old file for a while.
                let rotated = writer.rotatedName()
                try dir.rename(dir.live, rotated)
                writer.onOldFile = true
                writer.oldPath = rotated
            case 45..<48 where writer.pending == nil && !writer.onOldFile:
                try dir.copyTruncate(to: URL(fileURLWithPath: writer.rotatedName()).lastPathComponent)
            case 48..<50 where gzips < 12:
                // Compress a rotated file the writer is done with.
                let names = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
                    .filter { $0.hasPrefix("app.log.") && !$0.hasSuffix(".gz") }.map(dir.path).filter { $0 != writer.oldPath }
                if let victim = names.randomElement(using: &rng) {
                    trace.append("  gzip \(victim.split(separator: "/").last!) inode \(dir.inode(victim) ?? 0)")
                    try dir.gzip(victim)
                    gzips += 1
                }
            case 50..<80:
                try readBatch(commit: true)
            case 80..<84:
                try readBatch(commit: false)  // killed before the commit
            case 84..<92:
                reader = LogTailer(path: dir.live, cursor: committed, options: options)
                restarts += 1
            default:
                break
            }
        }
        // Finish writing (complete the partial line, move to the new file), then read everything.
        while writer.pending != nil || writer.onOldFile { try writer.write(&rng) }
        try writer.write(&rng)
        while writer.pending != nil { try writer.write(&rng) }
        try writer.handle.close()
        reader = LogTailer(path: dir.live, cursor: committed, options: options)
        var idle = 0
        while idle < 3 {
            let batch = try reader.readBatch(maxLines: 100)
            read += batch.lines.map { String(decoding: $0.bytes, as: UTF8.self) }
            committed = batch.cursor ?? committed
            idle = batch.lines.isEmpty ? idle + 1 : 0
        }
        XCTAssertGreaterThan(writer.rotations, 10, "seed \(seed)")
        XCTAssertGreaterThan(restarts, 50, "seed \(seed)")
        XCTAssertEqual(read.count, writer.written.count, "seed \(seed)")
        XCTAssertEqual(Set(read).count, read.count, "no line twice, seed \(seed)")
        XCTAssertEqual(read, writer.written, "seed \(seed)")
        if read != writer.written {
            let missing = Set(writer.written).subtracting(read).map { $0.split(separator: " ")[0] }.sorted()
            print("MISSING", missing.prefix(20))
            if let first = missing.first, let n = Int(first.dropFirst()) {
                let at = trace.firstIndex { t in
                    guard let r = t.range(of: "next=") else { return false }
                    return (Int(t[r.upperBound...].prefix { $0.isNumber }) ?? 0) >= n - 3
                } ?? 0
                for t in trace[max(0, at - 10)..<min(trace.count, at + 60)] { print(t) }
            }
        }
    }
}
