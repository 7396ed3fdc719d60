import Foundation
import Glibc
import XCTest

/// The front end to end: the built `chatter` in a private tmux server, driven
/// with send-keys and read back with capture-pane, with deadline-bound waits.
final class FrontE2ETests: XCTestCase {
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

    /// Starts the front and waits until the counters and threads are loaded.
    @discardableResult
    private func start(width: Int = 120, height: Int = 40, extra: String = "", env: String = "") throws -> Tmux {
        let t = try Tmux(command: scratch.frontCommand(extra, env: env), width: width, height: height)
        tmux = t
        if extra.contains("--ascii") {
            try t.wait("the loaded front") { $0.range(of: #"Failed +[0-9]+"#, options: .regularExpression) != nil }
        } else {
            try t.wait("the loaded front") { FrontScreen.failedCounter($0) != nil && !FrontScreen.threadRows($0).isEmpty }
        }
        return t
    }

    /// Posts a tracked message to a new thread (newest activity, so first in the list); returns its tracking id.
    private func post(thread: String, name: String, to: String, subject: String) throws -> Int64 {
        let r = try Binary.json([
            "post", "--db", scratch.db, "--thread", thread, "--thread-name", name, "--to", to, "--subject", subject,
            "--body", "Hello from the end-to-end test.",
        ])
        guard let object = r as? [String: Any], let rows = object["trackings"] as? [[String: Any]],
            let id = rows.first?["id"] as? Int
        else { throw E2EError("unexpected post output \(r)") }
        return Int64(id)
    }

    private func event(_ trackingId: Int64, _ type: String) throws {
        let r = try Binary.run(["event", String(trackingId), type, "--db", scratch.db, "--description", "550 5.1.1 user unknown"])
        XCTAssertEqual(r.status, 0, r.out)
    }

    func testStartMoveFilterAndQuit() throws {
        // A thread with a failed message, so the failed filter has something to keep.
        let failed = try post(thread: "e2e/filter", name: "E2E filter thread", to: "Filter Target <filter.target@example.com>", subject: "E2E filter")
        try event(failed, "hard_bounce")
        let t = try start()
        let first = try t.capture()
        let rows = FrontScreen.threadRows(first)
        XCTAssertGreaterThan(rows.count, 3)
        let top = try XCTUnwrap(FrontScreen.selectedThread(first))
        let second = rows[1].trimmingCharacters(in: .whitespaces)
        try t.send("j")
        try t.wait("the cursor on the second thread") { FrontScreen.selectedThread($0) == second }
        try t.send("k")
        try t.wait("the cursor back on the first thread") { FrontScreen.selectedThread($0) == top }

        try t.send("F")
        let filtered = try t.wait("the failed filter") {
            $0.contains("[F] failed only") && !FrontScreen.threadRows($0).isEmpty && FrontScreen.threadRows($0).count < rows.count
        }
        let kept = FrontScreen.threadRows(filtered)
        XCTAssertFalse(kept.isEmpty, "the failed filter shows no thread:\n\(filtered)")
        XCTAssertTrue(kept.contains { $0.contains("E2E filter thread") }, "the thread with the hard bounce is not kept: \(kept)")
        for row in kept {
            XCTAssertTrue(row.contains("✗"), "a thread without failed messages under the filter: \(row)")
        }
        try t.send("F")
        try t.wait(for: "[F] all threads")

        try t.send("q")
        let end = try t.wait(for: "EXITED 0")
        XCTAssertFalse(end.contains("Mailboxes"), "the front's screen is still there after quitting:\n\(end)")
    }

    func testReviewAndUndoInTheFailedPane() throws {
        let t = try start()
        try t.send("2")
        // The cards loaded (not only the title from the counters): r acts on the card under the cursor.
        let pane = try t.wait("the Failed pane's cards") {
            FrontScreen.failedPaneTitleCount($0) != nil && $0.contains("▶ ✗") && $0.contains("Set as reviewed")
        }
        let n = try XCTUnwrap(FrontScreen.failedCounter(pane))
        XCTAssertGreaterThan(n, 0)
        XCTAssertEqual(FrontScreen.failedPaneTitleCount(pane), n)
        try t.send("r")
        try t.wait("the counter one lower") {
            FrontScreen.failedCounter($0) == n - 1 && FrontScreen.failedPaneTitleCount($0) == n - 1
        }
        XCTAssertEqual(try Binary.run(["failed", "--count", "--db", scratch.db]).out.trimmingCharacters(in: .whitespacesAndNewlines), String(n - 1))
        try t.send("u")
        try t.wait("the counter back") { FrontScreen.failedCounter($0) == n && FrontScreen.failedPaneTitleCount($0) == n }
        let deadline = Date().addingTimeInterval(5)
        var stored = ""
        repeat {
            stored = try Binary.run(["failed", "--count", "--db", scratch.db]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        } while stored != String(n) && Date() < deadline
        XCTAssertEqual(stored, String(n))
    }

    func testRetryQueuesAndTheMarkerTurnsWaiting() throws {
        let tid = try post(thread: "e2e/retry", name: "E2E retry thread", to: "Retry Target <retry.target@example.com>", subject: "E2E retry")
        try event(tid, "hard_bounce")
        let t = try start()
        XCTAssertEqual(FrontScreen.selectedThread(try t.capture())?.hasPrefix("E2E retry thread"), true)
        let n = try XCTUnwrap(FrontScreen.failedCounter(try t.capture()))
        try t.send("Enter")
        try t.wait(for: "Failed messages (1)")
        try t.wait(for: "✗ Retry Target")
        try t.send("j")
        try t.send("R")
        try t.wait(for: "Resend the message to the ticked recipients")
        // The store's checks arrive in the background: the bounce flagged the address; the count follows.
        try t.wait(for: "address bounced 1×")
        try t.wait(for: "resend 1 · skip 0 · 1 warning")
        try t.send("Enter")
        try t.wait("the marker waiting and the counter lower") {
            $0.contains("◷ Retry Target") && !$0.contains("✗ Retry Target") && FrontScreen.failedCounter($0) == n - 1
        }
        let rows = try Binary.json(["trackings", "--db", scratch.db, "--limit", "5"]) as? [[String: Any]] ?? []
        let row = rows.first { ($0["id"] as? Int).map(Int64.init) == tid }
        XCTAssertTrue(row?["state"] is NSNull, "the retried row should be waiting: \(String(describing: row))")
    }

    /// With a sender configured, the front sends what Retry queued: waiting, then sent, on screen.
    func testRetryIsSentByTheFrontsBackgroundSender() throws {
        let tid = try post(thread: "e2e/resend", name: "E2E resend thread", to: "Resend Target <resend.target@example.com>", subject: "E2E resend")
        try event(tid, "hard_bounce")
        // A sendmail that accepts everything (exit 0) and keeps the mail, so the test can read it.
        let spool = scratch.dir + "/sent.eml"
        let script = scratch.dir + "/fake-sendmail"
        try Data("#!/bin/sh\ncat > '\(spool)'\nexit 0\n".utf8).write(to: URL(fileURLWithPath: script))
        chmod(script, 0o755)
        let t = try start(extra: "--sendmail '\(script)'")
        try t.send("Enter")
        try t.wait(for: "✗ Resend Target")
        try t.send("j")
        try t.send("R")
        try t.wait(for: "Resend the message to the ticked recipients")
        try t.send("Enter")
        try t.wait("the resent marker", timeout: 10) { $0.contains("✓ Resend Target") && !$0.contains("✗ Resend Target") }
        let mail = try String(contentsOfFile: spool, encoding: .utf8)
        XCTAssertTrue(mail.contains("X-Chatter-Tracking-ID: \(tid)"), mail)
    }

    func testAnotherProcessChangesTheScreenWithinOneSecond() throws {
        let tid = try post(thread: "e2e/live", name: "E2E live thread", to: "Live Target <live.target@example.com>", subject: "E2E live")
        let t = try start()
        try t.send("Enter")
        try t.wait(for: "◷ Live Target")
        let n = try XCTUnwrap(FrontScreen.failedCounter(try t.capture()))
        try event(tid, "hard_bounce")
        let applied = Date()
        try t.wait("the bounce on screen", timeout: 3) {
            $0.contains("✗ Live Target") && FrontScreen.failedCounter($0) == n + 1
        }
        let elapsed = Date().timeIntervalSince(applied)
        XCTAssertLessThan(elapsed, 1.0, "another process's change took \(elapsed) s to show")
    }

    /// A front whose config.toml has one JSON-lines events source, and that source's path.
    private func startWithEventsSource() throws -> (Tmux, String) {
        let config = scratch.dir + "/config"
        let events = scratch.dir + "/events.jsonl"
        try FileManager.default.createDirectory(atPath: config + "/chatter", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: events))
        try Data("[[source]]\nkind = \"events\"\npath = \"\(events)\"\n".utf8)
            .write(to: URL(fileURLWithPath: config + "/chatter/config.toml"))
        return (try start(env: "XDG_CONFIG_HOME='\(config)'"), events)
    }

    private func append(_ line: String, to events: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: events))
        handle.seekToEndOfFile()
        handle.write(Data((line + "\n").utf8))
        try handle.close()
    }

