import Foundation
import TestSupport
import XCTest

/// `chatter store copy` and `chatter store check` against the test server, run as a user
/// runs them: exit codes, what they print (never the password), and the refusals.
final class StoreCopyCommandTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "storecopycli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func chatter(_ args: [String], env: [String: String] = [:]) throws -> ChatterBinary.Result {
        try ChatterBinary.run(args, env: ["HOME": dir].merging(env) { $1 })
    }

    func sqlite(_ path: String, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [path, sql]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func testCopyToPostgresCheckAndBack() throws {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase()
        let url = cluster.url(database: db)
        let a = dir + "/a.sqlite"
        let demo = try chatter(["demo", "--db", a, "--size", "120"])
        XCTAssertEqual(demo.status, 0, demo.stderr)

        let there = try chatter(["store", "copy", "--from", a, "--to", url, "--batch", "50"])
        XCTAssertEqual(there.status, 0, there.stderr)
        XCTAssertTrue(there.stdout.contains("copied "), there.stdout)
        XCTAssertTrue(there.stdout.contains("postgres://postgres@127.0.0.1:\(cluster.port)/\(db)"), there.stdout)
        XCTAssertTrue(there.stderr.contains("events: "), "a line per table when stderr is not a terminal: \(there.stderr)")
        for text in [there.stdout, there.stderr] { XCTAssertFalse(text.contains(PostgresTestCluster.password), text) }

        let check = try chatter(["store", "check", "--json"], env: ["CHATTER_DB": url])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stdout.contains(#""ok": true"#), check.stdout)

        // The password may come from PGPASSWORD instead of the URL.
        let b = dir + "/b.sqlite"
        let back = try chatter(
            ["store", "copy", "--from", cluster.url(database: db, password: false), "--to", b, "--json"],
            env: ["PGPASSWORD": PostgresTestCluster.password])
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertTrue(back.stdout.contains(#""rows": "#), back.stdout)
        for table in ["partners", "threads", "messages", "message_recipients", "trackings", "events", "failed_counts"] {
            let sql = "SELECT * FROM \(table) ORDER BY 1, 2"
            let original = try sqlite(a, sql)
            XCTAssertFalse(original.isEmpty, table)
            XCTAssertEqual(try sqlite(b, sql), original, table)
        }

        // A second copy into the same database is refused (exit 1), naming --append.
        let again = try chatter(["store", "copy", "--from", a, "--to", url])
        XCTAssertEqual(again.status, 1, again.stderr)
        XCTAssertTrue(again.stderr.contains("--append"), again.stderr)
        let colliding = try chatter(["store", "copy", "--from", a, "--to", url, "--append"])
        XCTAssertEqual(colliding.status, 1, colliding.stderr)
        XCTAssertTrue(colliding.stderr.contains("nothing was copied"), colliding.stderr)
    }

    func testRefusals() throws {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase()
        let url = cluster.url(database: db)
        // A command PostgreSQL does not serve yet says which ones do, without the password.
        let stats = try chatter(["stats", "--db", url])
        XCTAssertEqual(stats.status, 1, stats.stderr)
        XCTAssertTrue(stats.stderr.contains("store copy") && stats.stderr.contains("store check"), stats.stderr)
        XCTAssertFalse(stats.stderr.contains(PostgresTestCluster.password), stats.stderr)
        // A wrong password: a store error (3), without the password.
        let wrong = try chatter(["store", "check", "--db", url.replacingOccurrences(of: PostgresTestCluster.password, with: "Nope-123")])
        XCTAssertEqual(wrong.status, 3, wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("password authentication failed"), wrong.stderr)
        XCTAssertFalse(wrong.stderr.contains("Nope-123"), wrong.stderr)
        // An empty database is no store (exit 2) and stays empty: checking writes nothing.
        let empty = try chatter(["store", "check", "--db", url])
        XCTAssertEqual(empty.status, 2, empty.stderr)
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", database: db), "0")
        // A database a newer chatter migrated: exit 3, untouched.
        let a0 = dir + "/a0.sqlite"
        XCTAssertEqual(try chatter(["demo", "--db", a0, "--size", "5"]).status, 0)
        XCTAssertEqual(try chatter(["store", "copy", "--from", a0, "--to", url]).status, 0)
        XCTAssertEqual(try chatter(["store", "check", "--db", url]).status, 0)
        try cluster.psql("INSERT INTO chatter_migrations VALUES ('v99-future', 1)", database: db)
        let newer = try chatter(["store", "check", "--db", url])
        XCTAssertEqual(newer.status, 3, newer.stderr)
        XCTAssertTrue(newer.stderr.contains("newer version of chatter"), newer.stderr)
        // A copy whose source is missing: not found (2), and no target file left behind.
        let missing = try chatter(["store", "copy", "--from", dir + "/nope.sqlite", "--to", dir + "/t.sqlite"])
        XCTAssertEqual(missing.status, 2, missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/t.sqlite"))
        // A failed copy into a new file removes it (the source is of a newer schema here).
        let a = dir + "/a.sqlite"
        XCTAssertEqual(try chatter(["demo", "--db", a, "--size", "10"]).status, 0)
        let toNewer = try chatter(["store", "copy", "--from", a, "--to", url])
        XCTAssertEqual(toNewer.status, 3, toNewer.stderr)
        let fromNewer = try chatter(["store", "copy", "--from", url, "--to", dir + "/c.sqlite"])
        XCTAssertEqual(fromNewer.status, 3, fromNewer.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/c.sqlite"))
    }
}
