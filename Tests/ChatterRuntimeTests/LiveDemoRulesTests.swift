import Foundation
import TrackingModel
import TrackingStore
import XCTest

@testable import ChatterRuntime

/// The live demo stays believable: replies name the real recipient, and a row
/// whose mail waits in the outbox is never shown sent or delivered.
final class LiveDemoRulesTests: XCTestCase {
    func testDemoRepliesNameTheRecipientNotAPlaceholder() {
        for failure in LiveDemo.failures {
            let text = failure.text(for: "ann@example.com")
            XCTAssertFalse(text.contains("<recipient>"), text)
        }
        XCTAssertTrue(LiveDemo.failures.contains { $0.text(for: "ann@example.com").contains("<ann@example.com>") })
    }

    func testARowQueuedInTheOutboxDoesNotMove() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try TrackingStore(path: dir.appendingPathComponent("demo.sqlite").path)
        let me = try store.user(email: "me@yourcompany.example", name: "Me")
        // One mail waiting in the outbox (no sender), one posted without it.
        let queued = try store.postAndQueue(
            PostRequest(thread: ThreadRef(model: "x", key: "1"), authorId: me.id, to: ["q@example.com"], subject: "Queued", body: "B"))
        let free = try store.post(
            PostRequest(thread: ThreadRef(model: "x", key: "2"), authorId: me.id, to: ["f@example.com"], subject: "Free", body: "B"))
        let demo = LiveDemo(store: store, me: me, afterWrite: {})
        for _ in 0..<12 { _ = try demo.step() }
        XCTAssertNil(try store.tracking(id: queued.post.trackings[0].id).state, "still queued: still waiting")
        XCTAssertNotNil(try store.tracking(id: free.trackings[0].id).state, "the other row moved")
    }
}
