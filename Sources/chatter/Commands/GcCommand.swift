import ArgumentParser
import Foundation
import TrackingStore

/// `chatter gc --keep DURATION [--dry-run]`: the store's retention.
struct GcCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove tracking rows and their events older than --keep, in batches, and give the space back.",
        discussion: "Kept whatever their age: failed rows of messages that still need action, the newest row of "
            + "each address (its bounced flag reads it), rows the outbox or the audit log refers to. A partner's "
            + "score is recomputed from the rows that remain. poll can run it on a schedule ([gc] in config.toml).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Keep this much history: a number and a unit (s m h d w y), e.g. 90d.")
    var keep: String

    @Flag(name: .long, help: "Count what would be removed; write nothing.")
    var dryRun = false

    @Option(name: .long, help: "Rows per write transaction (other writers get in between).")
    var batchSize = 1000

    func run() throws {
        let duration = try RetentionDuration(parsing: keep)
        guard batchSize > 0 else { throw CLIError.usage("--batch-size wants a positive number") }
        let store = try global.openStore()
        let started = Date()
        let report = try StoreRetention.run(store: store, keep: duration, batchSize: batchSize, dryRun: dryRun)
        let seconds = Date().timeIntervalSince(started)
        if global.json {
            out(StoreRetention.json(report, keep: duration, dryRun: dryRun, seconds: seconds).text)
        } else {
            out(StoreRetention.line(report, keep: duration, dryRun: dryRun, seconds: seconds))
        }
    }
}

/// gc as `chatter gc` and poll's schedule run it, and how it is told.
enum StoreRetention {
    static func run(store: TrackingStore, keep: RetentionDuration, batchSize: Int = 1000, dryRun: Bool) throws -> GCReport {
        try store.collectGarbage(olderThan: Date().timeIntervalSince1970 - keep.seconds, batchSize: batchSize, dryRun: dryRun)
    }

    /// `removed 1200 tracking rows and 5300 events older than 30d (kept 40 …); 12.0 MiB → 12.0 MiB, …`.
    static func line(_ r: GCReport, keep: RetentionDuration, dryRun: Bool, seconds: Double) -> String {
        let verb = dryRun ? "would remove" : "removed"
        var text = "\(verb) \(r.trackings) tracking rows and \(r.events) events older than \(keep.text)"
        text += " (kept \(r.kept) older rows: failures needing action, newest of their address, in the outbox or audit log)"
        if !dryRun {
            text += "; \(mib(r.bytesBefore)) → \(mib(r.bytesAfter))"
            text += r.vacuumed
                ? ", space given back (incremental vacuum)"
                : ", \(r.freePagesAfter) free pages kept for new rows (the store has auto_vacuum off)"
        }
        return text + String(format: "; %d batches in %.1f s", r.batches, seconds)
    }

    static func json(_ r: GCReport, keep: RetentionDuration, dryRun: Bool, seconds: Double) -> JSON {
        .object([
            ("dry_run", .bool(dryRun)), ("keep_seconds", .number(keep.seconds)), ("trackings", .int(Int64(r.trackings))),
            ("events", .int(Int64(r.events))), ("kept", .int(Int64(r.kept))), ("batches", .int(Int64(r.batches))),
            ("bytes_before", .int(r.bytesBefore)), ("bytes_after", .int(r.bytesAfter)),
            ("free_pages", .int(Int64(r.freePagesAfter))), ("vacuumed", .bool(r.vacuumed)), ("seconds", .number(seconds)),
        ])
    }

    static func mib(_ bytes: Int64) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
