import Foundation
import TrackingModel
import TrackingStore
import XCTest

/// The whole mailbox under tmux: a Failed backlog of more than 100,000
/// messages, reached end to end with `G` and back with `g`, the frame saying
/// where the cursor is.
final class WholeMailboxE2ETests: XCTestCase {
    private var tmux: Tmux?

    override func tearDown() {
        tmux?.kill()
        tmux = nil
    }

    /// A demo store where every tracked recipient failed: about three quarters
    /// of its messages are in my Failed mailbox.
    private func backlog(_ scratch: Scratch, messages: Int) throws -> (store: TrackingStore, me: PartnerRef) {
        let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Assets/demo/dataset.json")
        let dataset = try DemoDataset.load(from: Data(contentsOf: assets))
        var options = DemoOptions()
        options.size = messages
        options.failureShare = 1
        _ = try TrackingStore.buildDemo(at: scratch.db, dataset, options: options)
        let store = try TrackingStore(path: scratch.db)
        return (store, try XCTUnwrap(try store.findUser(email: XCTUnwrap(dataset.me.email))))
    }

    func testGInFailedReachesTheLastCardOfA100kBacklog() throws {
        let scratch = try Scratch(demo: false)
        let (store, me) = try backlog(scratch, messages: 135_000)
        let total = try store.failedCount(for: me.id)
        XCTAssertGreaterThanOrEqual(total, 100_000)
        let last = try XCTUnwrap(try store.failedMessages(for: me.id, page: PageRequest(.bottom, limit: 1)).rows.first)
        let t = try Tmux(command: scratch.frontCommand(), width: 120, height: 40)
        tmux = t
        try t.wait("the loaded front") { FrontScreen.failedCounter($0) != nil }
        try t.send("2")
        let count = grouped(total)
        try t.wait("the Failed pane with its count", timeout: 20) { $0.contains("Failed messages (\(total))") && $0.contains("1 / \(count)") }
        let started = Date()
        try t.send("G")
        let end = try t.wait("the last card", timeout: 20) { $0.contains("\(count) / \(count)") }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "G reads the end in one query")
        XCTAssertTrue(end.contains(last.subject), "the oldest failed message is on screen:\n\(end)")
        try t.send("k")
        try t.wait("one card up") { $0.contains("\(grouped(total - 1)) / \(count)") }
        try t.send("g")
        try t.wait("back at the first card", timeout: 20) { $0.contains("1 / \(count)") }
        try t.send("q", "q")
        try t.wait(for: "EXITED 0")
    }

    /// A thread of 3,000 messages: `G` shows its oldest message at once with
    /// its position, `g` its newest, without paging through the thread.
    func testGInALongThreadShowsItsOldestMessageWithItsPosition() throws {
        let scratch = try Scratch(demo: false)
        let (store, me) = try backlog(scratch, messages: 20)
        let n = 3_000
        let start = Date().timeIntervalSince1970 - Double(n)  // the newest thread, first in the list
        for i in 0..<n {
            _ = try store.post(
                PostRequest(
                    thread: ThreadRef(model: "e2e.long", key: "1"), threadName: "A long thread", authorId: me.id,
                    to: ["long.reader@example.com"], subject: "Long note \(i)", body: "Note \(i)",
                    date: start + Double(i), tracked: false))
        }
        let t = try Tmux(command: scratch.frontCommand(), width: 120, height: 40)
        tmux = t
        try t.wait("the loaded front") { FrontScreen.selectedThread($0)?.hasPrefix("A long thread") == true }
        try t.send("Enter")
        try t.wait("the thread with its newest message", timeout: 10) { $0.contains("1 / 3,000") && $0.contains("Long note 2999") }
        let started = Date()
        try t.send("G")
        let end = try t.wait("the oldest message", timeout: 20) { $0.contains("3,000 / 3,000") }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "G reads the end in one query")
        XCTAssertTrue(end.contains("Long note 0"), "the oldest message is on screen:\n\(end)")
        try t.send("k")
        try t.wait("one message up") { $0.contains("2,999 / 3,000") }
        try t.send("g")
        try t.wait("back at the newest", timeout: 20) { $0.contains("1 / 3,000") && $0.contains("Long note 2999") }
        try t.send("q", "q")
        try t.wait(for: "EXITED 0")
    }

    /// The Groups view, a group of about a thousand messages reviewed in one
    /// step after its preview, then one `u` puts every message back.
    func testAGroupReviewOfAThousandMessagesAndItsUndo() throws {
        let scratch = try Scratch(demo: false)
        let (store, me) = try backlog(scratch, messages: 12_000)
        let groups = try store.failureGroups(for: me.id)
        let sizes = try groups.map { try store.failedMessageIds(for: me.id, filter: FailureFilter(group: $0.key), search: nil).count }
        let index = try XCTUnwrap(sizes.indices.filter { sizes[$0] >= 1_000 }.min { sizes[$0] < sizes[$1] }, "\(sizes)")
        let n = sizes[index]
        let before = try store.failedCount(for: me.id)
        let t = try Tmux(command: scratch.frontCommand(), width: 120, height: 40)
        tmux = t
        try t.wait("the loaded front") { FrontScreen.failedCounter($0) != nil }
        try t.send("2")
        try t.wait(for: "Failed messages (\(before))")
        try t.send("v")
        try t.wait("the groups", timeout: 10) { $0.contains("Failure groups (\(groups.count))") }
        for _ in 0..<index { try t.send("j") }
        try t.wait("the cursor on the group") { $0.contains("\(index + 1) / \(groups.count)") }
        try t.send("r")
        try t.wait("the preview", timeout: 10) { $0.contains("set \(n) messages as reviewed") }
        try t.send("Enter")
        try t.wait("the review", timeout: 15) { $0.contains("Set \(n) messages as reviewed") }
        XCTAssertEqual(try store.failedCount(for: me.id), before - n, "one transaction set the whole group as reviewed")
        try t.wait("the counter", timeout: 10) { FrontScreen.failedCounter($0) == before - n }
        try t.send("u")
        try t.wait("the undo", timeout: 15) { FrontScreen.failedCounter($0) == before }
        XCTAssertEqual(try store.failedCount(for: me.id), before, "one u undid the whole review")
        try t.send("C-c")
        try t.wait(for: "EXITED 0")
    }

    /// `/5.1.1` in Failed keeps the messages whose failure carries that status code.
    func testSearchByStatusCode() throws {
        let scratch = try Scratch(demo: false)
        let (store, me) = try backlog(scratch, messages: 800)
        let newest = try XCTUnwrap(try store.failedMessages(for: me.id, search: "5.1.1", limit: 1).rows.first)
        let matching = try store.failedMessageIds(for: me.id, filter: nil, search: "5.1.1").count
        let all = try store.failedCount(for: me.id)
        XCTAssertLessThan(matching, all, "the search leaves messages out")
        let count = matching <= 200 ? "(\(matching))" : "(200+)"
        let t = try Tmux(command: scratch.frontCommand(), width: 120, height: 40)
        tmux = t
        try t.wait("the loaded front") { FrontScreen.failedCounter($0) != nil }
        try t.send("2")
        try t.wait(for: "Failed messages (")
        try t.send("/")
        try t.send("5.1.1", literal: true)
        try t.send("Enter")
        // The newest match's subject is part of the wait: a capture can land while the frame
        // is still being written, its first line there and the rest not yet.
        let screen = try t.wait("the filtered list with the newest match first", timeout: 10) {
            $0.contains("search: 5.1.1 \(count)") && $0.contains("1 / ") && $0.contains(newest.subject)
        }
        XCTAssertTrue(screen.contains(newest.subject), "the newest match is first:\n\(screen)")
        XCTAssertTrue(screen.contains("5.1.1"))
        try t.send("Escape")
        try t.wait("the whole list again") { !$0.contains("search: 5.1.1") }
        try t.send("q", "q")
        try t.wait(for: "EXITED 0")
    }

    /// A malformed `[ui]` in config.toml is refused with the file and the key
    /// before the front takes the terminal.
    func testMalformedBannerSettingsAreRefused() throws {
        let scratch = try Scratch(demo: false)
        _ = try Binary.run(["partner", "add", "--name", "X", "--email", "x@y.org", "--db", scratch.db])
        for (config, what) in [
            ("[ui]\nbanner_threshold = \"ten\"\n", "config.toml:2: [ui]: banner_threshold must be an integer"),
            ("[ui]\nbanner_window_minutes = 0\n", "config.toml:2: [ui]: banner_window_minutes must be a positive whole number"),
            ("[ui]\nbanner = 3\n", "config.toml:2: [ui]: unknown setting banner"),
        ] {
            let home = scratch.dir + "/config-\(what.count)"
            try FileManager.default.createDirectory(atPath: home + "/chatter", withIntermediateDirectories: true)
            try Data(config.utf8).write(to: URL(fileURLWithPath: home + "/chatter/config.toml"))
            let t = try Tmux(command: scratch.frontCommand("--as x@y.org", env: "XDG_CONFIG_HOME='\(home)'"), width: 200, height: 20)
            tmux = t
            let screen = try t.wait(for: "EXITED 1")
            XCTAssertTrue(screen.contains(what), screen)
            t.kill()
            tmux = nil
        }
    }

    private func grouped(_ n: Int) -> String {
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.groupingSeparator = ","
        f.usesGroupingSeparator = true
        return f.string(from: NSNumber(value: n)) ?? String(n)
    }
}
