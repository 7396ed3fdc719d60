import Foundation
import TrackingModel
import XCTest

/// The review role's contract, from one source for both stores: on the same demo data,
/// the same review / unreview / retry / group retry / address fix give the same ids,
/// results, plans, states, counters, outbox rows and audit rows as a SQLite store doing
/// the same (the reference), each rule also checked on its own, and `store check` finds
/// the counters exact after. A subclass says how to make the store under test (the base
/// class has no `test` methods).
class ReviewContract: XCTestCase {
    func makeStore() throws -> ReviewContractStore { fatalError("a subclass says how to make its store") }

    var subject: ReviewContractStore!
    var reference: ReviewContractStore!
    var me: Int64 = 0

    override func setUpWithError() throws {
        reference = try .sqlite()
        subject = try makeStore()
        let email = try XCTUnwrap(try reference.store.setting("default_user"))
        me = try XCTUnwrap(try reference.store.findUser(email: email)).id
        XCTAssertEqual(try subject.store.findUser(email: email)?.id, me)
    }

    override func tearDown() {
        subject = nil
        reference = nil
    }

    /// Runs `body` on both stores and checks they answer alike; returns the subject's answer.
    @discardableResult
    func both<T: Equatable>(
        _ what: String, file: StaticString = #filePath, line: UInt = #line,
        _ body: (any ReviewContractStore.Roles) throws -> T
    ) throws -> T {
        let expected = try body(reference.store)
        let got = try body(subject.store)
        XCTAssertEqual(got, expected, what, file: file, line: line)
        return got
    }

    /// Both stores refuse alike (the same words), and write nothing.
    func bothRefuse(
        _ what: String, containing words: String, file: StaticString = #filePath, line: UInt = #line,
        _ body: (any ReviewContractStore.Roles) throws -> Void
    ) throws {
        let before = try subject.snapshot()
        var messages: [String] = []
        for s in [reference!, subject!] {
            do {
                try body(s.store)
                XCTFail("\(what): not refused", file: file, line: line)
            } catch {
                messages.append("\(error)")
            }
        }
        XCTAssertEqual(messages.count, 2, what, file: file, line: line)
        XCTAssertEqual(messages.first, messages.last, "\(what): the same words", file: file, line: line)
        XCTAssertTrue(messages.allSatisfy { $0.contains(words) }, "\(what): \(messages)", file: file, line: line)
        XCTAssertEqual(try subject.snapshot(), before, "\(what): nothing written", file: file, line: line)
    }

