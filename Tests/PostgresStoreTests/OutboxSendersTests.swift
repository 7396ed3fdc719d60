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

    func testOutcomesPostsAndPollerBatchesAtOnceKeepTheCountersExact() throws {
        let (_, _, settings) = try OutboxContractStore.database(prefix: "counters")
        let open = { try BlockingCall.run { try await PostgresStore.open(settings) } }
        let (sender, poller, poster) = (try open(), try open(), try open())
        let me = try sender.user(email: "me@yourcompany.example", name: nil)
        @Sendable func post(_ i: Int, on store: PostgresStore) throws -> [Int64] {
            try store.postAndQueue(
                PostRequest(
                    thread: ThreadRef(model: "count", key: String(i % 4)), authorId: me.id,
                    to: ["a\(i)@x.org", "b\(i)@x.org", "c\(i)@x.org"], subject: "Mail \(i)", body: ""),
                sharedMail: false
            ).post.trackings.map(\.id)
        }
        for i in 0..<40 { _ = try post(i, on: sender) }
        let jobs = try sender.claimDueOutbox(limit: 200)
        XCTAssertEqual(jobs.count, 120)
        var rng = SeededGenerator(seed: 7)
        let outcomes: [SendOutcome] = jobs.map { _ in
            rng.below(2) == 0
                ? .permanent(server: "mx", errorType: "550", reply: "550 5.1.1 user unknown")
                : .accepted(server: "mx", queueId: nil, reply: "250")
        }
        // The poller reports on the same rows, newest first, bounces and deliveries mixed.
        let events = jobs.reversed().enumerated().map { n, job in
            NewEvent(
                trackingId: job.trackingId, type: n % 3 == 0 ? .hardBounce : .delivered, timestamp: 1_800_000_000 + Double(n),
                source: "poller-test", key: "e\(n)",
                details: EventDetails(errorDescription: "550 5.1.1 user unknown", cause: n % 3 == 0 ? .userUnknown : nil))
        }
        let failures = ErrorLog()
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            do {
                switch worker {
                case 0:
                    for start in stride(from: 0, to: jobs.count, by: 3) {
                        let end = min(start + 3, jobs.count)
                        _ = try sender.recordOutcomes(
                            Array(zip(jobs[start..<end], outcomes[start..<end])).map { ($0, $1) }, pixelURL: nil,
                            policy: RetryPolicy())
                    }
                case 1:
                    for start in stride(from: 0, to: events.count, by: 10) {
                        _ = try BlockingCall.run { try await poller.apply(Array(events[start..<min(start + 10, events.count)])) }
                    }
                default:
                    for i in 40..<60 { _ = try post(i, on: poster) }
                }
            } catch {
                failures.add("\(worker): \(error)")
            }
        }
        XCTAssertEqual(failures.all, [], "no writer saw a serialization failure or deadlock")
        let check = try BlockingCall.run { try await sender.check() }
        XCTAssertFalse(check.isEmpty)
        for item in check { XCTAssertEqual(item.problems, 0, "\(item.name): \(item.detail)") }
        XCTAssertEqual(try sender.outboxCounts().byStatus[.sending], nil, "every outcome recorded")
        XCTAssertEqual(try sender.outboxPending().queued, 60, "the posts made meanwhile are queued")
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
