import Foundation
import XCTest

/// `chatter retry`: suppressed recipients are left out unless named, and a
/// partial retry says what it left failed.
final class RetryRulesCLITests: XCTestCase {
    var dir: URL!
    var db: String { dir.appendingPathComponent("store.sqlite").path }
    let me = ["--as", "me@yourcompany.example"]

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func json(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let r = try Chatter.run(args + ["--json", "--db", db])
        XCTAssertEqual(r.status, 0, "chatter \(args): \(r.stderr)", file: file, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    /// Posts to ok, sp and x; sp reported a mail as spam; all three fail. Returns (message, tracking ids by address).
    private func failedMessage() throws -> (Int, [String: Int]) {
        let post = try json(
            ["post", "--thread", "t/1", "--to", "ok@x.org, sp@x.org, x@x.org", "--subject", "S", "--body", "B"] + me)
        let messageId = try XCTUnwrap(post["message_id"] as? Int)
        var ids: [String: Int] = [:]
        for t in try XCTUnwrap(post["trackings"] as? [[String: Any]]) { ids[t["address"] as! String] = t["id"] as? Int }
        let t0 = Int(Date().timeIntervalSince1970) - 100
        XCTAssertEqual(try Chatter.run(["event", String(ids["sp@x.org"]!), "spam", "--at", String(t0), "--db", db]).status, 0)
        for (_, id) in ids {
            XCTAssertEqual(
                try Chatter.run(["event", String(id), "soft_bounce", "--at", String(t0 + 10), "--db", db]).status, 0)
        }
        return (messageId, ids)
    }

    func testSuppressedRowIsUntickedUnlessNamedAndPartialRetrySaysWhatIsLeft() throws {
        let (messageId, ids) = try failedMessage()
        let plan = try json(["retry", String(messageId), "--dry-run"] + me)
        let rows = try XCTUnwrap(plan["recipients"] as? [[String: Any]])
        let sp = try XCTUnwrap(rows.first { $0["address"] as? String == "sp@x.org" })
        XCTAssertEqual(sp["verdict"] as? String, "unticked")
        XCTAssertTrue((sp["reasons"] as? [String])?.contains("suppressed_spam") == true, "\(sp)")
        XCTAssertEqual(plan["would_queue"] as? Int, 2)

        // Only ok: x stays failed, the message stays in Failed, and the line says so.
        let partial = try Chatter.run(["retry", String(messageId), "--recipient", "ok@x.org", "--db", db] + me)
        XCTAssertEqual(partial.status, 0, partial.stderr)
        XCTAssertTrue(partial.stdout.contains("resent 1 · 2 left failed"), partial.stdout)
        XCTAssertEqual(try Chatter.failedTotal(db: db, me: me), 1, "still in Failed")

        // Without --recipient: sp is left out, x is resent.
        let rest = try json(["retry", String(messageId)] + me)
        XCTAssertEqual(rest["trackings"] as? [Int], [ids["x@x.org"]!])
        XCTAssertEqual(rest["skipped_suppressed"] as? [Int], [ids["sp@x.org"]!])
        XCTAssertEqual(rest["left_failed"] as? Int, 1)

        // Naming it includes it.
        let named = try json(["retry", String(messageId), "--recipient", "sp@x.org"] + me)
        XCTAssertEqual(named["trackings"] as? [Int], [ids["sp@x.org"]!])
        XCTAssertEqual(named["left_failed"] as? Int, 0)
        XCTAssertEqual(try Chatter.failedTotal(db: db, me: me), 0, "every failed row resent: out of Failed")
    }
}

/// `chatter partner set-email`: fixes the address, suggests a likely typo on stderr.
final class PartnerSetEmailCLITests: XCTestCase {
    func testSetEmailFixesTheAddressAndSuggestsTypos() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("store.sqlite").path
        let me = ["--as", "me@yourcompany.example", "--db", db]
        let add = try Chatter.run(["partner", "add", "--name", "Ann", "--email", "ann@x.org", "--db", db])
        XCTAssertEqual(add.status, 0, add.stderr)
        let id = add.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let typo = try Chatter.run(["partner", "set-email", id, "ann@gmial.com", "--json"] + me)
        XCTAssertEqual(typo.status, 0, typo.stderr)
        XCTAssertTrue(typo.stderr.contains("did you mean ann@gmail.com?"), typo.stderr)
        let card = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(typo.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(card["email"] as? String, "ann@gmial.com", "set as given")
        let fine = try Chatter.run(["partner", "set-email", id, "ann@gmail.com"] + me)
        XCTAssertEqual(fine.status, 0, fine.stderr)
        XCTAssertEqual(fine.stderr, "")
        XCTAssertTrue(fine.stdout.contains("<ann@gmail.com>"), fine.stdout)
        XCTAssertEqual(try Chatter.run(["partner", "set-email", id, "not an address"] + me).status, 1)
        XCTAssertEqual(try Chatter.run(["partner", "set-email", "999", "a@x.org"] + me).status, 2)
    }
}