    /// Every table both stores wrote is the same, and both stores' counters check clean.
    func checkSameTablesAndClean(_ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try reference.snapshot()
        let got = try subject.snapshot()
        for (table, rows) in expected.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(got[table], rows, "\(what): table \(table)", file: file, line: line)
        }
        XCTAssertEqual(try reference.problems(), [], "\(what): the reference checks clean", file: file, line: line)
        XCTAssertEqual(try subject.problems(), [], "\(what): store check", file: file, line: line)
    }

    /// The ids of the user's Failed mailbox, newest first (the same in both stores).
    func failedIds() throws -> [Int64] {
        try both("the Failed mailbox") { try $0.failedMessageIds(for: me, filter: nil, search: nil) }
    }

    // MARK: Review

    func checkReviewAndUnreviewMoveOnlyNeedsAction() throws {
        let failed = try failedIds()
        XCTAssertGreaterThan(failed.count, 6, "the demo fills the Failed mailbox")
        let count = try both("failed count") { try $0.failedCount(for: me) }
        let picked = Array(failed.prefix(3))
        let states = try subject.sql("SELECT id || ':' || COALESCE(state, '-') FROM trackings ORDER BY id")

        XCTAssertEqual(try both("preview") { try $0.reviewPreview(.messages(picked + [picked[0]]), by: me) }, picked)
        XCTAssertEqual(try both("review") { try $0.review(.messages(picked + [picked[0]]), by: me) }, picked)
        XCTAssertEqual(try both("failed count after review") { try $0.failedCount(for: me) }, count - 3)
        XCTAssertEqual(try both("review again") { try $0.review(.messages(picked), by: me) }, [], "already reviewed")
        XCTAssertEqual(
            try subject.sql("SELECT id || ':' || COALESCE(state, '-') FROM trackings ORDER BY id"), states,
            "tracking states stay")
        XCTAssertEqual(
            try both("audit") { try $0.auditLog(messageId: picked[0]).map(\.action) }, ["review"])
        try checkSameTablesAndClean("after a review")

        XCTAssertEqual(try both("unreview") { try $0.unreview([picked[1], picked[1], picked[2]], by: me) }, [picked[1], picked[2]])
        XCTAssertEqual(try both("failed count after unreview") { try $0.failedCount(for: me) }, count - 1)
        XCTAssertEqual(try both("audit") { try $0.auditLog(messageId: picked[1]).map(\.action) }, ["review", "unreview"])
        try checkSameTablesAndClean("after an unreview")

        // A thread, a failure group, then the whole mailbox.
        let threadId = try XCTUnwrap(
            try subject.sql("SELECT model || '/' || key FROM threads t JOIN messages m ON m.thread_id = t.id WHERE m.id = \(failed[3])")
                .first)
        let ref = try XCTUnwrap(ThreadRef(parsing: threadId))
        let inThread = try both("thread preview") { try $0.reviewPreview(.thread(ref), by: me) }
        XCTAssertTrue(inThread.contains(failed[3]))
        XCTAssertEqual(try both("thread review") { try $0.review(.thread(ref), by: me) }, inThread)
        let group = try XCTUnwrap(try both("groups") { try $0.failureGroups(for: me, filter: FailureFilter()) }.first)
        let filter = FailureFilter(cause: group.cause, domain: group.domain)
        let inGroup = try both("group preview") { try $0.reviewPreview(.group(filter), by: me) }
        XCTAssertFalse(inGroup.isEmpty)
        XCTAssertEqual(try both("group review") { try $0.review(.group(filter), by: me) }, inGroup)
        try checkSameTablesAndClean("after a thread and a group review")
        let left = try failedIds()
        XCTAssertFalse(left.isEmpty)
        XCTAssertEqual(try both("all mine") { try $0.review(.allMine, by: me) }, left, "everything left, newest first")
        XCTAssertEqual(try both("failed count at the end") { try $0.failedCount(for: me) }, 0)
        try checkSameTablesAndClean("after reviewing all")

        try bothRefuse("an unknown message", containing: "no message with id 99999999") {
            _ = try $0.review(.messages([picked[0], 99_999_999]), by: me)
        }
        try bothRefuse("an unknown unreview", containing: "no message with id 99999999") {
            _ = try $0.unreview([picked[0], 99_999_999], by: me)
        }
        try bothRefuse("an unknown thread", containing: "no thread") {
            _ = try $0.review(.thread(ThreadRef(model: "nothing", key: "0")), by: me)
        }
    }

    // MARK: Retry

    func checkRetryOfOneMessageExecutesItsPlan() throws {
        let failed = try failedIds()
        // A message whose plan queues something, and one with a failed row left after a partial retry.
        let plans = try failed.map { id in try both("plan of \(id)") { try $0.retryPlan(messageId: id) } }
        let plan = try XCTUnwrap(plans.first { $0.count.queue > 0 }, "the demo has a message to retry")
        let result = try both("retry") { try $0.retry(messageId: plan.messageId, selection: .all, by: me) }
        XCTAssertEqual(result.plan, plan, "the plan shown is the plan run")
        XCTAssertEqual(result.trackingIds, plan.sendable.map(\.trackingId))
        XCTAssertEqual(result.outboxIds.count, plan.count.queue)
        XCTAssertEqual(result.leftFailed, plan.leftFailed)
        XCTAssertEqual(
            try both("audit") { try $0.auditLog(messageId: plan.messageId).filter { $0.action == "retry" }.compactMap(\.trackingId) },
            result.trackingIds)
        XCTAssertEqual(
            try both("outbox") { s in
                try s.outboxEntries(status: nil, possibleDuplicatesOnly: false, messageId: plan.messageId, limit: 100).map(\.id)
            }.sorted(), result.outboxIds.sorted())
        XCTAssertEqual(
            try subject.sql("SELECT needs_action FROM messages WHERE id = \(plan.messageId)"), [result.leftFailed == 0 ? "0" : "1"],
            "needs action only while a failed row is left")
        try checkSameTablesAndClean("after a retry")

        if result.leftFailed > 0 {
            let again = try both("the rows left") { try $0.retryPlan(messageId: plan.messageId) }
            XCTAssertEqual(again.count.queue, 0, "unticked or skipped rows stay so")
        } else {
            try bothRefuse("nothing left to retry", containing: "has no failed recipients") {
                _ = try $0.retry(messageId: plan.messageId, selection: .all, by: me)
            }
        }

        // By address and by tracking row, on another message.
        let other = try XCTUnwrap(plans.first { $0.messageId != plan.messageId && $0.recipients.contains { $0.address != nil } })
        let row = try XCTUnwrap(other.recipients.first { $0.address != nil })
        let address = try XCTUnwrap(row.address)
        try bothRefuse("a broken address", containing: "invalid address") {
            _ = try $0.retry(messageId: other.messageId, selection: .addresses(["broken@"]), by: me)
        }
        try bothRefuse("an address that did not fail", containing: "is not a failed recipient") {
            _ = try $0.retry(messageId: other.messageId, selection: .addresses(["nobody@nowhere.example"]), by: me)
        }
        let named = try both("plan by address") { try $0.retryPlan(messageId: other.messageId, selection: .addresses([address.uppercased()])) }
        XCTAssertTrue(named.recipients.contains { $0.trackingId == row.trackingId && $0.chosen })
        try both("retry by tracking") { try $0.retry(messageId: other.messageId, selection: .trackings([row.trackingId]), by: me) }
        try checkSameTablesAndClean("after a retry by tracking row")
        try bothRefuse("an unknown message", containing: "no message with id 99999999") {
            _ = try $0.retry(messageId: 99_999_999, selection: .all, by: me)
        }
    }

    func checkGroupRetryRunsEachMessagesPlan() throws {
        let groups = try both("groups") { try $0.failureGroups(for: me, filter: FailureFilter()) }
        let group = try XCTUnwrap(groups.first { $0.count > 1 }, "the demo has a group of several rows")
        let filter = FailureFilter(cause: group.cause, domain: group.domain)
        let plans = try both("group plans") { try $0.retryPlans(for: me, filter: filter) }
        XCTAssertEqual(plans.map(\.recipients.count).reduce(0, +), group.count, "every row of the group")
        let results = try both("group retry") { try $0.retry(filter: filter, by: me) }
        XCTAssertEqual(results.map(\.plan), plans, "each message's plan, as shown")
        XCTAssertEqual(results.map(\.outboxIds.count).reduce(0, +), plans.map(\.count.queue).reduce(0, +))
        try checkSameTablesAndClean("after a group retry")
        let after = try both("group plans after") { try $0.retryPlans(for: me, filter: filter) }
        XCTAssertEqual(after.map(\.count.queue).reduce(0, +), 0, "nothing of the group is left to queue")
    }

    // MARK: Address fix

    func checkAnAddressFixIsAuditedAndRetargetsTheRetry() throws {
        let failed = try failedIds()
        let plans = try failed.map { id in try both("plan of \(id)") { try $0.retryPlan(messageId: id) } }
        let row = try XCTUnwrap(
            plans.lazy.flatMap(\.recipients).first { $0.partnerId != nil && $0.address != nil && $0.pendingOutboxId == nil },
            "a failed row of a partner")
        let partner = try XCTUnwrap(row.partnerId)
        try bothRefuse("a broken address", containing: "invalid address") { _ = try $0.changePartnerEmail(id: partner, email: "bob@", by: me) }
        try bothRefuse("an unknown partner", containing: "no partner with id 99999999") {
            _ = try $0.changePartnerEmail(id: 99_999_999, email: "fixed@client.example", by: me)
        }
        let card = try both("address fix") { try $0.changePartnerEmail(id: partner, email: "Fixed <Fixed@Client.Example>", by: me) }
        XCTAssertEqual(card.email, "Fixed@Client.Example")
        XCTAssertFalse(card.emailBounced, "a new address has no failure of its own")
        let messageId = try XCTUnwrap(plans.first { $0.recipients.contains { $0.trackingId == row.trackingId } }).messageId
        let plan = try both("plan after the fix") { try $0.retryPlan(messageId: messageId, selection: .trackings([row.trackingId])) }
        XCTAssertEqual(plan.recipients.map(\.address), ["fixed@client.example"], "the resend goes to the fixed address")
        try both("retry after the fix") { try $0.retry(messageId: messageId, selection: .trackings([row.trackingId]), by: me) }
        XCTAssertEqual(
            try subject.sql("SELECT address FROM trackings WHERE id = \(row.trackingId)"), ["fixed@client.example"],
            "the row shows where the resend went")
        try checkSameTablesAndClean("after an address fix and its retry")
    }
}
