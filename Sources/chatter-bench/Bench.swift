import ArgumentParser
import Foundation
import GRDBSQLite
import TrackingModel
import TrackingStore

/// `chatter-bench`: the store's figures (README "Benchmarks and long campaigns"), each
/// against the C-API baseline measured in the same run.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatter-bench", abstract: "Benchmarks of the tracking store.",
        subcommands: [
            ApplyBench.self, QueryBench.self, GroupsBench.self, ReviewBench.self, BacklogStore.self, ParseBench.self,
            PostgresApplyBench.self, FeedLatencyBench.self,
        ])
}

/// Wall-clock seconds of a block.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
}

func report(_ fields: [(String, Any)]) {
    let text = fields.map { k, v in
        switch v {
        case let d as Double: return "\"\(k)\": \(String(format: "%.6g", d))"
        case let s as String: return "\"\(k)\": \"\(s)\""
        default: return "\"\(k)\": \(v)"
        }
    }.joined(separator: ", ")
    print("{" + text + "}")
}

/// The events the apply benchmarks write: random trackings, 70% delivered, 20% opens, 10%
/// hard bounces, keys unique to the run and the batch's tag (ours vs the baseline's).
final class BenchEvents: @unchecked Sendable {
    let maxTracking: Int64
    let now = Date().timeIntervalSince1970
    private var rng = SystemRandomNumberGenerator()
    private let runId = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    private let types: [EventType] = Array(repeating: .delivered, count: 7) + [.open, .open, .hardBounce]

    init(maxTracking: Int64) { self.maxTracking = maxTracking }

    func batch(from start: Int, count: Int, tag: String) -> [NewEvent] {
        (start..<(start + count)).map { n in
            NewEvent(
                trackingId: Int64.random(in: 1...maxTracking, using: &rng), type: types[n % types.count],
                timestamp: now + Double(n) * 0.001, source: "bench", key: String(format: "%@:%@:%012d", runId, tag, n),
                details: EventDetails(recipient: "bench@example.org", errorDescription: n % 10 == 9 ? "550 5.1.1 bench" : nil))
        }
    }
}

/// Applying events in batches: our store vs raw C for the same lookups, inserts and updates.
struct ApplyBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apply")

    @Option var db: String
    @Option var events: Int = 100_000
    @Option var batch: Int = 1_000
    @Option var cacheMib: Int = 2

    func run() throws {
        var options = StoreOptions()
        options.writerCacheMiB = cacheMib
        let store = try TrackingStore(path: db, options: options)
        let base = try CBaseline(path: db, cacheMiB: cacheMib)
        let maxTracking = try Int64(store.stats(for: nil).trackings)
        let generated = BenchEvents(maxTracking: maxTracking)
        let now = generated.now
        func makeBatch(_ start: Int, _ tag: String) -> [NewEvent] { generated.batch(from: start, count: batch, tag: tag) }
        let select = try base.prepare("SELECT message_id, address, state, last_ts, last_rank, last_tiebreak FROM trackings WHERE id = ?")
        let insert = try base.prepare(
            """
            INSERT INTO events (tracking_id, type, timestamp, source, key, machine, recipient, error_description, recorded_at)
            VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT(source, key) DO NOTHING
            """)
        let update = try base.prepare(
            "UPDATE trackings SET state = ?, last_ts = ?, last_rank = ?, last_tiebreak = ? WHERE id = ?")
        func cApply(_ events: [NewEvent]) throws {
            try base.exec("BEGIN IMMEDIATE")
            for e in events {
                sqlite3_bind_int64(select, 1, e.trackingId)
                _ = sqlite3_step(select)
                sqlite3_reset(select)
                sqlite3_bind_int64(insert, 1, e.trackingId)
                sqlite3_bind_text(insert, 2, e.type.rawValue, -1, SQLITE_TRANSIENT)
                sqlite3_bind_double(insert, 3, e.timestamp)
                sqlite3_bind_text(insert, 4, e.source, -1, SQLITE_TRANSIENT)
                sqlite3_bind_text(insert, 5, e.key, -1, SQLITE_TRANSIENT)
                sqlite3_bind_text(insert, 6, e.details.recipient, -1, SQLITE_TRANSIENT)
                if let d = e.details.errorDescription {
                    sqlite3_bind_text(insert, 7, d, -1, SQLITE_TRANSIENT)
                } else {
                    sqlite3_bind_null(insert, 7)
                }
                sqlite3_bind_double(insert, 8, now)
                _ = sqlite3_step(insert)
                sqlite3_reset(insert)
                sqlite3_bind_text(update, 1, e.type.targetState?.rawValue, -1, SQLITE_TRANSIENT)
                sqlite3_bind_double(update, 2, e.timestamp)
                sqlite3_bind_int64(update, 3, Int64(e.type.rank))
                sqlite3_bind_text(update, 4, e.source + "\u{1}" + e.key, -1, SQLITE_TRANSIENT)
                sqlite3_bind_int64(update, 5, e.trackingId)
                _ = sqlite3_step(update)
                sqlite3_reset(update)
            }
            try base.exec("COMMIT")
        }
        var ours = 0.0
        var theirs = 0.0
        var n = 0
        var applied = 0
        // Interleaved so that both see the same cache and WAL conditions.
        while n < events {
            let mine = makeBatch(n, "s")
            let c = makeBatch(n, "c")
            theirs += try seconds { try cApply(c) }
            ours += try seconds { applied += try store.apply(mine).applied }
            n += batch
        }
        sqlite3_finalize(select)
        sqlite3_finalize(insert)
        sqlite3_finalize(update)
        report([
            ("bench", "apply"), ("events", n), ("batch", batch), ("cache_mib", cacheMib), ("applied", applied),
            ("ours_per_s", Double(n) / ours), ("c_api_per_s", Double(n) / theirs), ("ratio", theirs / ours),
        ])
    }
}

