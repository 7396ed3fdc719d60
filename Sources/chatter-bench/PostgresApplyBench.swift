import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import PostgresStore
import TrackingModel

/// Applying events in batches on PostgreSQL: our store (`PostgresStore.apply`, one
/// transaction per batch with its cursor) against PostgresNIO used directly with named
/// prepared statements for the same lookup (row locked), insert under the unique key and
/// update, on the same database in the same run, batches interleaved.
struct PostgresApplyBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pg-apply")

    @Option(help: "The PostgreSQL store (a postgres:// URL), already holding a store.") var url: String
    @Option var events: Int = 20_000
    @Option var batch: Int = 1_000

    func run() throws {
        guard case .postgres(let settings) = try StoreLocation.parse(url, environment: ProcessInfo.processInfo.environment)
        else { throw ValidationError("--url must be a postgres:// URL") }
        let (events, batch) = (self.events, self.batch)
        let f = try BlockingCall.run { try await Self.measure(settings, events: events, batch: batch) }
        report([
            ("bench", "pg_apply"), ("events", f.events), ("batch", batch), ("applied", f.applied),
            ("ours_per_s", Double(f.events) / f.ours), ("postgresnio_per_s", Double(f.events) / f.theirs),
            ("ratio", f.theirs / f.ours),
        ])
    }

    struct Figures: Sendable {
        var events: Int, applied: Int, ours: Double, theirs: Double
    }

    static func measure(_ settings: PostgresSettings, events: Int, batch: Int) async throws -> Figures {
        let store = try await PostgresStore.open(settings, migrate: false)
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let base = try await PostgresConnection.connect(
            configuration: try PostgresStore.configuration(settings), id: 2, logger: logger)
        var maxTracking: Int64 = 0
        for try await id in try await base.execute(MaxTracking(), logger: logger) { maxTracking = id }
        guard maxTracking > 0 else { throw ValidationError("the store holds no trackings") }
        let generated = BenchEvents(maxTracking: maxTracking)
        let now = generated.now
        func makeBatch(_ start: Int, _ tag: String) -> [NewEvent] { generated.batch(from: start, count: batch, tag: tag) }
        // The store's own statements (`ApplyStatements`), run on a bare connection: lock and
        // read the row, the duplicate-window look for opens, the insert, the folded status
        // written back. What the baseline leaves out: the store's gate, its retry loop, and the
        // Failed-counter statements of the events that fail a row (one in ten here).
        func baseline(_ batch: [NewEvent]) async throws {
            _ = try await base.query("BEGIN", logger: logger)
            for e in batch.sorted(by: { $0.trackingId < $1.trackingId }) {
                var old = TrackingStatus()
                for try await row in try await base.execute(ApplyStatements.LockTracking(trackingId: e.trackingId), logger: logger) {
                    old.state = row.2.flatMap(TrackingState.init(rawValue:))
                    if let ts = row.8, let rank = row.9, let tiebreak = row.10 {
                        old.last = EventOrder(timestamp: ts, rank: Int(rank), tiebreak: tiebreak)
                    }
                }
                if let window = DuplicateWindow.seconds(for: e.type) {
                    let near = ApplyStatements.FindNearSame(
                        trackingId: e.trackingId, from: e.timestamp - window, to: e.timestamp + window, type: e.type.rawValue,
                        machine: 0, sameUrlOnly: 0, url: nil)
                    var found = false
                    for try await _ in try await base.execute(near, logger: logger) { found = true }
                    if found { continue }
                }
                var inserted = false
                for try await _ in try await base.execute(ApplyStatements.InsertEvent(e, recordedAt: now), logger: logger) {
                    inserted = true
                }
                guard inserted else { continue }
                var new = old
                new.fold(e.facts)
                _ = try await base.execute(ApplyStatements.WriteStatus(new, trackingId: e.trackingId), logger: logger)
            }
            _ = try await base.query("COMMIT", logger: logger)
        }
        var ours = 0.0
        var theirs = 0.0
        var applied = 0
        var n = 0
        while n < events {
            let mine = makeBatch(n, "s")
            let plain = makeBatch(n, "p")
            let t0 = DispatchTime.now().uptimeNanoseconds
            try await baseline(plain)
            let t1 = DispatchTime.now().uptimeNanoseconds
            applied += try await store.apply(mine, cursor: SourceCursor(source: "bench", value: "\(n)")).applied
            let t2 = DispatchTime.now().uptimeNanoseconds
            theirs += Double(t1 - t0) / 1e9
            ours += Double(t2 - t1) / 1e9
            n += batch
        }
        try await base.close()
        await store.close()
        return Figures(events: n, applied: applied, ours: ours, theirs: theirs)
    }
}

private struct MaxTracking: PostgresPreparedStatement {
    static let sql = "SELECT coalesce(max(id), 0)::bigint FROM trackings"
    typealias Row = Int64
    func makeBindings() -> PostgresBindings { PostgresBindings() }
    func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
}
