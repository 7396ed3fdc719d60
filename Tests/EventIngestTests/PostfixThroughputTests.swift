import EventIngest
import Foundation
import XCTest

/// Parse throughput on a big log when `CHATTER_BENCH_POSTFIX_LOG` names one (build
/// with `-c release -Xswiftc -enable-testing`); otherwise, in the suite, the same
/// stages on the real capture repeated 50 times, checking that every stage sees
/// every line and that scan and parse agree.
///
/// Prints MB/s for: reading + line splitting (LogTailer); + scanning every line
/// (fields located and decoded, no text copied); + parsing into `PostfixLogLine`
/// values (text copied into Strings); + correlating into events (in-memory links).
final class PostfixThroughputTests: XCTestCase {
    func testParseThroughput() throws {
        var expectedLines: Int?
        let path: String
        if let big = ProcessInfo.processInfo.environment["CHATTER_BENCH_POSTFIX_LOG"] {
            path = big
        } else {
            let capture = try IngestFixtures.sample("postfix.log")
            let lineCount = capture.filter { $0 == 10 }.count
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("pf-throughput-\(UUID().uuidString).log")
            try Data(Array(repeating: capture, count: 50).joined()).write(to: file)
            path = file.path
            expectedLines = lineCount * 50
        }
        defer { if expectedLines != nil { try? FileManager.default.removeItem(atPath: path) } }
        let reference = Date().timeIntervalSince1970
        let stages = ProcessInfo.processInfo.environment["CHATTER_BENCH_STAGES"]?.split(separator: ",").map(String.init)
            ?? ["split", "scan", "parse", "correlate"]
        for stage in stages {
            let tailer = LogTailer(path: path, cursor: nil, options: LogTailerOptions(backfillRotated: false, bufferSize: 1 << 20))
            var parser = PostfixLineParser(referenceTime: reference)
            let ingestor = PostfixLogIngestor(
                parser: PostfixLineParser(referenceTime: reference),
                correlator: PostfixCorrelator(links: InMemoryQueueLinkStore()))
            var bytes = 0
            var lines = 0
            var parsed = 0
            let started = Date()
            let startedCPU = threadCPUSeconds()
            while true {
                var batchLines = 0
                try tailer.read(maxLines: 100_000, maxBytes: 64 << 20) { line, offset, file in
                    batchLines += 1
                    bytes += line.count + 1
                    switch stage {
                    case "split":
                        break
                    case "scan":
                        if case .line = parser.scan(line) { parsed += 1 }
                    case "parse":
                        if case .line = parser.parse(line) { parsed += 1 }
                    default:
                        if case .events = try ingestor.ingest(line, offset: offset, path: file) { parsed += 1 }
                    }
                }
                lines += batchLines
                if batchLines == 0 { break }
            }
            let seconds = Date().timeIntervalSince(started)
            let cpu = threadCPUSeconds() - startedCPU
            // CPU time of this thread too: on a busy machine wall time says more about the neighbours.
            print(
                String(
                    format: "postfix %@: %d lines, %.1f MB; wall %.3f s = %.0f MB/s; cpu %.3f s = %.0f MB/s, %.2f M lines/s (parsed %d)",
                    stage, lines, Double(bytes) / 1e6, seconds, Double(bytes) / 1e6 / seconds, cpu, Double(bytes) / 1e6 / cpu,
                    Double(lines) / 1e6 / cpu, parsed))
            XCTAssertGreaterThan(lines, 0)
            if let expectedLines {
                XCTAssertEqual(lines, expectedLines, stage)
                if stage == "scan" || stage == "parse" { XCTAssertEqual(parsed, expectedLines, "\(stage): every capture line is Postfix") }
            }
        }
    }
}

/// CPU seconds used by the calling thread (user + system).
private func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
