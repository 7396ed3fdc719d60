import Foundation
import GRDB
import PostgresStore
import StoreCopy
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// `store copy`: a demo store copied to PostgreSQL and back to a new SQLite file is the
/// same, table by table and row by row; a non-empty target is refused unless appending
/// without a collision; a failed copy into PostgreSQL leaves nothing behind.
final class StoreCopyTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "storecopy-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    static let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Assets")

    func demo(_ name: String, size: Int = 200) throws -> String {
        let path = dir + "/" + name
        let dataset = try DemoDataset.load(from: Data(contentsOf: Self.assets.appendingPathComponent("demo/dataset.json")))
        var options = DemoOptions()
        options.size = size
        options.now = 1_780_000_000.25
        _ = try TrackingStore.buildDemo(at: path, dataset, options: options)
        return path
    }

    func postgres(_ cluster: PostgresTestCluster) async throws -> (PostgresStore, String) {
        let db = try cluster.createDatabase()
        let settings = PostgresSettings(
            host: cluster.host, port: cluster.port, user: PostgresTestCluster.user, database: db,
            password: PostgresPassword(PostgresTestCluster.password), sslMode: .disable)
        return (try await PostgresStore.open(settings), db)
    }

    /// Every row of every table, in key order.
    func everything(_ store: any StoreTableCopying) async throws -> [String: [[StoreValue]]] {
        var out: [String: [[StoreValue]]] = [:]
        for table in try await store.copyTables() {
            out[table.name] = try await store.rows(of: table, after: nil, limit: 1_000_000)
        }
        return out
    }

    func testSQLiteToPostgresAndBackIsTheSameStore() async throws {
        let cluster = try PostgresTestCluster.shared()
        let path = try demo("a.sqlite")
        // What COPY's text format must escape, and doubles that print long: exact after the trip.
        try await DatabaseQueue(path: path).write {
            try $0.execute(
                sql: "UPDATE messages SET body = ?, date = ? WHERE id = 1",
                arguments: ["tab\there\nnew line \\N back\\slash\r\n ünïcödé 漢字 🎉 \\.", 0.1 + 0.2])
            try $0.execute(sql: "UPDATE partners SET created_at = ? WHERE id = 1", arguments: [1e-300])
            // The URL a sent mail carried (step v8-pixel-url) goes both ways too.
            try $0.execute(sql: "UPDATE trackings SET pixel_url = 'http://other.example:1234/t/1/ab/blank.gif' WHERE id = 1")
        }
        let source = try TrackingStore(path: path)
        let (pg, db) = try await postgres(cluster)
        let progressed = Counter()
        let there = try await StoreCopier.copy(from: source, to: pg, options: StoreCopyOptions(batchSize: 97)) { _ in
            progressed.add()
        }
        let original = try await everything(source)
        XCTAssertEqual(there.rows, original.values.reduce(0) { $0 + $1.count })
        XCTAssertGreaterThan(there.rows, 1000, "a demo of 200 messages")
        XCTAssertGreaterThan(progressed.value, there.rows / 97, "progress after every batch")
        XCTAssertEqual(there.checks.map(\.name), ["message_failed_trackings", "thread_message_count", "thread_failed_count", "partner_failed_count"])
        XCTAssertTrue(there.checks.allSatisfy { $0.problems == 0 }, "\(there.checks)")
        // Some tables are empty in a demo; the ones that matter are not.
        for table in ["partners", "threads", "messages", "message_recipients", "trackings", "events", "failed_counts", "settings"] {
            XCTAssertGreaterThan(original[table]?.count ?? 0, 0, table)
        }

        let backPath = dir + "/b.sqlite"
        let back = try TrackingStore(path: backPath)
        _ = try await StoreCopier.copy(from: pg, to: back)
        let copied = try await everything(back)
        XCTAssertEqual(Set(copied.keys), Set(original.keys))
        for (table, rows) in original {
            XCTAssertEqual(copied[table]?.count, rows.count, table)
            XCTAssertTrue(copied[table] == rows, "\(table) differs after the round trip")
        }
        XCTAssertTrue(try back.check().allSatisfy { $0.problems == 0 })
        let stamped = try await DatabaseQueue(path: backPath).read {
            try String.fetchOne($0, sql: "SELECT pixel_url FROM trackings WHERE id = 1")
        }
        XCTAssertEqual(stamped, "http://other.example:1234/t/1/ab/blank.gif")

        // The sequences went past the copied ids: a new row gets the next one.
        let maxPartner = try cluster.psql("SELECT max(id) FROM partners", database: db)
        let newId = try cluster.psql(
            "INSERT INTO partners (name, created_at) VALUES ('New', 1) RETURNING id", database: db)
        XCTAssertEqual(Int(newId), Int(maxPartner)! + 1)
        await pg.close()
    }

    func testANonEmptyTargetIsRefusedUnlessAppendingWithoutCollision() async throws {
        let cluster = try PostgresTestCluster.shared()
        let source = try TrackingStore(path: try demo("a.sqlite", size: 40))
        let (pg, db) = try await postgres(cluster)
        _ = try await StoreCopier.copy(from: source, to: pg)
        let events = try cluster.psql("SELECT count(*) FROM events", database: db)
        do {
            _ = try await StoreCopier.copy(from: source, to: pg)
            XCTFail("copied into a non-empty store")
        } catch let e as StoreCopyError {
            guard case .targetNotEmpty(let m) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(m.contains("--append") && m.contains("partners"), m)
        }
        do {
            _ = try await StoreCopier.copy(from: source, to: pg, options: StoreCopyOptions(append: true))
            XCTFail("appended colliding ids")
        } catch let e as StoreCopyError {
            guard case .collision(let m) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(m.contains("nothing was copied"), m)
        }
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM events", database: db), events)
        await pg.close()

        // Appending rows whose keys are all new works, and only then.
        let targetPath = dir + "/t.sqlite"
        let target = try TrackingStore(path: targetPath)
        try await DatabaseQueue(path: targetPath).write { try $0.execute(sql: "INSERT INTO aliases (address) VALUES ('zz-only-here@example.org')") }
        do {
            _ = try await StoreCopier.copy(from: source, to: target)
            XCTFail("copied into a non-empty file")
        } catch let e as StoreCopyError {
            guard case .targetNotEmpty = e else { return XCTFail("\(e)") }
        }
        let report = try await StoreCopier.copy(from: source, to: target, options: StoreCopyOptions(append: true))
        let sourceAliases = try await source.rowCount(of: try await source.copyTables().first { $0.name == "aliases" }!)
        let targetAliases = try await target.rowCount(of: try await target.copyTables().first { $0.name == "aliases" }!)
        XCTAssertEqual(targetAliases, sourceAliases + 1)
        XCTAssertGreaterThan(report.rows, 100)
    }

    /// A row PostgreSQL cannot hold (text in an integer column, which SQLite keeps as
    /// it is) fails the copy, and the copy's one transaction leaves the target as empty
    /// as it was, though the tables before it were already sent.
    func testAFailedCopyLeavesPostgresEmpty() async throws {
        let cluster = try PostgresTestCluster.shared()
        let path = try demo("a.sqlite", size: 40)
        try await DatabaseQueue(path: path).write {
            try $0.execute(sql: "UPDATE messages SET needs_action = 'yes' WHERE id = (SELECT max(id) FROM messages)")
        }
        let source = try TrackingStore(path: path)
        let (pg, db) = try await postgres(cluster)
        do {
            _ = try await StoreCopier.copy(from: source, to: pg, options: StoreCopyOptions(batchSize: 10))
            XCTFail("copied text into an integer column")
        } catch {
            XCTAssertTrue("\(error)".contains("messages.needs_action") && "\(error)".contains("integer"), "\(error)")
        }
        for table in ["partners", "threads", "messages", "events"] {
            XCTAssertEqual(try cluster.psql("SELECT count(*) FROM \(table)", database: db), "0", table)
        }
        await pg.close()
    }
}

/// A count bumped from the copy's progress callback.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() {
        lock.lock()
        n += 1
        lock.unlock()
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return n
    }
}
