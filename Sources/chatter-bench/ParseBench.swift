import ArgumentParser
import EventIngest
import Foundation

/// Parse-only throughput of a Postfix log (issue 4 §6), per stage: reading and line
/// splitting (LogTailer), + scanning every line (fields located and decoded), + parsing
/// into `PostfixLogLine` values. Compare with `wc -l` on the same file.
struct ParseBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse")

    @Option var file: String

    func run() throws {
        let reference = Date().timeIntervalSince1970
        for stage in ["split", "scan", "parse"] {
            let tailer = LogTailer(
                path: file, cursor: nil, options: LogTailerOptions(backfillRotated: false, bufferSize: 1 << 20))
            var parser = PostfixLineParser(referenceTime: reference)
            var bytes = 0
            var lines = 0
            var parsed = 0
            let elapsed = try seconds {
                while true {
                    var batch = 0
                    try tailer.read(maxLines: 100_000, maxBytes: 64 << 20) { line, _, _ in
                        batch += 1
                        bytes += line.count + 1
                        switch stage {
                        case "scan": if case .line = parser.scan(line) { parsed += 1 }
                        case "parse": if case .line = parser.parse(line) { parsed += 1 }
                        default: break
                        }
                    }
                    lines += batch
                    if batch == 0 { break }
                }
            }
            report([
                ("bench", "parse-" + stage), ("lines", lines), ("parsed", parsed), ("bytes", bytes), ("seconds", elapsed),
                ("mb_per_s", Double(bytes) / 1e6 / elapsed),
            ])
        }
    }
}
