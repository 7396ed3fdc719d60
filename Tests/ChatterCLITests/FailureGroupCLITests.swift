import Foundation
import XCTest

/// `failed --group-by cause,domain`, `failed --cause/--domain`, `review --group [--dry-run]` and
/// `retry --group [--dry-run]` on the demo store (failures of several causes and domains).
final class FailureGroupCLITests: XCTestCase {
    var dir: URL!
    var db: String { dir.appendingPathComponent("store.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-groups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let demo = try Chatter.run(["demo", "--db", db])
        XCTAssertEqual(demo.status, 0, demo.stderr)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func json(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let r = try Chatter.run(args + ["--json", "--db", db])
        XCTAssertEqual(r.status, 0, "chatter \(args): \(r.stderr)", file: file, line: line)
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8), options: [.fragmentsAllowed])
    }

    func groups() throws -> [[String: Any]] {
        try XCTUnwrap(try json(["failed", "--group-by", "cause,domain"]) as? [[String: Any]])
    }

    /// The failed recipients of the mailbox as (cause or unknown, domain) pairs.
    func failedRecipients(_ extra: [String] = []) throws -> [(message: Int, cause: String, domain: String)] {
        let messages = try XCTUnwrap(try json(["failed", "--limit", "0"] + extra) as? [[String: Any]])
        return messages.flatMap { m in
            (m["failed_recipients"] as? [[String: Any]] ?? []).map { r in
                let address = (r["address"] as? String ?? "").lowercased()
                let domain = address.split(separator: "@", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
                return (m["id"] as? Int ?? -1, r["cause"] as? String ?? "unknown", domain)
            }
        }
    }

    func auditCount(_ action: String) throws -> Int {
        let r = try Shell.run("sqlite3", [db, "SELECT count(*) FROM audit_log WHERE action = '\(action)'"])
        return Int(r.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    func testGroupsMatchTheFailedRecipientsAndSpeakTheContract() throws {
        let list = try groups()
        XCTAssertGreaterThan(list.count, 3, "the demo fails in several ways")
        for g in list {
            XCTAssertEqual(Set(g.keys), ["cause", "side", "domain", "count", "first", "last", "sample", "group"])
            XCTAssertEqual(g["group"] as? String, "\(g["cause"] as? String ?? "?")/\(g["domain"] as? String ?? "?")")
        }
        let lasts = list.compactMap { $0["last"] as? Double }
        XCTAssertEqual(lasts, lasts.sorted(by: >), "newest activity first")
        XCTAssertEqual(Set(list.compactMap { $0["side"] as? String }).count > 1, true, "several sides")

        var expected: [String: Int] = [:]
        for r in try failedRecipients() { expected["\(r.cause)/\(r.domain)", default: 0] += 1 }
        var got: [String: Int] = [:]
        for g in list { got[g["group"] as? String ?? "?"] = g["count"] as? Int }
        XCTAssertEqual(got, expected, "one group per (cause, domain) of the failed recipients, counted")

        // --cause / --domain filter the mailbox to messages with such a failed recipient.
        let g = try XCTUnwrap(list.first { ($0["domain"] as? String ?? "") != "" && $0["cause"] as? String != "unknown" })
        let cause = try XCTUnwrap(g["cause"] as? String)
        let domain = try XCTUnwrap(g["domain"] as? String)
        let filtered = try failedRecipients(["--cause", cause, "--domain", domain])
        XCTAssertFalse(filtered.isEmpty)
        let messages = Set(filtered.map(\.message))
        for m in messages {
            XCTAssertTrue(filtered.contains { $0.message == m && $0.cause == cause && $0.domain == domain }, "\(m)")
        }
        XCTAssertEqual(filtered.filter { $0.cause == cause && $0.domain == domain }.count, g["count"] as? Int)
        let human = try Chatter.run(["failed", "--group-by", "cause,domain", "--db", db])
        XCTAssertEqual(human.status, 0, human.stderr)
        XCTAssertTrue(human.stdout.contains(g["group"] as? String ?? "?"), human.stdout)
        let bad = try Chatter.run(["failed", "--cause", "nonsense", "--db", db])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("unknown cause nonsense"), bad.stderr)
    }

    func testReviewGroupDryRunThenForReal() throws {
        let list = try groups()
        let g = try XCTUnwrap(list.max { ($0["count"] as? Int ?? 0) < ($1["count"] as? Int ?? 0) })
        let key = try XCTUnwrap(g["group"] as? String)
        let before = try Chatter.failedTotal(db: db)
        let audits = try auditCount("review")

        let dry = try XCTUnwrap(try json(["review", "--group", key, "--dry-run"]) as? [String: Any])
        XCTAssertEqual(dry["dry_run"] as? Bool, true)
        let would = try XCTUnwrap(dry["reviewed"] as? [Int])
        XCTAssertFalse(would.isEmpty)
        XCTAssertEqual(try Chatter.failedTotal(db: db), before, "the dry run changes nothing")
        XCTAssertEqual(try auditCount("review"), audits)
        XCTAssertEqual(try groups().count, list.count)
        let dryAll = try Chatter.run(["review", "--all-mine", "--dry-run", "--db", db])
        XCTAssertTrue(dryAll.stdout.contains("would review \(before):"), dryAll.stdout)
        XCTAssertEqual(try Chatter.failedTotal(db: db), before)

        let done = try XCTUnwrap(try json(["review", "--group", key]) as? [String: Any])
        XCTAssertEqual(done["reviewed"] as? [Int], would)
        XCTAssertEqual(try Chatter.failedTotal(db: db), before - would.count)
        XCTAssertEqual(try auditCount("review"), audits + would.count, "one audit entry per message, as single review")
        XCTAssertFalse(try groups().contains { $0["group"] as? String == key }, "the group left Failed")
    }

    func testRetryGroupCountsMatchThePerMessagePlans() throws {
        let list = try groups()
        let g = try XCTUnwrap(list.first { ($0["domain"] as? String ?? "") != "" })
        let key = try XCTUnwrap(g["group"] as? String)
        let outboxBefore = try Shell.run("sqlite3", [db, "SELECT count(*) FROM outbox"]).output

        let dry = try XCTUnwrap(try json(["retry", "--group", key, "--dry-run"]) as? [String: Any])
        XCTAssertEqual(dry["dry_run"] as? Bool, true)
        let messages = try XCTUnwrap(dry["messages"] as? [[String: Any]])
        XCTAssertFalse(messages.isEmpty)
        var queue = 0
        var recipients = 0
        for m in messages {
            let id = try XCTUnwrap(m["message_id"] as? Int)
            let rows = try XCTUnwrap(m["recipients"] as? [[String: Any]])
            recipients += rows.count
            queue += m["would_queue"] as? Int ?? -1
            let single = try XCTUnwrap(try json(["retry", String(id), "--dry-run"]) as? [String: Any])
            let verdicts = Dictionary(
                uniqueKeysWithValues: (single["recipients"] as? [[String: Any]] ?? []).map {
                    ($0["tracking_id"] as? Int ?? -1, $0["verdict"] as? String ?? "?")
                })
            for r in rows {
                XCTAssertEqual(verdicts[r["tracking_id"] as? Int ?? -2], r["verdict"] as? String, "same checks as retry \(id)")
            }
        }
        XCTAssertEqual(recipients, g["count"] as? Int, "every failed recipient of the group")
        XCTAssertEqual(dry["would_queue"] as? Int, queue)
        XCTAssertEqual(try Shell.run("sqlite3", [db, "SELECT count(*) FROM outbox"]).output, outboxBefore, "dry run")
        let human = try Chatter.run(["retry", "--group", key, "--dry-run", "--db", db])
        XCTAssertTrue(human.stdout.contains("resend \(queue) · skip "), human.stdout)

        let done = try XCTUnwrap(try json(["retry", "--group", key]) as? [String: Any])
        XCTAssertEqual(done["dry_run"] as? Bool, false)
        let queued = (done["messages"] as? [[String: Any]] ?? []).reduce(0) { $0 + (($1["outbox"] as? [Any])?.count ?? 0) }
        XCTAssertEqual(queued, queue, "the retry queued what the preview said")
        // Rows the preview left out (suppressed, skipped) stay failed, and their messages in Failed.
        let left = recipients - queue
        let after = try groups().first { $0["group"] as? String == key }
        XCTAssertEqual(after?["count"] as? Int ?? 0, left, "what was not resent is still the group")
    }
}