    /// The front runs the poller of config.toml: an event appended to a configured
    /// JSON-lines source reaches the screen, and the header says the poller is live.
    func testTheBackgroundPollerFeedsTheScreen() throws {
        let tid = try post(thread: "e2e/poll", name: "E2E poller thread", to: "Polled Target <polled@example.com>", subject: "E2E poll")
        let (t, events) = try startWithEventsSource()
        try t.wait(for: "● live")
        try t.send("Enter")
        try t.wait(for: "◷ Polled Target")
        let line = #"{"type":"hard_bounce","timestamp":\#(Date().timeIntervalSince1970),"tracking_id":"\#(tid)","key":"e2e-1","status":"5.1.1","description":"550 5.1.1 unknown"}"#
        try append(line, to: events)
        try t.wait("the polled bounce on screen", timeout: 3) { $0.contains("✗ Polled Target") }
        try t.wait("the cause in words", timeout: 3) { $0.contains("<polled@example.com>: address does not exist") }
    }

    /// The receiver refusing us (our IP on a block list) is told apart from a bad
    /// address: its own marker and the cause with its side in words.
    func testARefusalOnOurSideHasItsOwnMarkerAndWords() throws {
        let tid = try post(thread: "e2e/refused", name: "E2E refused thread", to: "Refused Target <refused@example.com>", subject: "E2E refused")
        let (t, events) = try startWithEventsSource()
        try t.wait(for: "● live")
        try t.send("Enter")
        try t.wait(for: "◷ Refused Target")
        let reply = "554 5.7.1 Service unavailable; client host [192.0.2.1] blocked using zen.spamhaus.org"
        let line = #"{"type":"soft_bounce","timestamp":\#(Date().timeIntervalSince1970),"tracking_id":"\#(tid)","key":"e2e-2","status":"5.7.1","description":"\#(reply)"}"#
        try append(line, to: events)
        try t.wait("the refused marker", timeout: 3) { $0.contains("✗! Refused Target") }
        // The cause is wrapped at the pane's edge, never cut.
        try t.wait("the cause and its side in words", timeout: 3) {
            $0.contains("<refused@example.com>: refused by the receiver: our IP is") && $0.contains("block list · 554 5.7.1")
        }
    }

