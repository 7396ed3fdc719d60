import Foundation
import GRDB
import PostgresStore
import TestSupport
import TrackingStore
import XCTest

/// The PostgreSQL schema is the SQLite one after every step, migrated in order under a
/// version table; a newer or foreign database is refused untouched.
final class PostgresSchemaTests: XCTestCase {
    func settings(_ cluster: PostgresTestCluster, _ db: String, password: String? = PostgresTestCluster.password) -> PostgresSettings {
        PostgresSettings(
            host: cluster.host, port: cluster.port, user: PostgresTestCluster.user, database: db,
            password: password.map(PostgresPassword.init), sslMode: .disable)
    }

    func testANewDatabaseGetsEveryStepOnce() async throws {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase()
        let store = try await PostgresStore.open(settings(cluster, db))
        let applied = try await store.appliedMigrations()
        await store.close()
        XCTAssertEqual(applied, ["v1-tracking", "v2-ingest", "v3-sending", "v4-shared-mail", "v5-causes", "v6-partner-audit", "v7-failed-list", "v8-pixel-url"])
        let again = try await PostgresStore.open(settings(cluster, db))
        let second = try await again.appliedMigrations()
        await again.close()
        XCTAssertEqual(second, applied)
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM chatter_migrations", database: db), "8")
    }

    /// Tables, columns (name, order, type, nullability), primary keys and index names match
    /// a new SQLite store's.
    func testTheSchemaIsTheSQLiteOne() async throws {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase()
        let store = try await PostgresStore.open(settings(cluster, db))
        await store.close()
        let dir = NSTemporaryDirectory() + "pgschema-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try TrackingStore(path: dir + "/s.sqlite") as TrackingStore
        let queue = try DatabaseQueue(path: dir + "/s.sqlite")
        let (sqliteColumns, sqliteIndexes) = try Self.sqliteShape(queue)
        let pgColumns = try cluster.psql(
            """
            SELECT c.table_name || '.' || c.column_name || ' ' || c.data_type || ' ' ||
              CASE WHEN c.is_nullable = 'YES' THEN 'null' ELSE 'not null' END || ' pk' ||
              coalesce((SELECT (array_position(i.indkey::int2[], a.attnum::int2) + 1)::text
                        FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attname = c.column_name
                        WHERE i.indrelid = (c.table_name)::regclass AND i.indisprimary
                          AND a.attnum = ANY(i.indkey::int2[])), '0')
            FROM information_schema.columns c
            WHERE c.table_schema = 'public' AND c.table_name <> 'chatter_migrations'
            ORDER BY c.table_name, c.ordinal_position
            """, database: db
        ).split(separator: "\n").map(String.init)
        XCTAssertEqual(pgColumns, sqliteColumns)
        let pgIndexes = try cluster.psql(
            """
            SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'
              AND indexname NOT LIKE '%_key' ORDER BY indexname
            """, database: db
        ).split(separator: "\n").map(String.init)
        XCTAssertEqual(pgIndexes, sqliteIndexes)
    }

    /// Each column as `table.column type null|not null pkN`, and the explicit index names.
    static func sqliteShape(_ queue: DatabaseQueue) throws -> ([String], [String]) {
        try queue.read { d in
            var columns: [String] = []
            let tables = try String.fetchAll(
                d, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY name")
            for t in tables {
                for row in try Row.fetchAll(d, sql: "PRAGMA table_info(\(t))") {
                    let type: String = row["type"]
                    let mapped = ["INTEGER": "bigint", "REAL": "double precision", "TEXT": "text"][type] ?? type
                    let pk: Int = row["pk"]
                    let notNull: Int = row["notnull"]
                    // SQLite lets a TEXT primary key hold NULL; PostgreSQL's never does.
                    let nullable = notNull == 0 && pk == 0
                    columns.append("\(t).\(row["name"] as String) \(mapped) \(nullable ? "null" : "not null") pk\(pk)")
                }
            }
            let indexes = try String.fetchAll(
                d, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            return (columns, indexes)
        }
    }

    func testANewerSchemaIsRefusedAndLeftUntouched() async throws {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase()
        let store = try await PostgresStore.open(settings(cluster, db))
        await store.close()
        // A database one step behind (v6 not applied) that a newer chatter also touched:
        // refused, and v6 is not applied behind the user's back.
        try cluster.psql(
            "DROP TABLE partner_audit; DELETE FROM chatter_migrations WHERE identifier = 'v6-partner-audit';"
                + " INSERT INTO chatter_migrations VALUES ('v99-future', 1)", database: db)
        do {
            _ = try await PostgresStore.open(settings(cluster, db))
            XCTFail("a newer schema was opened")
        } catch {
            XCTAssertEqual(error, .newerSchema(location: settings(cluster, db).description, unknownMigrations: ["v99-future"]))
            XCTAssertTrue("\(error)".contains("was not modified"), "\(error)")
        }
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'partner_audit'", database: db), "0")
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM chatter_migrations", database: db), "8")
    }

    func testADatabaseOfOtherTablesIsNotAStore() async throws {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase()
        try cluster.psql("CREATE TABLE invoices (id int)", database: db)
        do {
            _ = try await PostgresStore.open(settings(cluster, db))
            XCTFail("opened a foreign database")
        } catch {
            guard case .notAStore = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", database: db), "1")
    }

    /// Several processes opening one new database at once: every step applied exactly once.
    func testConcurrentOpensMigrateOnce() async throws {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase()
        let s = settings(cluster, db)
        try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let store = try await PostgresStore.open(s)
                    let applied = try await store.appliedMigrations()
                    await store.close()
                    return applied
                }
            }
            for try await applied in group { XCTAssertEqual(applied.count, 8) }
        }
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM chatter_migrations", database: db), "8")
    }

    /// A wrong password is refused with the server's words, never the password.
    func testAWrongPasswordIsRefusedWithoutShowingIt() async throws {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase()
        do {
            _ = try await PostgresStore.open(settings(cluster, db, password: "Wrong-Pw-4711"))
            XCTFail("connected with a wrong password")
        } catch {
            XCTAssertTrue("\(error)".contains("password authentication failed"), "\(error)")
            XCTAssertFalse("\(error)".contains("Wrong-Pw-4711"), "\(error)")
        }
    }
}
