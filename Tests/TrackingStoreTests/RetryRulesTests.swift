import TrackingModel
import XCTest

@testable import TrackingStore

/// The Retry rules: addresses suppressed by the person (spam, unsub) are left out
/// unless named, and a partial retry keeps the message in Failed.
final class RetryRulesTests: XCTestCase {
    /// A failed message to ok, spam and unsub, where spam and unsub reported or opted out earlier.
    private func suppressedSetup(_ f: Fixture) throws -> (message: Int64, ids: [String: Int64]) {
        let old = try f.post(to: ["spam@x.org", "unsub@x.org"])
        try f.event(old.trackings[0].id, .spam)
        try f.event(old.trackings[1].id, .unsub)
        f.clock.advance(10)
        let r = try f.post(to: ["ok@x.org", "spam@x.org", "unsub@x.org"])
        var ids: [String: Int64] = [:]
        for t in r.trackings {
            ids[t.address!] = t.id
            try f.event(t.id, .softBounce, description: "mailbox full")
        }
        f.clock.advance(5)
        return (r.id, ids)
    }

    func testSuppressedRowsAreUntickedAndLeftOutByDefault() throws {
        let f = try Fixture()
        let (message, ids) = try suppressedSetup(f)
        let plan = try f.store.retryPlan(messageId: message)
        let by = Dictionary(uniqueKeysWithValues: plan.recipients.map { ($0.address!, $0) })
        XCTAssertEqual(by["ok@x.org"]?.verdict, .send)
        XCTAssertEqual(by["spam@x.org"]?.verdict, .unticked)
        XCTAssertEqual(by["spam@x.org"]?.suppressed, .spam)
        XCTAssertEqual(by["spam@x.org"]?.reasonCodes.last, "suppressed_spam", "the reason is given")
        XCTAssertEqual(by["unsub@x.org"]?.verdict, .unticked)
        XCTAssertEqual(by["unsub@x.org"]?.reasonCodes, ["suppressed_unsub"])
        XCTAssertEqual(plan.count, RetryCount(queue: 1, skip: 2, warnings: 0))

        let result = try f.store.retry(messageId: message, by: f.me.id)
        XCTAssertEqual(result.trackingIds, [ids["ok@x.org"]!])
        XCTAssertEqual(result.skippedSuppressed, [ids["spam@x.org"]!, ids["unsub@x.org"]!])
        XCTAssertEqual(try f.state(ids["spam@x.org"]!), .softBounced, "not resent")
        XCTAssertEqual(try f.state(ids["ok@x.org"]!), nil, "resent: waiting")
        XCTAssertEqual(try f.store.stats(for: nil).outboxQueued, 1)
    }

    func testNamingASuppressedRowIncludesIt() throws {
        let f = try Fixture()
        let (message, ids) = try suppressedSetup(f)
        let plan = try f.store.retryPlan(messageId: message, addresses: ["Spam@x.org"])
        XCTAssertEqual(plan.recipients.map(\.verdict), [.warn], "named: queued with its warning")
        let result = try f.store.retry(messageId: message, addresses: ["spam@x.org"], by: f.me.id)
        XCTAssertEqual(result.trackingIds, [ids["spam@x.org"]!])
        // Ticked in the front: the tracking selection names the row too.
        let ticked = try f.store.retry(messageId: message, selection: .trackings([ids["unsub@x.org"]!]), by: f.me.id)
        XCTAssertEqual(ticked.trackingIds, [ids["unsub@x.org"]!])
    }

    func testRejectIsStillOnlyAWarning() throws {
        let f = try Fixture()
        let r = try f.post(to: ["r@x.org"])
        try f.event(r.trackings[0].id, .reject)
        let plan = try f.store.retryPlan(messageId: r.id)
        XCTAssertEqual(plan.recipients.map(\.verdict), [.warn], "a provider's refusal is not the person's choice")
    }

    func testPartialRetryKeepsTheMessageInFailed() throws {
        let f = try Fixture()
        let r = try f.post(to: ["a@x.org", "b@x.org", "c@x.org"])
        for t in r.trackings { try f.event(t.id, .softBounce) }
        f.clock.advance(5)
        let some = try f.store.retry(messageId: r.id, addresses: ["a@x.org", "b@x.org"], by: f.me.id)
        XCTAssertEqual(some.trackingIds.count, 2)
        XCTAssertEqual(some.leftFailed, 1)
        let view = try f.store.message(id: r.id)
        XCTAssertTrue(view.needsAction, "c is neither retried nor reviewed: the message stays in Failed")
        XCTAssertTrue(view.isFailed)
        XCTAssertEqual(try f.store.auditLog(messageId: r.id).filter { $0.action == "review" }, [], "not reviewed")

        let rest = try f.store.retry(messageId: r.id, by: f.me.id)
        XCTAssertEqual(rest.trackingIds.count, 1)
        XCTAssertEqual(rest.leftFailed, 0)
        XCTAssertFalse(try f.store.message(id: r.id).needsAction, "every failed row retried: out of Failed")
    }

    func testSuppressedRowLeftOutKeepsTheMessageInFailed() throws {
        let f = try Fixture()
        let (message, _) = try suppressedSetup(f)
        let result = try f.store.retry(messageId: message, by: f.me.id)
        XCTAssertEqual(result.leftFailed, 2)
        XCTAssertTrue(try f.store.message(id: message).isFailed)
    }
}