    func testWithoutSourcesTheHeaderSaysPollerOff() throws {
        let t = try start(env: "XDG_CONFIG_HOME='\(scratch.dir)/no-config'")
        try t.wait(for: "poller off")
    }

    func testResizeRedrawsAndTinySaysTooSmall() throws {
        let t = try start()
        try t.resize(width: 80, height: 24)
        try t.wait("the frame at 80x24") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.contains { FrontScreen.isBottom($0, width: 80) }
                && FrontScreen.failedCounter(screen) != nil
        }
        try t.resize(width: 30, height: 8)
        try t.wait(for: "terminal too small")
        try t.resize(width: 100, height: 30)
        try t.wait("the frame at 100x30") { screen in
            screen.split(separator: "\n").contains { FrontScreen.isBottom($0, width: 100) }
        }
        try t.send("q")
        try t.wait(for: "EXITED 0")
    }

    func testFailedCounterInTheDangerColour() throws {
        let t = try start()
        let plain = try t.capture().split(separator: "\n", omittingEmptySubsequences: false)
        let coloured = try t.capture(escapes: true).split(separator: "\n", omittingEmptySubsequences: false)
        let failedRow = try XCTUnwrap(plain.firstIndex { $0.hasPrefix("│") && $0.dropFirst(2).hasPrefix("Failed") })
        let inboxRow = try XCTUnwrap(plain.firstIndex { $0.hasPrefix("│") && $0.dropFirst(2).hasPrefix("Inbox") })
        // The Mailboxes pane is the left column; its counter comes before the first inner border.
        let failedCell = coloured[failedRow].components(separatedBy: "│").prefix(2).joined()
        let inboxCell = coloured[inboxRow].components(separatedBy: "│").prefix(2).joined()
        // Theme: danger / badge = 256-colour 196, bold.
        XCTAssertTrue(failedCell.contains("38;5;196"), "the Failed counter is not in the danger colour: \(failedCell.debugDescription)")
        XCTAssertFalse(inboxCell.contains("38;5;196"), "the Inbox counter is in the danger colour: \(inboxCell.debugDescription)")
    }

    func testNoColorAndAsciiDegrade() throws {
        let t = try start(extra: "--ascii", env: "NO_COLOR=1")
        let plain = try t.capture()
        XCTAssertFalse(plain.contains("│"), "--ascii still draws box characters")
        XCTAssertTrue(plain.contains("+") && plain.contains("|"), "no ASCII frame:\n\(plain)")
        let coloured = try t.capture(escapes: true)
        XCTAssertFalse(coloured.contains("38;5;"), "NO_COLOR still sends 256-colour escapes")
        XCTAssertTrue(coloured.contains("\u{1B}[1"), "mono keeps bold for the danger counter")
    }

    func testKeysConfBindsAndReportsABadLine() throws {
        let config = scratch.dir + "/config"
        try FileManager.default.createDirectory(atPath: config + "/chatter", withIntermediateDirectories: true)
        try "[threads]\nx = move-down\nthis is not a binding\n".write(
            toFile: config + "/chatter/keys.conf", atomically: true, encoding: .utf8)
        let t = try start(env: "XDG_CONFIG_HOME='\(config)'")
        try t.wait(for: "keys.conf:3:")
        let rows = FrontScreen.threadRows(try t.capture())
        try t.send("x")
        try t.wait("x bound to move-down") {
            FrontScreen.selectedThread($0) == rows[1].trimmingCharacters(in: .whitespaces)
        }
    }

    func testQuitKeysAndSignalsRestoreTheTerminal() throws {
        for (how, expected) in [("C-c", "EXITED 0"), ("TERM", "EXITED 143"), ("HUP", "EXITED 129")] {
            let t = try start()
            if how == "C-c" {
                try t.send("C-c")
            } else {
                let child = try XCTUnwrap(Processes.waitChild(of: try t.panePID()))
                kill(child, how == "TERM" ? SIGTERM : SIGHUP)
            }
            let end = try t.wait(for: expected)
            XCTAssertFalse(end.contains("Mailboxes"), "\(how): the front's screen is still there:\n\(end)")
            XCTAssertEqual(try t.format("#{alternate_on}"), "0", "\(how): still on the alternate screen")
            t.kill()
            tmux = nil
        }
    }

    func testNotATerminalIsAClearError() throws {
        let r = try Binary.run(["ui", "--db", scratch.db])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.out.contains("needs a terminal"), r.out)
        let bare = try Binary.run(["--db", scratch.db])
        XCTAssertEqual(bare.status, 1, "chatter with no subcommand is the front: \(bare.out)")
        XCTAssertTrue(bare.out.contains("needs a terminal"), bare.out)
    }
}
