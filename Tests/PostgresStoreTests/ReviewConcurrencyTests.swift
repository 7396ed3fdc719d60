import Foundation
import PostgresStore
import TrackingModel
import XCTest

/// Review and retry on one PostgreSQL database from several store objects at once (as
/// several people's commands are): a message retried by two at once queues its resends
/// once, reviews and retries of overlapping messages keep every counter exact, and
/// nobody sees a serialization failure or deadlock.
final class ReviewConcurrencyTests: XCTestCase {
    func testConcurrentRetriesAndReviewsQueueOnceAndKeepCountersExact() throws {
        let subject = try ReviewContractStore.postgres()
        let settings = try XCTUnwrap(subject.store as? PostgresStore, "a PostgreSQL store").settings
        let stores = try (0..<4).map { _ in try BlockingCall.run { try await PostgresStore.open(settings) } }
        let email = try XCTUnwrap(try subject.store.setting("default_user"))
        let me = try XCTUnwrap(try subject.store.findUser(email: email)).id
        let failed = try subject.store.failedMessageIds(for: me, filter: nil, search: nil)
        let plans = try failed.map { try subject.store.retryPlan(messageId: $0) }
        let targets = Array(plans.filter { $0.count.queue > 0 }.prefix(6))
        XCTAssertGreaterThan(targets.count, 3, "the demo has messages to retry")

        // Every store retries every target message and reviews all of them, at once.
        let errors = ErrorLog()
        DispatchQueue.concurrentPerform(iterations: stores.count) { i in
            let store = stores[i]
            for plan in i % 2 == 0 ? targets : targets.reversed() {
                do {
                    _ = try store.retry(messageId: plan.messageId, selection: .all, by: me)
                } catch {
                    // Once another store retried it, nothing is left failed to retry: the rule's refusal.
                    if !"\(error)".contains("has no failed recipients") { errors.add("\(error)") }
                }
                do { _ = try store.review(.messages([plan.messageId]), by: me) } catch { errors.add("\(error)") }
            }
        }
        XCTAssertEqual(errors.all, [], "only the rule's refusal reaches a caller")
        for plan in targets {
            XCTAssertEqual(
                try subject.int("SELECT count(*) FROM outbox WHERE kind = 'retry' AND message_id = \(plan.messageId)"),
                plan.count.queue, "message \(plan.messageId): its resends queued once")
            XCTAssertEqual(
                try subject.int("SELECT count(*) FROM audit_log WHERE action = 'retry' AND message_id = \(plan.messageId)"),
                plan.count.queue, "one audit line per resend")
        }
        XCTAssertEqual(try subject.problems(), [], "store check: the counters are exact")
        for store in stores { try BlockingCall.run { await store.close() } }
    }
}

extension ReviewConcurrencyTests {
    /// Two retries of one message that start together while a third session holds the
    /// message (so both have begun before either can finish): the second waits for the
    /// first and then finds nothing left to queue, instead of queueing the same resends again.
    func testTwoRetriesOfOneMessageStartedTogetherQueueOnce() throws {
        let subject = try ReviewContractStore.postgres()
        let settings = try XCTUnwrap(subject.store as? PostgresStore, "a PostgreSQL store").settings
        let stores = try (0..<2).map { _ in try BlockingCall.run { try await PostgresStore.open(settings) } }
        let email = try XCTUnwrap(try subject.store.setting("default_user"))
        let me = try XCTUnwrap(try subject.store.findUser(email: email)).id
        let plan = try XCTUnwrap(
            try subject.store.failedMessageIds(for: me, filter: nil, search: nil).lazy
                .map { try subject.store.retryPlan(messageId: $0) }.first { $0.count.queue > 0 })
        let holder = Thread {
            _ = try? subject.sql("SELECT 1 FROM messages WHERE id = \(plan.messageId) FOR UPDATE; SELECT pg_sleep(1.5)")
        }
        holder.start()
        Thread.sleep(forTimeInterval: 0.5)
        let results = ErrorLog()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            do {
                let r = try stores[i].retry(messageId: plan.messageId, selection: .all, by: me)
                results.add("queued \(r.outboxIds.count)")
            } catch {
                results.add("\(error)")
            }
        }
        let outcomes = results.all.sorted()
        XCTAssertEqual(outcomes.count, 2)
        XCTAssertTrue(outcomes.contains("queued \(plan.count.queue)"), "\(outcomes)")
        XCTAssertEqual(
            try subject.int("SELECT count(*) FROM outbox WHERE kind = 'retry' AND message_id = \(plan.messageId)"),
            plan.count.queue, "queued once: \(outcomes)")
        XCTAssertEqual(try subject.problems(), [])
        for store in stores { try BlockingCall.run { await store.close() } }
    }
}

/// Errors collected from several threads.
final class ErrorLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ e: String) { lock.withLock { list.append(e) } }
    var all: [String] { lock.withLock { list } }
}

extension ReviewContractStore {
    /// One integer a query returns.
    func int(_ text: String) throws -> Int {
        let rows = try sql(text)
        guard rows.count == 1, let n = Int(rows[0]) else { throw ContractError.unexpected("\(text) gave \(rows)") }
        return n
    }
}
