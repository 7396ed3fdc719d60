import Foundation
import GRDB
import PostgresStore
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// A settable clock the store under test reads.
final class ContractClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double
    init(_ start: Double) { value = start }
    var now: Double { lock.withLock { value } }
    func advance(_ seconds: Double) { lock.withLock { value += seconds } }
    var read: @Sendable () -> Double { { [self] in now } }
}

/// A store the posting and outbox contract runs on: the store (posting and outbox roles),
/// SQL on its tables (first column of each row, as text; writes return nothing), and the
/// store as a new process sees it once this one is gone (its session over, its locks dropped).
struct OutboxContractStore {
    typealias Roles = PostingRole & OutboxRole
    var store: any Roles
    var sql: (String) throws -> [String]
    var restart: () throws -> any Roles
    /// A second store object on the same store, alive next to the first (another sender).
    var another: () throws -> any Roles

    /// A fresh SQLite store file.
    static func sqlite(clock: ContractClock) throws -> OutboxContractStore {
        let dir = NSTemporaryDirectory() + "outbox-contract-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/store.sqlite"
        var options = StoreOptions()
        options.clock = clock.read
        let open = { () throws -> any Roles in try TrackingStore(path: path, options: options) }
        return OutboxContractStore(
            store: try open(),
            sql: { text in
                try DatabaseQueue(path: path).write { db in
                    if text.uppercased().hasPrefix("SELECT") { return try String.fetchAll(db, sql: text) }
                    try db.execute(sql: text)
                    return []
                }
            }, restart: open, another: open)
    }

    /// A fresh PostgreSQL database on the test cluster.
    static func postgres(clock: ContractClock) throws -> OutboxContractStore {
        let (cluster, db, settings) = try database(prefix: "outbox")
        let first = try BlockingCall.run { try await PostgresStore.open(settings, clock: clock.read) }
        let open = { () throws -> any Roles in
            try BlockingCall.run { try await PostgresStore.open(settings, clock: clock.read) }
        }
        return OutboxContractStore(
            store: first,
            sql: { text in
                let out = try cluster.psql(text, database: db)
                return out.isEmpty ? [] : out.components(separatedBy: "\n")
            },
            restart: {
                try BlockingCall.run { await first.close() }
                return try open()
            }, another: open)
    }

    /// A fresh database on the test cluster and its settings.
    static func database(prefix: String) throws -> (PostgresTestCluster, String, PostgresSettings) {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase(prefix: prefix)
        let settings = PostgresSettings(
            host: cluster.host, port: cluster.port, user: PostgresTestCluster.user, database: db,
            password: PostgresPassword(PostgresTestCluster.password), sslMode: .disable)
        return (cluster, db, settings)
    }

    /// One integer a query returns.
    func int(_ text: String) throws -> Int {
        let rows = try sql(text)
        guard rows.count == 1, let n = Int(rows[0]) else { throw ContractError.unexpected("\(text) gave \(rows)") }
        return n
    }
}

enum ContractError: Error {
    case unexpected(String)
}
