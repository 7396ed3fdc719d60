import Foundation
import XCTest

/// The list commands as a person reads them: every failed recipient, columns
/// that fit the terminal, the failed states at once, no "good" beside "bounced".
final class ListOutputCLITests: XCTestCase {
    private var dir: URL!
    private var db: String { dir.appendingPathComponent("store.sqlite").path }
    private var me: [String] { ["--as", "me@yourcompany.example", "--db", db] }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: dir)
    }

    /// Posts to `count` recipients and bounces each; returns the tracking ids.
    private func failedMessage(_ subject: String, recipients count: Int) throws -> [Int] {
        let to = (1...count).flatMap { ["--to", "Person \($0) <p\($0).\(subject.lowercased())@example.com>"] }
        let r = try Chatter.run(["post", "--thread", "cli/\(subject)", "--subject", subject, "--body", "B", "--json"] + to + me)
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let ids = (object["trackings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
        for id in ids {
            let e = try Chatter.run(["event", String(id), "hard_bounce", "--description", "550 5.1.1 user unknown", "--db", db])
            XCTAssertEqual(e.status, 0, e.stderr)
        }
        return ids
    }

    func testFailedShowsEveryFailedRecipientOrACount() throws {
        _ = try failedMessage("Three", recipients: 3)
        _ = try failedMessage("Eleven", recipients: 11)
        let r = try Chatter.run(["failed"] + me)
        XCTAssertEqual(r.status, 0, r.stderr)
        for n in 1...3 { XCTAssertTrue(r.stdout.contains("p\(n).three@example.com"), r.stdout) }
        for n in 1...7 { XCTAssertTrue(r.stdout.contains("p\(n).eleven@example.com"), "recipient \(n):\n\(r.stdout)") }
        XCTAssertTrue(r.stdout.contains("+4 more failed recipients"), r.stdout)
    }

    func testColumnsFitTheTerminalWidth() throws {
        _ = try failedMessage("Wide", recipients: 2)
        for width in [60, 100, 200] {
            let r = try Chatter.run(["trackings"] + me, env: ["COLUMNS": String(width)])
            XCTAssertEqual(r.status, 0, r.stderr)
            let lines: [Substring] = r.stdout.split(separator: "\n")
            let widest = lines.map(\.count).max() ?? 0
            XCTAssertLessThanOrEqual(widest, width, r.stdout)
        }
        // A wide terminal shows the whole reply (no cut at a fixed width).
        let wide = try Chatter.run(["failed"] + me, env: ["COLUMNS": "250"])
        XCTAssertTrue(wide.stdout.contains("550 5.1.1 user unknown"), wide.stdout)
    }

    func testTrackingsAcceptsStateFailed() throws {
        let failed = try failedMessage("Failing", recipients: 2)
        let ok = try Chatter.run(["post", "--thread", "cli/ok", "--subject", "Fine", "--body", "B", "--to", "fine@example.com"] + me)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let r = try Chatter.run(["trackings", "--state", "failed", "--json"] + me)
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(Set(rows.compactMap { $0["id"] as? Int }), Set(failed))
        let wrong = try Chatter.run(["trackings", "--state", "failing"] + me)
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.stderr.contains("unknown state failing (or failed: every failed state)"), wrong.stderr)
    }

    func testABouncedPartnerIsNotCalledGood() throws {
        let add = try Chatter.run(["partner", "add", "--name", "Once Fine", "--email", "fine@example.com", "--db", db])
        let id = add.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for i in 1...3 {
            let r = try Chatter.run(["post", "--thread", "cli/f\(i)", "--subject", "S\(i)", "--body", "B", "--to", "fine@example.com", "--json"] + me)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let tid = try XCTUnwrap((object["trackings"] as? [[String: Any]])?.first?["id"] as? Int)
            _ = try Chatter.run(["event", String(tid), i < 3 ? "opened" : "hard_bounce", "--description", "550 5.1.1 user unknown", "--db", db])
        }
        let show = try Chatter.run(["partner", "show", id, "--db", db])
        XCTAssertTrue(show.stdout.contains("bounced       yes"), show.stdout)
        XCTAssertFalse(show.stdout.contains("good"), show.stdout)
    }
}
