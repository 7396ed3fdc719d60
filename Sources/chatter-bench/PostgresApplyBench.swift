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
        var rng = SystemRandomNumberGenerator()
        let now = Date().timeIntervalSince1970
        let runId = String(UInt32.random(in: 0...UInt32.max, using: &rng), radix: 16)
        let types: [EventType] = Array(repeating: .delivered, count: 7) + [.open, .open, .hardBounce]
        func makeBatch(_ start: Int, _ tag: String) -> [NewEvent] {
            (start..<(start + batch)).map { n in
                NewEvent(
                    trackingId: Int64.random(in: 1...maxTracking, using: &rng), type: types[n % types.count],
                    timestamp: now + Double(n) * 0.001, source: "bench", key: String(format: "%@:%@:%012d", runId, tag, n),
                    details: EventDetails(recipient: "bench@example.org", errorDescription: n % 10 == 9 ? "550 5.1.1 bench" : nil))
            }
        }
        func baseline(_ batch: [NewEvent]) async throws {
            _ = try await base.query("BEGIN", logger: logger)
            // Rows locked in id order, as the store does, so the two never deadlock on their own.
            for e in batch.sorted(by: { $0.trackingId < $1.trackingId }) {
                for try await _ in try await base.execute(LockTracking(id: e.trackingId), logger: logger) {}
                _ = try await base.execute(
                    InsertEvent(
                        trackingId: e.trackingId, type: e.type.rawValue, timestamp: e.timestamp, source: e.source, key: e.key,
                        recipient: e.details.recipient, errorDescription: e.details.errorDescription, recordedAt: now),
                    logger: logger)
                _ = try await base.execute(
                    UpdateTracking(
                        state: e.type.targetState?.rawValue, lastTs: e.timestamp, lastRank: Int64(e.type.rank),
                        lastTiebreak: e.source + "\u{1}" + e.key, id: e.trackingId),
                    logger: logger)
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

private struct LockTracking: PostgresPreparedStatement {
    static let sql = "SELECT message_id, address, state, last_ts, last_rank, last_tiebreak FROM trackings WHERE id = $1 FOR UPDATE"
    typealias Row = Int64
    var id: Int64
    func makeBindings() -> PostgresBindings {
        var b = PostgresBindings()
        b.append(id)
        return b
    }
    func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
}

private struct InsertEvent: PostgresPreparedStatement {
    static let sql = """
        INSERT INTO events (tracking_id, type, timestamp, source, key, machine, recipient, error_description, recorded_at)
        VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8) ON CONFLICT (source, key) DO NOTHING
        """
    typealias Row = Void
    var trackingId: Int64, type: String, timestamp: Double, source: String, key: String
    var recipient: String?, errorDescription: String?, recordedAt: Double
    func makeBindings() -> PostgresBindings {
        var b = PostgresBindings()
        b.append(trackingId)
        b.append(type)
        b.append(timestamp)
        b.append(source)
        b.append(key)
        b.append(recipient)
        b.append(errorDescription)
        b.append(recordedAt)
        return b
    }
    func decodeRow(_ row: PostgresRow) throws {}
}

private struct UpdateTracking: PostgresPreparedStatement {
    static let sql = "UPDATE trackings SET state = $1, last_ts = $2, last_rank = $3, last_tiebreak = $4 WHERE id = $5"
    typealias Row = Void
    var state: String?, lastTs: Double, lastRank: Int64, lastTiebreak: String, id: Int64
    func makeBindings() -> PostgresBindings {
        var b = PostgresBindings()
        b.append(state)
        b.append(lastTs)
        b.append(lastRank)
        b.append(lastTiebreak)
        b.append(id)
        return b
    }
    func decodeRow(_ row: PostgresRow) throws {}
}
