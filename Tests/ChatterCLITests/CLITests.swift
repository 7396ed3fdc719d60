import Foundation
import XCTest

/// Runs the built `chatter` binary and checks its output, JSON names and exit codes.
final class CLITests: XCTestCase {
    var dir: URL!
    var db: String { dir.appendingPathComponent("store.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func json(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let r = try Chatter.run(args + ["--json", "--db", db])
        XCTAssertEqual(r.status, 0, "chatter \(args): \(r.stderr)", file: file, line: line)
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8), options: [.fragmentsAllowed])
    }

    func testDemoAndListingsSpeakTheContract() throws {
        let demo = try Chatter.run(["demo", "--db", db])
        XCTAssertEqual(demo.status, 0, demo.stderr)
        XCTAssertTrue(demo.stdout.contains("300 messages"), demo.stdout)

        let threads = try XCTUnwrap(try json(["threads", "--failed"]) as? [[String: Any]])
        XCTAssertFalse(threads.isEmpty)
        for key in ["ref", "name", "failed_count", "last_activity"] { XCTAssertNotNil(threads[0][key], key) }
        XCTAssertTrue(threads.allSatisfy { ($0["failed_count"] as? Int ?? 0) > 0 })

        let ref = try XCTUnwrap(threads[0]["ref"] as? String)
        let thread = try XCTUnwrap(try json(["thread", ref, "--as", "admin@yourcompany.example"]) as? [String: Any])
        let messages = try XCTUnwrap(thread["messages"] as? [[String: Any]])
        XCTAssertFalse(messages.isEmpty)
        for key in ["id", "message_id", "author", "date", "subject", "needs_action", "failed", "recipients"] {
            XCTAssertNotNil(messages[0][key], key)
        }
        let recipients = messages.flatMap { $0["recipients"] as? [[String: Any]] ?? [] }
        XCTAssertFalse(recipients.isEmpty)
        for key in ["name", "address", "partner_id", "tracking_id", "state", "marker", "cc", "error_description"] {
            XCTAssertTrue(recipients[0].keys.contains(key), key)
        }
        let markers = Set(recipients.compactMap { $0["marker"] as? String })
        XCTAssertTrue(markers.isSubset(of: ["unknown", "waiting", "error", "sent", "delivered", "opened", "cc", "no_email", "no_partner"]))
        XCTAssertTrue(messages.contains { $0["failed"] as? Bool == true })

        let failed = try XCTUnwrap(try json(["failed"]) as? [[String: Any]])
        XCTAssertFalse(failed.isEmpty)
        for key in ["id", "thread", "author", "date", "subject", "failed_recipients"] { XCTAssertNotNil(failed[0][key], key) }
        let count = try XCTUnwrap(try json(["failed", "--count"]) as? [String: Any])
        XCTAssertEqual(count["count"] as? Int, try Chatter.failedTotal(db: db))

        let stats = try XCTUnwrap(try json(["stats"]) as? [String: Any])
        XCTAssertEqual(stats["messages"] as? Int, 300)

        let events = try XCTUnwrap(try json(["events", "--type", "open", "--limit", "3"]) as? [[String: Any]])
        XCTAssertEqual(events.count, 3)
        for key in ["id", "tracking_id", "type", "timestamp"] { XCTAssertNotNil(events[0][key], key) }
        XCTAssertTrue(events.allSatisfy { $0["type"] as? String == "open" })

        let bounced = try XCTUnwrap(try json(["trackings", "--state", "bounced"]) as? [[String: Any]])
        XCTAssertFalse(bounced.isEmpty)
        XCTAssertTrue(bounced.allSatisfy { $0["state"] as? String == "bounced" })

        let human = try Chatter.run(["thread", ref, "--db", db])
        XCTAssertEqual(human.status, 0)
        XCTAssertTrue(human.stdout.contains("History"))
    }

    /// `cause` and `side` in every listing's JSON, null when none; the demo shows both sides.
    func testListingsCarryCauseAndSide() throws {
        XCTAssertEqual(try Chatter.run(["demo", "--db", db]).status, 0)
        let failed = try XCTUnwrap(try json(["failed", "--limit", "500"]) as? [[String: Any]])
        let recipients = failed.flatMap { $0["failed_recipients"] as? [[String: Any]] ?? [] }
        XCTAssertFalse(recipients.isEmpty)
        for r in recipients {
            XCTAssertTrue(r.keys.contains("cause") && r.keys.contains("side"), "\(r)")
            XCTAssertNotNil(r["error_description"], "existing fields stay")
        }
        let sides = Set(recipients.compactMap { $0["side"] as? String })
        XCTAssertTrue(sides.isSuperset(of: ["address", "sender"]), "\(sides)")
        let blocked = recipients.filter { $0["cause"] as? String == "blocked" }
        XCTAssertTrue(blocked.allSatisfy { $0["side"] as? String == "sender" && $0["marker"] as? String == "error" })

        let bounced = try XCTUnwrap(try json(["trackings", "--state", "bounced"]) as? [[String: Any]])
        XCTAssertFalse(bounced.isEmpty)
        XCTAssertTrue(bounced.allSatisfy { $0["side"] as? String == "address" }, "only address failures are hard")
        let opened = try XCTUnwrap(try json(["trackings", "--state", "opened", "--limit", "5"]) as? [[String: Any]])
        for t in opened {
            XCTAssertTrue(t.keys.contains("cause"), "\(t)")
            XCTAssertTrue(t["cause"] is NSNull && t["side"] is NSNull, "no failure, no cause: \(t)")
        }
        let events = try XCTUnwrap(try json(["events", "--type", "soft_bounce", "--limit", "5"]) as? [[String: Any]])
        XCTAssertFalse(events.isEmpty)
        XCTAssertTrue(events.allSatisfy { $0["cause"] is String && $0["side"] is String }, "\(events)")

        let human = try Chatter.run(["failed", "--limit", "500", "--db", db])
        XCTAssertTrue(human.stdout.contains("[x!]"), "the ASCII marker of a refused recipient")
        XCTAssertTrue(human.stdout.contains("refused by the receiver: "), "the cause in words")
    }

    func testPartnerPostEventReviewRetryFlow() throws {
        let add = try XCTUnwrap(try json(["partner", "add", "--name", "Ann Example", "--email", "ann@example.org"]) as? [String: Any])
        let ann = try XCTUnwrap(add["id"] as? Int)
        let nomail = try XCTUnwrap((try json(["partner", "add", "--name", "No Mail"]) as? [String: Any])?["id"] as? Int)
        let post = try XCTUnwrap(
            try json([
                "post", "--as", "me@yourcompany.example", "--thread", "sale.order/42", "--thread-name", "SO042",
                "--to", "ANN@example.org, \"Doe, Jane\" <jane@x.org>", "--cc", "bob@x.org", "--partner", String(nomail),
                "--subject", "Quotation SO042", "--body", "Hello",
            ]) as? [String: Any])
        let messageId = try XCTUnwrap(post["message_id"] as? Int)
        let trackings = try XCTUnwrap(post["trackings"] as? [[String: Any]])
        XCTAssertEqual(trackings.count, 4)
        for key in ["id", "recipient", "address", "partner_id", "state", "error_type"] {
            XCTAssertTrue(trackings[0].keys.contains(key), key)
        }
        let byAddress = Dictionary(uniqueKeysWithValues: trackings.compactMap { t in (t["address"] as? String).map { ($0, t) } })
        XCTAssertEqual(byAddress["ann@example.org"]?["partner_id"] as? Int, ann)
        XCTAssertTrue(byAddress["ann@example.org"]?["state"] is NSNull)
        let noRecipient = try XCTUnwrap(trackings.first { $0["address"] is NSNull })
        XCTAssertEqual(noRecipient["state"] as? String, "error")
        XCTAssertEqual(noRecipient["error_type"] as? String, "no_recipient")

        let janeId = try XCTUnwrap(byAddress["jane@x.org"]?["id"] as? Int)
        let ev = try XCTUnwrap(try json(["event", String(janeId), "hard_bounce", "--description", "550 5.1.1 unknown"]) as? [String: Any])
        XCTAssertEqual(ev["state"] as? String, "bounced")
        XCTAssertEqual(ev["outcome"] as? String, "applied")

        let me = ["--as", "me@yourcompany.example"]
        XCTAssertEqual(try Chatter.failedTotal(db: db, me: me), 1)
        let reviewed = try XCTUnwrap(try json(["review", String(messageId)] + me) as? [String: Any])
        XCTAssertEqual(reviewed["reviewed"] as? [Int], [messageId])
        XCTAssertEqual(try Chatter.failedTotal(db: db, me: me), 0)
        XCTAssertEqual((try json(["threads", "--failed"]) as? [Any])?.count, 0)
        let undone = try XCTUnwrap(try json(["unreview", String(messageId)] + me) as? [String: Any])
        XCTAssertEqual(undone["unreviewed"] as? [Int], [messageId])
        XCTAssertEqual(try Chatter.failedTotal(db: db, me: me), 1)

        let retry = try XCTUnwrap(try json(["retry", String(messageId)] + me) as? [String: Any])
        XCTAssertEqual(retry["trackings"] as? [Int], [janeId])
        XCTAssertEqual((retry["outbox"] as? [Int])?.count, 1)
        XCTAssertEqual((retry["skipped_no_address"] as? [Int])?.count, 1)
        let rows = try XCTUnwrap(try json(["trackings", "--recipient", "jane@x.org"]) as? [[String: Any]])
        XCTAssertTrue(rows[0]["state"] is NSNull, "back to waiting")

        let card = try XCTUnwrap(try json(["partner", "show", "ann@example.org"]) as? [String: Any])
        for key in ["id", "name", "email", "email_score", "email_bounced", "tracking_count", "score_breakdown"] {
            XCTAssertNotNil(card[key], key)
        }
        XCTAssertEqual(card["tracking_count"] as? Int, 1)
        XCTAssertEqual(card["email_score"] as? Int, 50)
        let partners = try XCTUnwrap(try json(["partners"]) as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(partners.count, 3)
    }

    /// `retry --dry-run` shows the checks and the count and writes nothing; the real retry queues that count.
    func testRetryDryRunShowsChecksAndWritesNothing() throws {
        let me = ["--as", "me@yourcompany.example"]
        let nomail = try XCTUnwrap((try json(["partner", "add", "--name", "No Mail"]) as? [String: Any])?["id"] as? Int)
        let post = try XCTUnwrap(
            try json(
                ["post", "--thread", "t/1", "--to", "ok@x.org, gone@x.org", "--partner", String(nomail), "--subject", "S",
                 "--body", "B"] + me) as? [String: Any])
        let messageId = try XCTUnwrap(post["message_id"] as? Int)
        let trackings = try XCTUnwrap(post["trackings"] as? [[String: Any]])
        func id(_ address: String) throws -> Int {
            try XCTUnwrap(trackings.first { $0["address"] as? String == address }?["id"] as? Int)
        }
        _ = try json(["event", String(try id("ok@x.org")), "soft_bounce", "--description", "mailbox full"])
        _ = try json(["event", String(try id("gone@x.org")), "hard_bounce", "--description", "550 5.1.1 unknown"])

        // The whole content, not the file's bytes: any open of a store whose WAL is
        // empty makes GRDB create and drop a table (its issue 102), which moves the
        // header's counters but no row.
        func dump() throws -> String {
            let sqlite = Process()
            let pipe = Pipe()
            sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            sqlite.arguments = [db, ".dump"]
            sqlite.standardOutput = pipe
            try sqlite.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            sqlite.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let before = try dump()
        XCTAssertTrue(before.contains("INSERT INTO events"), "the dump shows the rows")
        let statsBefore = try XCTUnwrap(try json(["stats"]) as? [String: Any])

        let plan = try XCTUnwrap(try json(["retry", String(messageId), "--dry-run"] + me) as? [String: Any])
        XCTAssertEqual(plan["message_id"] as? Int, messageId)
        XCTAssertEqual(plan["dry_run"] as? Bool, true)
        XCTAssertEqual(plan["would_queue"] as? Int, 2)
        XCTAssertEqual(plan["skipped"] as? Int, 1)
        XCTAssertEqual(plan["warnings"] as? Int, 1)
        let recipients = try XCTUnwrap(plan["recipients"] as? [[String: Any]])
        XCTAssertEqual(recipients.count, 3)
        let keys = ["tracking_id", "address", "verdict", "reasons", "error_type", "error_description", "bounced",
                    "suppressed", "last_events"]
        for r in recipients { for key in keys { XCTAssertTrue(r.keys.contains(key), key) } }
        let gone = try XCTUnwrap(recipients.first { $0["address"] as? String == "gone@x.org" })
        XCTAssertEqual(gone["verdict"] as? String, "warn")
        XCTAssertEqual(gone["reasons"] as? [String], ["address_bounced"])
        XCTAssertEqual(gone["bounced"] as? Bool, true)
        XCTAssertEqual((gone["last_events"] as? [[String: Any]])?.first?["type"] as? String, "hard_bounce")
        let none = try XCTUnwrap(recipients.first { $0["address"] is NSNull })
        XCTAssertEqual(none["verdict"] as? String, "skip")
        XCTAssertEqual(none["reasons"] as? [String], ["no_address"])

        let human = try Chatter.run(["retry", String(messageId), "--dry-run", "--db", db] + me)
        XCTAssertEqual(human.status, 0, human.stderr)
        XCTAssertTrue(human.stdout.contains("address bounced 1×"), human.stdout)
        XCTAssertTrue(human.stdout.contains("mailbox full"), human.stdout)
        XCTAssertTrue(human.stdout.contains("550 5.1.1 unknown"), human.stdout)
        XCTAssertTrue(
            human.stdout.contains("dry run: 2 mail(s) would be queued, 1 skipped (no address 1), 1 warning(s)"),
            human.stdout)

        XCTAssertEqual(try dump(), before, "the dry run wrote nothing")
        let statsAfter = try XCTUnwrap(try json(["stats"]) as? [String: Any])
        XCTAssertEqual(statsAfter as NSDictionary, statsBefore as NSDictionary)
        XCTAssertEqual(try Chatter.run(["retry", "999", "--dry-run", "--db", db]).status, 2)
        XCTAssertEqual(try Chatter.run(["retry", String(messageId), "--dry-run", "--recipient", "x@nowhere.org", "--db", db]).status, 1)

        let done = try XCTUnwrap(try json(["retry", String(messageId)] + me) as? [String: Any])
        XCTAssertEqual(done["dry_run"] as? Bool, false)
        XCTAssertEqual((done["trackings"] as? [Int])?.count, plan["would_queue"] as? Int, "the count shown is the count queued")
        XCTAssertEqual((done["outbox"] as? [Int])?.count, 2)
        XCTAssertEqual(done["skipped_no_address"] as? [Int], [none["tracking_id"] as? Int].compactMap { $0 })
        XCTAssertEqual(done["skipped_already_queued"] as? [Int], [])
        XCTAssertEqual(done["would_queue"] as? Int, 2)
        let after = try XCTUnwrap(try json(["retry", String(messageId), "--dry-run"]) as? [String: Any])
        XCTAssertEqual(after["would_queue"] as? Int, 0, "the resent rows are waiting now")
        XCTAssertEqual(after["skipped"] as? Int, 1)
        let fine = try XCTUnwrap(
            try json(["post", "--thread", "t/1", "--to", "fine@x.org", "--subject", "S", "--body", "B"] + me)
                as? [String: Any])
        let nothing = try Chatter.run(["retry", String(try XCTUnwrap(fine["message_id"] as? Int)), "--dry-run", "--db", db])
        XCTAssertEqual(nothing.status, 1, "no failed recipient: the same error as the retry")
        XCTAssertTrue(nothing.stderr.contains("no failed recipients"), nothing.stderr)
    }

    func testExitCodesAndOneLineErrors() throws {
        let usage = try Chatter.run(["frobnicate", "--db", db])
        XCTAssertEqual(usage.status, 1)
        let missing = try Chatter.run(["threads", "--db", db])
        XCTAssertEqual(missing.status, 2, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("no store"))

        XCTAssertEqual(try Chatter.run(["partner", "add", "--name", "X", "--email", "x@y.org", "--db", db]).status, 0)
        let badAddress = try Chatter.run([
            "post", "--db", db, "--as", "me@x.org", "--thread", "a/1", "--to", "broken@", "--subject", "s", "--body", "b",
        ])
        XCTAssertEqual(badAddress.status, 1)
        XCTAssertEqual(badAddress.stderr.split(separator: "\n").count, 1, badAddress.stderr)
        XCTAssertTrue(badAddress.stderr.contains("broken@"))
        let stats = try XCTUnwrap(try json(["stats"]) as? [String: Any])
        XCTAssertEqual(stats["messages"] as? Int, 0, "nothing written")

        XCTAssertEqual(try Chatter.run(["thread", "no/such", "--db", db]).status, 2)
        XCTAssertEqual(try Chatter.run(["partner", "show", "999", "--db", db]).status, 2)
        XCTAssertEqual(try Chatter.run(["event", "999", "open", "--db", db]).status, 2)
        XCTAssertEqual(try Chatter.run(["event", "1", "teleport", "--db", db]).status, 1)
        XCTAssertEqual(try Chatter.run(["trackings", "--state", "purple", "--db", db]).status, 1)

        // A store from a newer schema: exit 3, one clear line, file untouched.
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [db, "INSERT INTO grdb_migrations VALUES ('v2-from-the-future'); PRAGMA wal_checkpoint(TRUNCATE);"]
        try sqlite.run()
        sqlite.waitUntilExit()
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let newer = try Chatter.run(["threads", "--db", db])
        XCTAssertEqual(newer.status, 3)
        XCTAssertTrue(newer.stderr.contains("newer version of chatter"), newer.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
    }

    func testHostileTextNeverReachesTheTerminalRaw() throws {
        let hostile = "Invoice\u{1B}]0;pwned\u{07}\u{1B}[2J\rEVIL\u{202E}gpj.exe\u{9B}31m"
        XCTAssertEqual(try Chatter.run(["partner", "add", "--db", db, "--name", hostile, "--email", "red@x.org"]).status, 0)
        let refused = try Chatter.run([
            "post", "--db", db, "--as", "me@x.org", "--thread", "h/1", "--to", "\"\u{1B}[31mRed\" <red@x.org>",
            "--subject", "s", "--body", "b",
        ])
        XCTAssertEqual(refused.status, 1, "a control character in an address is refused")
        XCTAssertFalse(refused.stderr.contains("\u{1B}"), "and the error line is sanitised")
        let r = try Chatter.run([
            "post", "--db", db, "--as", "me@x.org", "--thread", "h/1", "--thread-name", hostile, "--to",
            "red@x.org", "--subject", hostile, "--body", hostile,
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        for args in [["thread", "h/1"], ["threads"], ["trackings"], ["partners"], ["partner", "show", "red@x.org"]] {
            let out = try Chatter.run(args + ["--db", db])
            XCTAssertEqual(out.status, 0, out.stderr)
            for bad: Character in ["\u{1B}", "\u{07}", "\r", "\u{202E}", "\u{9B}"] {
                XCTAssertFalse(out.stdout.contains(bad), "\(args) printed \(bad.unicodeScalars.first!.value)")
            }
        }
        let shown = try Chatter.run(["thread", "h/1", "--db", db]).stdout
        XCTAssertTrue(shown.contains("^[]0;pwned^G"), shown)
        let js = try Chatter.run(["thread", "h/1", "--json", "--db", db])
        XCTAssertFalse(js.stdout.contains("\u{1B}"))
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(js.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(obj["name"] as? String, hostile, "JSON keeps the text exactly, escaped")
    }

    /// Two processes writing one store at once: every write lands, no SQLITE_BUSY reaches a user.
    func testTwoProcessesWriteOneStoreAtOnce() throws {
        XCTAssertEqual(try Chatter.run(["partner", "add", "--name", "Seed", "--db", db]).status, 0)
        let perWorker = 25
        let failures = LockedList()
        let db = self.db
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for i in 0..<perWorker {
                do {
                    let r = try Chatter.run([
                        "post", "--db", db, "--as", "w\(worker)@x.org", "--thread", "load/\(i % 3)", "--to",
                        "r\(worker)-\(i)@x.org", "--subject", "s\(i)", "--body", "b", "--json",
                    ])
                    if r.status != 0 { failures.add("post \(worker)/\(i): \(r.stderr)") }
                    let data = Data(r.stdout.utf8)
                    if let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                        let t = (obj["trackings"] as? [[String: Any]])?.first?["id"] as? Int
                    {
                        let e = try Chatter.run(["event", String(t), i % 2 == 0 ? "delivered" : "hard_bounce", "--db", db])
                        if e.status != 0 { failures.add("event \(worker)/\(i): \(e.stderr)") }
                    }
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        XCTAssertEqual(failures.items, [])
        let stats = try XCTUnwrap(try json(["stats"]) as? [String: Any])
        XCTAssertEqual(stats["messages"] as? Int, 2 * perWorker)
        XCTAssertEqual(stats["events"] as? Int, 2 * perWorker)
        let integrity = Process()
        let pipe = Pipe()
        integrity.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        integrity.arguments = [db, "PRAGMA integrity_check;"]
        integrity.standardOutput = pipe
        try integrity.run()
        integrity.waitUntilExit()
        XCTAssertEqual(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "ok\n")
    }
}

final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ s: String) { lock.withLock { list.append(s) } }
    var items: [String] { lock.withLock { list } }
}

/// Several processes creating the same new store at the same moment.
final class StoreCreationRaceTests: XCTestCase {
    func testConcurrentFirstUseOfANewStore() throws {
        for round in 0..<5 {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-race-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let db = dir.appendingPathComponent("new.sqlite").path
            let failures = LockedList()
            DispatchQueue.concurrentPerform(iterations: 4) { i in
                do {
                    let r = try Chatter.run(["partner", "add", "--name", "P\(i)", "--email", "p\(i)@x.org", "--db", db])
                    if r.status != 0 { failures.add("round \(round) process \(i): \(r.stderr)") }
                } catch {
                    failures.add("\(error)")
                }
            }
            XCTAssertEqual(failures.items, [])
            let partners = try Chatter.run(["partners", "--json", "--db", db])
            let list = try JSONSerialization.jsonObject(with: Data(partners.stdout.utf8)) as? [Any]
            XCTAssertEqual(list?.count, 4)
        }
    }
}