/// The front's queries: ours vs the same SQL through the C API.
struct QueryBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queries")

    @Option var db: String
    @Option var user: String
    @Option var runs: Int = 300

    func run() throws {
        let stores = try BenchStores(path: db)
        let store = stores.store
        let base = try CBaseline(path: db, cacheMiB: 2)
        guard let me = try store.findUser(email: user) else { throw BenchError("no user \(user)") }
        let threads = try store.threads(limit: 1000).rows
        guard let busiest = threads.max(by: { $0.messageCount < $1.messageCount }) else { throw BenchError("no threads") }
        let middle = try store.failedMessages(for: me.id, limit: 5000).rows.last.map { PageCursor(time: $0.date, id: $0.id) }
        let biggest = try store.failureGroups(for: me.id).max { $0.count < $1.count }
            .map { try FailureFilter(group: $0.key) } ?? FailureFilter()
        let cases: [(String, Double, (TrackingStore) throws -> Void)] = [
            ("failed_first_page", 1e-3, { _ = try $0.failedMessages(for: me.id, limit: 50) }),
            ("failed_keyset_page", 1e-3, { _ = try $0.failedMessages(for: me.id, after: middle, limit: 50) }),
            ("failed_count", 5e-3, { _ = try $0.failedCount(for: me.id) }),
            ("thread_200_messages", 5e-3, { _ = try $0.thread(busiest.ref, limit: 200) }),
            ("threads_failed_first_page", 2e-3, { _ = try $0.threads(failedOnly: true, limit: 50) }),
            // The front's G in Failed: the end of the mailbox in one read, not a page walk.
            ("failed_last_page", 2e-3, { _ = try $0.failedMessages(for: me.id, page: PageRequest(.bottom, limit: 50)) }),
            // A group review's dry run: the biggest group's messages.
            ("group_review_ids", 100e-3, { _ = try $0.failedMessageIds(for: me.id, filter: biggest, search: nil) }),
            // The header's banner, read with every counters load.
            ("refusal_surges", 5e-3, { _ = try $0.refusalSurges(threshold: 10, window: 3600) }),
        ]
        // BENCH_ONLY=name runs one case (profiling).
        let only = ProcessInfo.processInfo.environment["BENCH_ONLY"]
        for (name, budget, body) in cases where only == nil || only == name {
            try compareReads(name, runs: runs, budget: budget, base: base, stores: stores, body)
        }
    }
}

/// Times a read of ours against the same statements through the C API: the
/// statements `body` runs are captured once on the traced store (after a
/// warm-up), then both run `runs` times interleaved (so both see the same cache),
/// ours on the untraced store. Prints one JSON line with p50/p95 of each and the
/// p50 ratio (C API time / ours: 1 is parity, below 1 ours is slower).
func compareReads(
    _ name: String, runs: Int, budget: Double, base: CBaseline, stores: BenchStores, extra: [(String, Any)] = [],
    _ body: (TrackingStore) throws -> Void
) throws {
    try body(stores.store)  // warm-up
    let statements = try stores.capture { try body($0) }.filter { $0.hasPrefix("SELECT") }
    if ProcessInfo.processInfo.environment["BENCH_SHOW_SQL"] != nil {
        for s in statements { FileHandle.standardError.write(Data((s + ";\n").utf8)) }
    }
    var mine: [Double] = []
    var theirs: [Double] = []
    for _ in 0..<runs {
        theirs.append(try seconds { _ = try base.runQueries(statements) })
        mine.append(try seconds { try body(stores.store) })
    }
    let p95 = percentile(mine, 0.95)
    report(
        [("bench", name), ("statements", statements.count), ("runs", runs)] + extra + [
            ("ours_p50_ms", percentile(mine, 0.5) * 1000), ("ours_p95_ms", p95 * 1000),
            ("c_api_p50_ms", percentile(theirs, 0.5) * 1000), ("c_api_p95_ms", percentile(theirs, 0.95) * 1000),
            ("ratio_p50", percentile(theirs, 0.5) / percentile(mine, 0.5)), ("budget_ms", budget * 1000),
            ("within_budget", p95 <= budget ? "yes" : "no"),
        ])
}

/// The store twice: `store` for timing, and `traced`, which records the SQL of
/// what it runs (building each statement's text costs time, so timed runs go
/// through the untraced one).
struct BenchStores {
    let store: TrackingStore
    let traced: TrackingStore
    private let log = SQLCapture()

    init(path: String) throws {
        store = try TrackingStore(path: path)
        var options = StoreOptions()
        options.trace = { [log] in log.add($0) }
        traced = try TrackingStore(path: path, options: options)
    }

    /// The statements `body` runs on the traced store, in order.
    func capture(_ body: (TrackingStore) throws -> Void) throws -> [String] {
        log.recording = true
        defer { log.recording = false }
        _ = log.take()
        try body(traced)
        return log.take()
    }
}

final class SQLCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var on = false
    var recording: Bool {
        get { lock.withLock { on } }
        set { lock.withLock { on = newValue } }
    }
    func add(_ s: String) { lock.withLock { if on { lines.append(s) } } }
    func take() -> [String] {
        lock.withLock {
            defer { lines = [] }
            return lines
        }
    }
}
