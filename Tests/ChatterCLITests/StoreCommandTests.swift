import Foundation
import XCTest

/// `chatter gc`, `chatter store backup` and `chatter store check` as an operator runs them,
/// and a restore (a copy back).
final class StoreCommandTests: XCTestCase {
    var dir: URL!
    var db: String { dir.appendingPathComponent("store.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-storecmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        XCTAssertEqual(try Chatter.run(["demo", "--db", db]).status, 0)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func object(_ args: [String]) throws -> [String: Any] {
        let r = try Chatter.run(args + ["--json", "--db", db])
        XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
    }

    func testGcDryRunThenRunThenNothingLeft() throws {
        let dry = try object(["gc", "--keep", "30d", "--dry-run"])
        XCTAssertEqual(dry["dry_run"] as? Bool, true)
        let removable = try XCTUnwrap(dry["trackings"] as? Int)
        XCTAssertGreaterThan(removable, 0)
        for key in ["events", "kept", "batches", "bytes_before", "bytes_after", "free_pages", "vacuumed", "seconds", "keep_seconds"] {
            XCTAssertNotNil(dry[key], key)
        }
        let stats = try object(["stats"])
        let real = try object(["gc", "--keep", "30d", "--batch-size", "50"])
        XCTAssertEqual(real["trackings"] as? Int, removable)
        XCTAssertEqual(real["events"] as? Int, dry["events"] as? Int)
        let after = try object(["stats"])
        XCTAssertEqual(after["trackings"] as? Int, (stats["trackings"] as? Int ?? 0) - removable)
        XCTAssertEqual(after["messages"] as? Int, stats["messages"] as? Int, "messages stay")
        XCTAssertEqual(after["failed_messages"] as? Int, stats["failed_messages"] as? Int, "failures needing action stay")
        let again = try Chatter.run(["gc", "--keep", "30d", "--db", db])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.hasPrefix("removed 0 tracking rows and 0 events older than 30d"), again.stdout)
        XCTAssertEqual(try Chatter.run(["store", "check", "--db", db]).status, 0)
    }

    func testGcRefusesABadDuration() throws {
        for bad in ["30", "30x", "0d", "-1d", "d"] {
            let r = try Chatter.run(["gc", "--keep=\(bad)", "--db", db])
            XCTAssertEqual(r.status, 1, bad)
            XCTAssertTrue(r.stderr.contains("duration"), r.stderr)
        }
        XCTAssertEqual(try Chatter.run(["gc", "--db", db]).status, 1, "--keep is required")
    }

    func testCheckSaysWhatItFoundAndExits3OnAProblem() throws {
        let ok = try Chatter.run(["--db", db, "store", "check"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        for name in ["integrity", "foreign_keys", "message_failed_trackings", "thread_message_count", "thread_failed_count", "partner_failed_count"] {
            XCTAssertTrue(ok.stdout.contains("\(name): ok"), ok.stdout)
        }
        XCTAssertEqual(try object(["store", "check"])["ok"] as? Bool, true)
        let sql = try Shell.run("sqlite3", [db, "UPDATE threads SET failed_count = failed_count + 1 WHERE id = (SELECT min(id) FROM threads)"])
        XCTAssertEqual(sql.status, 0, sql.output)
        let bad = try Chatter.run(["store", "check", "--db", db])
        XCTAssertEqual(bad.status, 3, bad.stderr)
        XCTAssertTrue(bad.stdout.contains("thread_failed_count: 1 problem(s): id "), bad.stdout)
        XCTAssertTrue(bad.stderr.contains("thread_failed_count"), bad.stderr)
    }

    func testBackupThenRestoreByCopyingBack() throws {
        let backup = dir.appendingPathComponent("backup.sqlite").path
        let r = try Chatter.run(["store", "backup", backup, "--db", db])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("backed up \(db) to \(backup)"), r.stdout)
        XCTAssertEqual(try Chatter.run(["store", "check", "--db", backup]).status, 0)
        let before = try object(["stats"])

        // Changes after the backup...
        let trackings = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(try Chatter.run(["trackings", "--json", "--limit", "1", "--db", db]).stdout.utf8)) as? [[String: Any]])
        let id = try XCTUnwrap(trackings.first?["id"] as? Int)
        XCTAssertEqual(try Chatter.run(["event", String(id), "spam", "--db", db]).status, 0)
        XCTAssertNotEqual(try object(["stats"])["events"] as? Int, before["events"] as? Int)

        // ...are gone once the backup is copied back (with the live store's WAL files removed).
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        try FileManager.default.removeItem(atPath: db)
        try FileManager.default.copyItem(atPath: backup, toPath: db)
        let restored = try object(["stats"])
        XCTAssertEqual(restored["events"] as? Int, before["events"] as? Int)
        XCTAssertEqual(restored["trackings"] as? Int, before["trackings"] as? Int)
        XCTAssertEqual(try Chatter.run(["store", "check", "--db", db]).status, 0)

        let again = try Chatter.run(["store", "backup", backup, "--db", db])
        XCTAssertEqual(again.status, 1, "an existing file is never overwritten")
        XCTAssertTrue(again.stderr.contains("exists"), again.stderr)
    }
}
