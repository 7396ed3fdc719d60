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

    private func grouped(_ n: Int) -> String {
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.groupingSeparator = ","
        f.usesGroupingSeparator = true
        return f.string(from: NSNumber(value: n)) ?? String(n)
    }
}
