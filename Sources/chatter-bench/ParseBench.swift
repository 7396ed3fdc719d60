import ArgumentParser
import DeliverySignals
import EventIngest
import Foundation

/// Parse-only throughput of a Postfix log, per stage, each a superset of the one before:
/// `split` (reading and line splitting, LogTailer), `scan` (+ every line's fields located and
/// decoded), `correlate` (+ the lines of a queue id linked into events with in-memory links: what `chatter ingest --dry-run` and the
/// poller do before the store), `dry-run` (`DryRunIngest`, the command's own loop, counting).
/// Compare with `wc -l` on the same file; each stage runs `repeat` times and reports the median.
struct ParseBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse")

    @Option var file: String
    @Option(help: "Runs per stage; the median is reported.") var `repeat` = 5
    @Option(help: "Comma-separated stages: split, scan, correlate, dry-run.")
    var stages = "split,scan,correlate,dry-run"

    func run() throws {
        for stage in stages.split(separator: ",").map(String.init) {
            var runs: [(wall: Double, cpu: Double, lines: Int, bytes: Int, parsed: Int)] = []
            for _ in 0..<max(1, self.repeat) {
                var lines = 0
                var bytes = 0
                var parsed = 0
                let cpuStart = processCPUSeconds()
                let wall = try seconds { (lines, bytes, parsed) = try ParseBench.pass(stage, file) }
                runs.append((wall, processCPUSeconds() - cpuStart, lines, bytes, parsed))
            }
            let wall = percentile(runs.map(\.wall), 0.5)
            let cpu = percentile(runs.map(\.cpu), 0.5)
            let last = runs[runs.count - 1]
            // The dry run does not say how many lines it read.
            let lines: [(String, Any)] = last.lines > 0 ? [("lines", last.lines)] : []
            report(
                [("bench", "parse-" + stage)] + lines + [
                ("parsed", last.parsed), ("bytes", last.bytes), ("runs", runs.count), ("seconds", wall), ("cpu_seconds", cpu), ("mb_per_s", Double(last.bytes) / 1e6 / wall),
            ])
        }
    }

    /// One pass of `stage` over `path`: lines, bytes, and lines the stage accepted (Postfix lines / events).
    static func pass(_ stage: String, _ path: String) throws -> (Int, Int, Int) {
        let reference = Date().timeIntervalSince1970
        var lines = 0
        var bytes = 0
        var parsed = 0
        if stage == "dry-run" {
            var counts: [String: Int] = [:]
            try DryRunIngest.run(
                path: path, format: .postfixLog,
                event: { event in
                    switch event.kind {
                    case .event(let type): counts[type.rawValue, default: 0] += 1
                    case .ignored: counts["ignored", default: 0] += 1
                    }
                },
                quarantined: { _ in counts["quarantined", default: 0] += 1 })
            parsed = counts.values.reduce(0, +)
            return (0, (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0, parsed)
        }
        let tailer = LogTailer(path: path, cursor: nil, options: LogTailerOptions(backfillRotated: false, bufferSize: 1 << 20))
        var parser = PostfixLineParser(referenceTime: reference)
        let ingestor = PostfixLogIngestor(
            parser: PostfixLineParser(referenceTime: reference), correlator: PostfixCorrelator(links: InMemoryQueueLinkStore()))
        while true {
            var batch = 0
            try tailer.read(maxLines: 100_000, maxBytes: 64 << 20) { line, offset, file in
                batch += 1
                bytes += line.count + 1
                switch stage {
                case "scan": if case .line = parser.scan(line) { parsed += 1 }
                case "correlate":
                    if case .events(let events) = try ingestor.ingest(line, offset: offset, path: file) { parsed += events.count }
                default: break
                }
            }
            lines += batch
            if batch == 0 { break }
        }
        return (lines, bytes, parsed)
    }
}

/// CPU seconds (user + system) used by this process so far: on a busy machine it says more than wall time.
func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
