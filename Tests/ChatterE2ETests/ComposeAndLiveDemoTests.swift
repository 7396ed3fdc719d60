import Foundation
import XCTest

/// `c` (compose in `$EDITOR`, posted through the store) and `--live-demo`.
final class ComposeAndLiveDemoTests: XCTestCase {
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

    /// An "editor" script: writes `content` over the file it is given (or leaves it alone when nil).
    private func editor(_ name: String, content: String?) throws -> String {
        let path = scratch.dir + "/" + name
        let body = content.map { "cat > \"$1\" <<'EOF'\n\($0)\nEOF\n" } ?? "exit 0\n"
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    private func messages() throws -> Int {
        (try Binary.json(["stats", "--db", scratch.db]) as? [String: Any])?["messages"] as? Int ?? -1
    }

    func testComposePostsThroughTheStoreAndAnUnchangedTemplateCancels() throws {
        let writes = try editor(
            "write.sh",
            content: "To: Compose Target <compose.target@example.com>\nCc:\nSubject: E2E composed\n\nBody from the editor.")
        let t = try Tmux(command: scratch.frontCommand(env: "EDITOR='\(writes)'"), width: 120, height: 40)
        tmux = t
        try t.wait("the loaded front") { !FrontScreen.threadRows($0).isEmpty && FrontScreen.failedCounter($0) != nil }
        let before = try messages()
        try t.send("Enter")
        try t.wait(for: "History")
        try t.send("c")
        try t.wait(for: "E2E composed")
        try t.wait(for: "◷ Compose Target")
        XCTAssertEqual(try messages(), before + 1)
        let queued = try XCTUnwrap(try Binary.json(["outbox", "--db", scratch.db, "--json"]) as? [[String: Any]])
        XCTAssertEqual(queued.map { $0["recipient"] as? String }, ["Compose Target <compose.target@example.com>"], "compose queues the mail")
        try t.send("q")
        try t.send("q")
        try t.wait(for: "EXITED 0")

        let untouched = try editor("noop.sh", content: nil)
        t.kill()
        let u = try Tmux(command: scratch.frontCommand(env: "EDITOR='\(untouched)'"), width: 120, height: 40)
        tmux = u
        try u.wait("the loaded front") { !FrontScreen.threadRows($0).isEmpty && FrontScreen.failedCounter($0) != nil }
        try u.send("Enter")
        try u.wait(for: "History")
        try u.send("c")
        usleep(500_000)
        try u.wait(for: "History")
        XCTAssertEqual(try messages(), before + 1, "an unchanged template must not post")
    }

    func testLiveDemoAppliesEventsWithoutAKeyPress() throws {
        let t = try Tmux(command: scratch.frontCommand("--live-demo"), width: 120, height: 40)
        tmux = t
        try t.wait("the loaded front") { !FrontScreen.threadRows($0).isEmpty && FrontScreen.failedCounter($0) != nil }
        // The events list, newest first, absolute times: only a new event changes it.
        try t.send("3")
        try t.send("e")
        let first = try t.wait("the events list loaded") { $0.contains("Tracking events") && $0.contains("▶20") }
        let deadline = Date().addingTimeInterval(8)
        var sources: [String] = []
        while Date() < deadline {
            let events = try Binary.json(["events", "--db", scratch.db, "--limit", "3"]) as? [[String: Any]] ?? []
            sources = events.compactMap { $0["source"] as? String }
            if sources.contains("demo-live") { break }
            usleep(200_000)
        }
        XCTAssertTrue(sources.contains("demo-live"), "no demo-live event within 8 s: \(sources)")
        // The demo's event reaches the screen by itself, no key pressed.
        try t.wait("the demo event on screen", timeout: 3) { $0 != first }
        try t.send("C-c")
        try t.wait(for: "EXITED 0")
    }
}
