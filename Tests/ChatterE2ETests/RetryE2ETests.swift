import Foundation
import XCTest

/// Retry under tmux: a partial retry keeps the message in Failed and says what
/// happened; fixing a mistyped address then retrying resends to the fixed one.
/// No sender is configured here, so the front also says the mail only waits.
final class RetryE2ETests: XCTestCase {
    private var tmux: Tmux?
    private var scratch: Scratch!

    override func setUpWithError() throws {
        scratch = try Scratch()
    }

    override func tearDown() {
        tmux?.kill()
        tmux = nil
        scratch = nil
    }

    /// Posts to a new thread (first in the list) and bounces every recipient; returns the tracking ids.
    private func failedPost(thread: String, to: [String], subject: String) throws -> [Int64] {
        let r = try Binary.json(
            ["post", "--db", scratch.db, "--thread", thread, "--thread-name", subject, "--subject", subject, "--body", "Hello."]
                + to.flatMap { ["--to", $0] })
        let rows = (r as? [String: Any])?["trackings"] as? [[String: Any]] ?? []
        let ids = rows.compactMap { ($0["id"] as? Int).map(Int64.init) }
        for id in ids {
            let e = try Binary.run(["event", String(id), "hard_bounce", "--db", scratch.db, "--description", "550 5.1.1 user unknown"])
            XCTAssertEqual(e.status, 0, e.out)
        }
        return ids
    }

    /// The front on the store, the thread list loaded, the newest thread opened on its first failed card.
    private func openNewestFailedCard() throws -> Tmux {
        let t = try Tmux(command: scratch.frontCommand(), width: 120, height: 40)
        tmux = t
        try t.wait("the loaded front") { FrontScreen.failedCounter($0) != nil && !FrontScreen.threadRows($0).isEmpty }
        try t.send("Enter")
        try t.wait(for: "Failed messages (1)")
        try t.send("j")
        return t
    }

    func testAPartialRetryKeepsTheMessageInFailedAndSaysWhatHappened() throws {
        let ids = try failedPost(
            thread: "e2e/partial", to: ["Part One <part.one@example.com>", "Part Two <part.two@example.com>"],
            subject: "E2E partial retry")
        XCTAssertEqual(ids.count, 2)
        let t = try openNewestFailedCard()
        let n = try XCTUnwrap(FrontScreen.failedCounter(try t.capture()))
        try t.send("R")
        try t.wait(for: "resend 2 · skip 0")
        // Untick the second recipient: one resent, one left failed.
        try t.send("j", "Space")
        try t.wait(for: "resend 1 · skip 1")
        try t.send("Enter")
        try t.wait(for: "1 queued: no sender configured; run `chatter send` or set [smtp] · 1 left failed")
        let screen = try t.wait("the message still in Failed") {
            $0.contains("◷ Part One") && $0.contains("✗ Part Two") && FrontScreen.failedCounter($0) == n
        }
        XCTAssertTrue(screen.contains("queued (no sender)"), "the outbox in the header:\n\(screen)")
        let failed = try Binary.json(["failed", "--db", scratch.db]) as? [[String: Any]] ?? []
        XCTAssertTrue(failed.contains { ($0["subject"] as? String) == "E2E partial retry" }, "\(failed)")
    }

    func testFixTheAddressThenRetryResendsToTheFixedAddress() throws {
        let add = try Binary.run(["partner", "add", "--db", scratch.db, "--name", "Ann Typo", "--email", "ann@gmial.com"])
        XCTAssertEqual(add.status, 0, add.out)
        let partner = add.out.trimmingCharacters(in: .whitespacesAndNewlines)
        let ids = try failedPost(thread: "e2e/fix", to: ["ann@gmial.com"], subject: "E2E fix address")
        let t = try openNewestFailedCard()
        try t.send("e")
        try t.wait(for: "Address of Ann Typo: ann@gmial.com_")
        try t.wait(for: "did you mean ann@gmail.com? Tab takes it")
        try t.send("Tab")
        try t.wait(for: "Address of Ann Typo: ann@gmail.com_")
        try t.send("Enter")
        try t.wait(for: "to ann@gmail.com (address fixed)")
        try t.wait(for: "resend 1 · skip 0")
        try t.send("Enter")
        try t.wait(for: "1 queued: no sender configured")
        let card = try Binary.json(["partner", "show", partner, "--db", scratch.db]) as? [String: Any]
        XCTAssertEqual(card?["email"] as? String, "ann@gmail.com")
        let rows = try Binary.json(["trackings", "--db", scratch.db, "--limit", "5"]) as? [[String: Any]] ?? []
        let row = rows.first { ($0["id"] as? Int).map(Int64.init) == ids.first }
        XCTAssertEqual(row?["address"] as? String, "ann@gmail.com", "the resend goes to the fixed address")
        XCTAssertTrue(row?["state"] is NSNull, "waiting for the sender: \(String(describing: row))")
        let outbox = try Binary.run(["outbox", "--db", scratch.db])
        XCTAssertTrue(outbox.out.contains("ann@gmail.com"), outbox.out)
    }
}
