import ArgumentParser
import EventIngest
import Foundation
import TrackingModel
import TrackingStore

/// `chatter ingest`: one-shot reading of log files, bounce mailboxes and event files.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read delivery signals from files into the store (or just parse them with --dry-run).",
        discussion: """
            Formats: \(FormatDetect.Format.allCases.map(\.rawValue).joined(separator: " ")) (detected when --format \
            is not given). Each path resumes where an interrupted ingest of it stopped; --from-start reads it again \
            (repeated events count as duplicates).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The input format (default: detected per path).")
    var format: String?

    @Flag(name: .long, help: "Parse only: touch no store; with --json print one JSON object per parsed event.")
    var dryRun = false

    @Flag(name: .long, help: "Forget where an earlier ingest of these paths stopped and read them whole again.")
    var fromStart = false

    @Option(name: .long, help: "Events per committed batch.")
    var batchSize: Int = 1000

    @Option(
        name: .long,
        help: "Maildirs: read at most this many bytes of one mail; a bigger mail without a report in them is quarantined.")
    var maxMailBytes: Int = MaildirReader.defaultMaxMailBytes

    @Argument(help: "Files, folders or Maildirs to read.")
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw CLIError.usage("ingest needs at least one PATH") }
        if batchSize <= 0 { throw CLIError.usage("--batch-size must be positive") }
        if maxMailBytes <= 0 { throw CLIError.usage("--max-mail-bytes must be positive") }
        if let format, FormatDetect.Format(rawValue: format) == nil {
            throw CLIError.usage(
                "unknown format \(format); use one of: " + FormatDetect.Format.allCases.map(\.rawValue).joined(separator: " "))
        }
    }

    func run() throws {
        let format = self.format.flatMap(FormatDetect.Format.init(rawValue:))
        if dryRun { return try dryRunAll(format) }
        let store = try global.openIngestStore()
        let total: PollReport
        do {
            total = try ingestAll(into: store, format)
        } catch let e as CLIError {
            throw e
        } catch {
            throw StoreLocationChoice.cliError(error)
        }
        if global.json {
            out(
                JSON.object([
                    ("applied", .int(Int64(total.applied))), ("duplicate", .int(Int64(total.duplicate))),
                    ("suppressed", .int(Int64(total.suppressed))), ("unmatched", .int(Int64(total.unmatched))),
                    ("quarantined", .int(Int64(total.quarantined))), ("ignored", .int(Int64(total.ignored))),
                ]).text)
        } else {
            out(IngestSummary.line(total))
        }
    }

    /// Reads every path in turn, each resuming from its own committed cursor.
    private func ingestAll(into store: any IngestRole, _ format: FormatDetect.Format?) throws -> PollReport {
        var total = PollReport()
        for path in paths {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let ingest = try OneShotIngest(
                store: store, path: absolute, format: format, batchSize: batchSize, fromStart: fromStart,
                maxMailBytes: maxMailBytes)
            let progress = IngestProgress(path: path)
            let report: PollReport
            do {
                report = try ingest.run { running in progress.update(running, ingest.progress) }
            } catch let problem as SourceProblem {
                throw CLIError.notFound(problem.description)
            }
            progress.finish()
            total.add(report)
        }
        return total
    }

    private func dryRunAll(_ format: FormatDetect.Format?) throws {
        var counts: [String: Int] = [:]
        for path in paths {
            do {
                try DryRunIngest.run(
                    path: path, format: format, maxMailBytes: maxMailBytes,
                    event: { event in
                        if global.json { out(DryRunJSON.line(for: event)) }
                        switch event.kind {
                        case .event(let type): counts[type.rawValue, default: 0] += 1
                        case .ignored: counts["ignored", default: 0] += 1
                        }
                    },
                    quarantined: { item in
                        if global.json { out(DryRunJSON.line(for: item)) }
                        counts["quarantined", default: 0] += 1
                    })
            } catch let problem as SourceProblem {
                throw CLIError.notFound(problem.description)
            }
        }
        if !global.json {
            for (name, count) in counts.sorted(by: { $0.key < $1.key }) { out("\(name) \(count)") }
        }
    }
}

/// The summary line of an ingest or a poll round.
enum IngestSummary {
    static func line(_ r: PollReport) -> String {
        "applied \(r.applied), duplicate \(r.duplicate), unmatched \(r.unmatched), quarantined \(r.quarantined), "
            + "ignored \(r.ignored), suppressed \(r.suppressed)"
    }
}

/// Progress of a large ingest on stderr: a bar with rate and ETA on a terminal, a plain line every few seconds otherwise.
final class IngestProgress {
    private let path: String
    private let start = Date()
    private let isTerminal = isatty(2) == 1
    private var lastDraw = Date.distantPast
    private var drew = false
    /// Inputs smaller than this get no progress output.
    private static let minimumBytes: Int64 = 1 << 20

    init(path: String) {
        self.path = path
    }

    func update(_ report: PollReport, _ position: (done: Int64, total: Int64)?) {
        guard let position, position.total >= Self.minimumBytes else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= (isTerminal ? 0.2 : 5) else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let fraction = min(1, Double(position.done) / Double(max(position.total, 1)))
        let rate = Double(report.total) / elapsed
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let stats = String(format: "%3.0f%% %@ events, %.0f/s, ETA %.0fs", fraction * 100, "\(report.total)", rate, eta)
        if isTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(stats)".utf8))
            drew = true
        } else {
            err("ingest: \(path): \(stats)")
        }
    }

    func finish() {
        if drew { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
