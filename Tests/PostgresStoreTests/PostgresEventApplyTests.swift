import Foundation
import GRDB
import PostgresStore
import StoreCopy
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// Event batches on PostgreSQL: two writers on two connections apply overlapping
/// batches at once; every event is kept exactly once, the counters stay exact, each
/// batch's cursor commits with it, and the states are the SQLite store's for the same
/// events (the rule is order-independent).
final class PostgresEventApplyTests: XCTestCase {
    static let now = 1_780_000_000.0

    func testTwoWritersWithOverlappingBatches() async throws {
        let cluster = try PostgresTestCluster.shared()
        let dir = NSTemporaryDirectory() + "pgapply-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/a.sqlite"
        let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Assets/demo/dataset.json")
        var options = DemoOptions()
        options.size = 60
        options.now = Self.now
        _ = try TrackingStore.buildDemo(at: path, try DemoDataset.load(from: Data(contentsOf: assets)), options: options)
        let sqlite = try TrackingStore(path: path)
        let db = try cluster.createDatabase()
        let settings = PostgresSettings(
            host: cluster.host, port: cluster.port, user: PostgresTestCluster.user, database: db,
            password: PostgresPassword(PostgresTestCluster.password), sslMode: .disable)
        let loader = try await PostgresStore.open(settings)
        _ = try await StoreCopier.copy(from: sqlite, to: loader)
        let eventsBefore = Int(try cluster.psql("SELECT count(*) FROM events", database: db))!

        let trackingIds = try await DatabaseQueue(path: path).read { try Int64.fetchAll($0, sql: "SELECT id FROM trackings") }
        var rng = SeededGenerator(seed: 12)
        let kinds: [(EventType, FailureCause?)] = [
            (.sent, nil), (.delivered, nil), (.deferral, .greylisted), (.hardBounce, .userUnknown),
            (.softBounce, .mailboxFull), (.hardBounce, .blocked), (.reject, nil), (.spam, nil), (.delivered, nil),
        ]
        let events: [NewEvent] = (0..<800).map { i in
            let (type, cause) = kinds[rng.below(kinds.count)]
            return NewEvent(
                trackingId: trackingIds[rng.below(trackingIds.count)], type: type,
                timestamp: Self.now - 5000 + Double(rng.below(10_000)) + 0.125, source: "pg-test", key: "e\(i)",
                details: EventDetails(errorDescription: cause.map { "550 \($0.rawValue)" }, cause: cause))
        }
        let a = Array(events[0..<500])
        let b = Array(events[300..<800])
        let first = try await PostgresStore.open(settings)
        let second = try await PostgresStore.open(settings)
        async let reportA = Self.applyInBatches(a, to: first, source: "writer-a")
        async let reportB = Self.applyInBatches(b, to: second, source: "writer-b")
        let (ra, rb) = try await (reportA, reportB)

        XCTAssertEqual(ra.applied + rb.applied, 800, "each distinct event applied once")
        XCTAssertEqual(ra.duplicates + rb.duplicates, 200, "the overlap is duplicates")
        XCTAssertEqual(ra.unknownTracking + rb.unknownTracking + ra.suppressed + rb.suppressed, 0)
        XCTAssertEqual(Int(try cluster.psql("SELECT count(*) FROM events", database: db)), eventsBefore + 800)
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM events WHERE source = 'pg-test'", database: db), "800")
        let cursorA = try await first.cursor(source: "writer-a")
        let cursorB = try await second.cursor(source: "writer-b")
        XCTAssertEqual(cursorA, "500")
        XCTAssertEqual(cursorB, "500")
        let checks = try await first.check()
        XCTAssertTrue(checks.allSatisfy { $0.problems == 0 }, "\(checks)")

        // The same events on the SQLite store, one writer: the same states.
        _ = try sqlite.apply(events)
        let sqliteStates = try await DatabaseQueue(path: path).read { db in
            try String.fetchAll(
                db,
                sql: "SELECT id || ' ' || coalesce(state, '-') || ' ' || coalesce(cause, '-') || ' ' || coalesce(last_tiebreak, '-') FROM trackings ORDER BY id")
        }
        let pgStates = try cluster.psql(
            "SELECT id || ' ' || coalesce(state, '-') || ' ' || coalesce(cause, '-') || ' ' || coalesce(last_tiebreak, '-') FROM trackings ORDER BY id",
            database: db
        ).split(separator: "\n").map(String.init)
        XCTAssertEqual(pgStates.count, sqliteStates.count)
        XCTAssertEqual(pgStates, sqliteStates)
        let bounced = "SELECT count(*) FROM partners WHERE email_bounced = 1"
        let sqliteBounced = try await DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: bounced)! }
        XCTAssertEqual(try cluster.psql(bounced, database: db), "\(sqliteBounced)")
        await first.close()
        await second.close()
        await loader.close()
    }

    /// A change committed by one connection reaches another that listens.
    func testACommitNotifiesListeners() async throws {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase()
        let settings = PostgresSettings(
            host: cluster.host, port: cluster.port, user: PostgresTestCluster.user, database: db,
            password: PostgresPassword(PostgresTestCluster.password), sslMode: .disable)
        let writer = try await PostgresStore.open(settings)
        try cluster.psql(
            """
            INSERT INTO partners (id, name, created_at) VALUES (1, 'Ann', 1);
            INSERT INTO threads (id, model, key, name, last_activity) VALUES (1, 'm', 'k', 'T', 1);
            INSERT INTO messages (id, thread_id, author_id, date, subject, body, message_id) VALUES (1, 1, 1, 1, 's', 'b', '<m@x>');
            INSERT INTO trackings (id, message_id, recipient, address, sender, subject, created_at)
              VALUES (1, 1, 'bob@x.org', 'bob@x.org', 'ann@x.org', 's', 1);
            """, database: db)
        let listener = try await PostgresStore.open(settings)
        let heard = try await listener.waitForChange(timeout: 10) {
            _ = try await writer.apply([NewEvent(trackingId: 1, type: .delivered, timestamp: 5, source: "n", key: "1")])
        }
        XCTAssertTrue(heard, "no notification within 10 s of the commit")
        // A batch that applies nothing (a duplicate) announces nothing.
        let quiet = try await listener.waitForChange(timeout: 1) {
            _ = try await writer.apply([NewEvent(trackingId: 1, type: .delivered, timestamp: 5, source: "n", key: "1")])
        }
        XCTAssertFalse(quiet)
        await writer.close()
        await listener.close()
    }

    static func applyInBatches(_ events: [NewEvent], to store: PostgresStore, source: String) async throws -> ApplyReport {
        var total = ApplyReport()
        var start = 0
        while start < events.count {
            let end = min(events.count, start + 50)
            let r = try await store.apply(Array(events[start..<end]), cursor: SourceCursor(source: source, value: "\(end)"))
            total.applied += r.applied
            total.duplicates += r.duplicates
            total.suppressed += r.suppressed
            total.unknownTracking += r.unknownTracking
            total.retries += r.retries
            start = end
        }
        return total
    }
}

extension PostgresStore {
    /// Listens, runs `body`, and tells whether a change was announced within `timeout` seconds.
    func waitForChange(timeout: Double, after body: @Sendable () async throws -> Void) async throws -> Bool {
        try await watchChanges { changes in
            try await body()
            return await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    do {
                        for try await _ in changes { return true }
                    } catch {}
                    return false
                }
                group.addTask {
                    try? await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
        }
    }
}
