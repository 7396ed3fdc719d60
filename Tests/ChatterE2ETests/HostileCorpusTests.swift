import Foundation
import TrackingModel
import TrackingStore
import XCTest

/// The hostile corpus on screen: partner names, thread names, subjects, bodies
/// and error texts full of control sequences. Under tmux the pane title and the
/// window name never change, no clipboard write happens, nothing is drawn in
/// the pane below the front's, every row keeps its right border, the program
/// keeps running and the store stays readable.
final class HostileCorpusTests: XCTestCase {
    private var tmux: Tmux?
    private var scratch: Scratch!

    override func setUpWithError() throws {
        scratch = try Scratch(size: 60)
    }

    override func tearDown() {
        tmux?.kill()
        tmux = nil
        scratch = nil
    }

    /// Writes the corpus into the store: names, subjects and bodies through the
    /// store's post use case, error texts through `chatter event --description`,
    /// invalid UTF-8 bodies through `chatter post --body-file` (first, so the
    /// newest threads are corpus threads with failed messages).
    private func seed() throws -> Int {
        let corpus = HostileCorpus.strings
        XCTAssertGreaterThanOrEqual(corpus.count, 100)
        let store = try TrackingStore(path: scratch.db)
        let me = try store.user(email: "admin@yourcompany.example")
        for (i, body) in HostileCorpus.invalidUTF8Bodies.enumerated() {
            let path = scratch.dir + "/body\(i)"
            try body.write(to: URL(fileURLWithPath: path))
            let r = try Binary.run([
                "post", "--db", scratch.db, "--thread", "hostile/bytes", "--thread-name", "HX raw bytes",
                "--to", "raw\(i)@example.com", "--subject", "HX raw \(i)", "--body-file", path,
            ])
            // A NUL is refused with a clear error (SQLite's text ends at a NUL; nothing is cut silently).
            XCTAssertEqual(r.status, body.contains(0) ? 1 : 0, r.out)
        }
        var trackings: [(Int64, String)] = []
        for (i, text) in corpus.enumerated() {
            if text.contains("\u{0}") {
                XCTAssertThrowsError(try store.addPartner(name: text, email: "hx\(i)@example.com"))
                continue
            }
            let partner = try store.addPartner(name: text, email: "hx\(i)@example.com")
            let thread = ThreadRef(model: "hostile", key: String(i % 12))
            let result = try store.post(
                PostRequest(
                    thread: thread, threadName: corpus[(i % 12) * 7 % corpus.count].replacingOccurrences(of: "\u{0}", with: ""),
                    authorId: me.id,
                    partnerIds: [partner], subject: text, body: text + "\n" + text))
            if let row = result.trackings.first { trackings.append((row.id, text)) }
        }
        for (id, text) in trackings {
            let r = try Binary.run(["event", String(id), "hard_bounce", "--db", scratch.db, "--description", text])
            // Arguments cannot carry NUL: the C0 0 sample is refused by the OS, not by chatter.
            if text.contains("\u{0}") { continue }
            XCTAssertEqual(r.status, 0, "event with description \(text.debugDescription): \(r.out)")
        }
        return corpus.count
    }

    func testHostileTextNeverReachesTheTerminal() throws {
        let count = try seed()
        let t = try Tmux(command: "sleep 600", width: 120, height: 50)
        tmux = t
        try t.run(["set-option", "-g", "allow-rename", "on"])
        try t.run(["set-option", "-g", "automatic-rename", "off"])
        try t.run(["set-option", "-g", "set-clipboard", "on"])
        try t.run(["rename-window", "-t", "t", "hxwin"])
        try t.run(["kill-pane", "-a", "-t", "t"])
        // The front in the top pane, a sentinel in an 8-line pane below it.
        try t.run(["respawn-pane", "-k", "-t", "t", scratch.frontCommand()])
        try t.run(["split-window", "-v", "-l", "8", "-t", "t", "printf 'SENTINEL-OK\\n'; sleep 600"])
        try t.run(["select-pane", "-t", "t.0"])
        let title = try t.format("#{pane_title}")

        func check(_ phase: String) throws {
            XCTAssertEqual(try t.format("#{pane_title}"), title, "\(phase): the pane title changed")
            XCTAssertEqual(try t.format("#{window_name}"), "hxwin", "\(phase): the window name changed")
            XCTAssertEqual(try t.run(["list-buffers"]).output, "", "\(phase): something reached the clipboard")
            let sentinel = try t.run(["capture-pane", "-p", "-t", "t.1"]).output
                .trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertEqual(sentinel, "SENTINEL-OK", "\(phase): text appeared outside the front's pane")
            let screen = try t.run(["capture-pane", "-p", "-t", "t.0"]).output
            XCTAssertFalse(screen.contains("EXITED"), "\(phase): the front stopped:\n\(screen)")
            let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
            // Every framed row (below the header, above the key line) still ends on a border (heavy when focused).
            for row in rows.dropFirst().prefix(39) where !row.contains("terminal too small") {
                XCTAssertTrue(
                    row.last.map { "│┐┘┤┃┓┛┫".contains($0) } ?? false, "\(phase): a row lost its right border: \(row.debugDescription)")
            }
        }

        try t.wait("the front on the hostile store") { $0.contains("Mailboxes") && $0.contains("HX") }
        try check("start")
        try t.send("Enter")
        try t.wait(for: "Failed messages (")
        try t.send(String(repeating: "j", count: 40), literal: true)
        try t.wait(for: "HX")
        try check("thread")
        try t.send("i")
        try t.send("Escape")
        try t.send("G")
        try t.send(String(repeating: "k", count: 20), literal: true)
        try check("history")
        try t.send("2")
        try t.wait("the Failed pane") { FrontScreen.failedPaneTitleCount($0).map { $0 >= count - 1 } ?? false }
        for _ in 0..<4 {
            try t.send(String(repeating: "j", count: 30), literal: true)
            try t.send("i")
            usleep(150_000)
            try check("failed pane")
            try t.send("Escape")
        }
        try t.send("3")
        try t.send(String(repeating: "j", count: 30), literal: true)
        try t.send("Enter")
        usleep(200_000)
        try check("tracking")
        try t.send("Escape")
        try t.send("4")
        try t.send(String(repeating: "j", count: 30), literal: true)
        usleep(200_000)
        try check("partners")
        try t.resize(width: 70, height: 50)
        usleep(300_000)
        try check("narrow")

        let stats = try Binary.run(["stats", "--db", scratch.db])
        XCTAssertEqual(stats.status, 0, stats.out)
        try t.run(["send-keys", "-t", "t.0", "C-c"])
        try t.wait("a clean exit") { _ in
            (try? t.run(["capture-pane", "-p", "-t", "t.0"]).output.contains("EXITED 0")) ?? false
        }
    }
}
