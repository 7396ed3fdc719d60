import Foundation
import PostgresStore
import TestSupport
import TrackingModel
import XCTest

/// What only a store with several senders at once has to show (PostgreSQL): two senders
/// claiming at the same time never get the same entry, and reconciliation leaves a live
/// sender's attempt alone (its session holds the attempt's lock) and settles it once that
/// sender is gone.
final class OutboxSendersTests: XCTestCase {
    func testConcurrentClaimsNeverShareAnEntry() throws {
        let (_, _, settings) = try OutboxContractStore.database(prefix: "claims")
        let loader = try BlockingCall.run { try await PostgresStore.open(settings) }
        let me = try loader.user(email: "me@yourcompany.example", name: nil)
        for i in 0..<40 {
            _ = try loader.postAndQueue(
                PostRequest(
                    thread: ThreadRef(model: "claims", key: String(i % 3)), authorId: me.id,
                    to: ["a\(i)@x.org", "b\(i)@x.org", "c\(i)@x.org"], subject: "Mail \(i)", body: ""),
                sharedMail: i % 2 == 0)
        }
        let senders = try (0..<3).map { _ in try BlockingCall.run { try await PostgresStore.open(settings) } }
        let claimed = ClaimLog()
        DispatchQueue.concurrentPerform(iterations: senders.count) { index in
            while let jobs = try? senders[index].claimDueMail(maxRecipients: 100), !jobs.isEmpty {
                claimed.add(jobs.map(\.id), by: index)
            }
        }
        let all = claimed.ids
        XCTAssertEqual(all.count, 120, "every entry claimed")
        XCTAssertEqual(Set(all).count, all.count, "no entry claimed twice")
        XCTAssertGreaterThan(claimed.senders, 1, "the senders ran side by side")
        XCTAssertEqual(try loader.outboxPending().sending, 120)
        XCTAssertEqual(try loader.interruptedAttempts(), [], "every claimer is alive: nothing to reconcile")
    }

    func testALiveSendersAttemptIsLeftAloneUntilItIsGone() throws {
        let (_, _, settings) = try OutboxContractStore.database(prefix: "live")
        let sender = try BlockingCall.run { try await PostgresStore.open(settings) }
        let me = try sender.user(email: "me@yourcompany.example", name: nil)
        _ = try sender.postAndQueue(
            PostRequest(
                thread: ThreadRef(model: "live", key: "1"), authorId: me.id, to: ["a@x.org", "b@x.org"], subject: "S",
                body: ""), sharedMail: false)
        let inFlight = try sender.claimDueMail(maxRecipients: 100)
        let other = try BlockingCall.run { try await PostgresStore.open(settings) }
        XCTAssertEqual(try other.interruptedAttempts(), [])
        XCTAssertEqual(try other.reconcileOutbox(evidence: [:]).decisions, [], "a live attempt is not settled")
        let next = try XCTUnwrap(other.claimDueMail(maxRecipients: 100).first, "the other sender takes the next entry")
        XCTAssertNotEqual(next.id, inFlight.first?.id)
        XCTAssertEqual(
            try sender.recordOutcomes(
                inFlight.map { ($0, SendOutcome.accepted(server: "mx", queueId: "Q1", reply: "250")) }, pixelURL: nil,
                policy: RetryPolicy()), [.sent])

        // The other sender dies mid-attempt: its session's locks go with it.
        try BlockingCall.run { await other.close() }
        let report = try sender.reconcileOutbox(evidence: [:])
        XCTAssertEqual(report.decisions.map(\.outboxId), [next.id])
        XCTAssertEqual(report.requeuedPossibleDuplicates, [next.id])
    }
}

/// Which sender claimed what (appended from several threads).
private final class ClaimLog: @unchecked Sendable {
    private let lock = NSLock()
    private var claims: [(ids: [Int64], sender: Int)] = []
    func add(_ ids: [Int64], by sender: Int) { lock.withLock { claims.append((ids, sender)) } }
    var ids: [Int64] { lock.withLock { claims.flatMap(\.ids) } }
    var senders: Int { lock.withLock { Set(claims.map(\.sender)).count } }
}
