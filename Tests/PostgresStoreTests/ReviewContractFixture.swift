import Foundation
import GRDB
import PostgresStore
import StoreCopy
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// A store the review contract runs on, holding a copy of the demo data: its roles, SQL on
/// its tables (first column of each row, as text), and its consistency check (`store check`).
/// Safe from any thread: each SQL call is its own process or connection, and both stores are.
struct ReviewContractStore: @unchecked Sendable {
    typealias Roles = ReviewRole & OutboxRole & StoreReading
    var store: any Roles
    var sql: (String) throws -> [String]
    var check: () throws -> [StoreCheckItem]

    /// The clock both stores stamp with: the same audit times, event times and outbox times.
    static let now = 1_780_100_000.5

    /// The demo store (built once per process): every check starts from a copy of it.
    static let demo = Result { () throws -> String in
        let dir = NSTemporaryDirectory() + "review-contract-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Assets/demo/dataset.json")
        var options = DemoOptions()
        options.size = 200
        options.now = 1_780_000_000.25
        let path = dir + "/demo.sqlite"
        _ = try TrackingStore.buildDemo(at: path, try DemoDataset.load(from: Data(contentsOf: assets)), options: options)
        return path
    }

    /// A SQLite file copied from the demo.
    static func sqlite() throws -> ReviewContractStore {
        let dir = NSTemporaryDirectory() + "review-sqlite-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/store.sqlite"
        // A consistent copy of the WAL store: VACUUM INTO.
        try DatabaseQueue(path: try demo.get()).writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [path])
        }
        var options = StoreOptions()
        options.clock = { now }
        let store = try TrackingStore(path: path, options: options)
        return ReviewContractStore(
            store: store,
            sql: { text in try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: text) } },
            check: { try store.check() })
    }

    /// A fresh PostgreSQL database filled from the demo by `StoreCopier` (ids kept).
    static func postgres() throws -> ReviewContractStore {
        let (cluster, db, settings) = try OutboxContractStore.database(prefix: "review")
        let source = try TrackingStore(path: try demo.get())
        let store = try BlockingCall.run {
            let pg = try await PostgresStore.open(settings, clock: { now })
            _ = try await StoreCopier.copy(from: source, to: pg, options: StoreCopyOptions()) { _ in }
            return pg
        }
        return ReviewContractStore(
            store: store,
            sql: { text in
                let out = try cluster.psql(text, database: db)
                return out.isEmpty ? [] : out.components(separatedBy: "\n")
            },
            check: { try BlockingCall.run { try await store.check() } })
    }

    /// What review and retry change, table by table, as text both stores write alike
    /// (integers and words only: ids, states, flags, counters, who and what).
    func snapshot() throws -> [String: [String]] {
        let queries = [
            "messages": "SELECT id || ':' || needs_action || ':' || failed_trackings FROM messages ORDER BY id",
            "threads": "SELECT id || ':' || failed_count FROM threads ORDER BY id",
            "failed_counts": "SELECT partner_id || ':' || count FROM failed_counts WHERE count <> 0 ORDER BY partner_id",
            "trackings": """
                SELECT id || ':' || COALESCE(state, '-') || ':' || COALESCE(address, '-') || ':' || recipient
                FROM trackings ORDER BY id
                """,
            "retry events": """
                SELECT id || ':' || tracking_id || ':' || source || ':' || COALESCE(recipient, '-')
                FROM events WHERE type = 'retry' ORDER BY id
                """,
            "outbox": """
                SELECT id || ':' || message_id || ':' || COALESCE(tracking_id, 0) || ':' || kind || ':' || status
                  || ':' || COALESCE(requested_by, 0) FROM outbox ORDER BY id
                """,
            "audit_log": """
                SELECT id || ':' || COALESCE(actor_id, 0) || ':' || action || ':' || message_id || ':'
                  || COALESCE(tracking_id, 0) FROM audit_log ORDER BY id
                """,
            "partners": "SELECT id || ':' || COALESCE(email_normalized, '-') || ':' || email_bounced FROM partners ORDER BY id",
            "partner_audit": """
                SELECT partner_id || ':' || action || ':' || COALESCE(old_email, '-') || ':' || new_email
                FROM partner_audit ORDER BY id
                """,
        ]
        return try queries.mapValues { try sql($0) }
    }

    /// The checks of `store check` that found something (none: the counters agree with the rows).
    func problems() throws -> [StoreCheckItem] { try check().filter { $0.problems != 0 } }
}
