import TrackingModel
import TrackingStore
import XCTest

/// The sender's side of the store: queue, claim, outcomes, backoff, expiry, crash reconciliation.
final class OutboxStoreTests: XCTestCase {
    let policy = RetryPolicy(firstBackoff: 60, maxBackoff: 600, maxAge: 3600)

    private func postAndQueue(_ f: Fixture, to: [String], thread: String = "res.partner/1") throws -> (PostResult, [Int64]) {
        let r = try f.store.postAndQueue(
            PostRequest(
                thread: ThreadRef(parsing: thread)!, authorId: f.me.id, to: to, subject: "Quote", body: "Hi there"))
        return (r.post, r.outboxIds)
    }

    func testPostAndQueueQueuesOneSendPerAddressedRecipient() throws {
        let f = try Fixture()
        let noMail = try f.partner("No Mail", nil)
        let r = try f.store.postAndQueue(
            PostRequest(
                thread: ThreadRef(parsing: "res.partner/1")!, authorId: f.me.id, to: ["a@x.org, b@x.org"],
                partnerIds: [noMail], subject: "S", body: "B"))
        XCTAssertEqual(r.post.trackings.count, 3)
        XCTAssertEqual(r.outboxIds.count, 2, "the partner without address gets its no_recipient error, no send")
        let entries = try f.store.outboxEntries()
        XCTAssertEqual(Set(entries.map(\.status)), [.queued])
        XCTAssertEqual(Set(entries.map(\.kind)), [.send])
        XCTAssertEqual(try f.store.queueSend(messageId: r.post.id, by: f.me.id), [], "already queued: nothing twice")
    }

    func testClaimRecordsTheAttemptBeforeSendingAndKeepsTheMessageId() throws {
        let f = try Fixture()
        let (post, _) = try postAndQueue(f, to: ["a@x.org"])
        let jobs = try f.store.claimDueOutbox(limit: 10)
        XCTAssertEqual(jobs.count, 1)
        let job = try XCTUnwrap(jobs.first)
        XCTAssertEqual(job.attempt, 1)
        XCTAssertEqual(job.messageIdHeader, post.messageId, "a first send carries the message's own Message-ID")
        XCTAssertEqual(try f.store.outboxEntries().first?.status, .sending)
        XCTAssertEqual(try f.store.claimDueOutbox(limit: 10), [], "a claimed entry is not claimed twice")

        // 4xx: deferred with backoff, the same Message-ID on the automatic retry.
        let rec = try f.store.recordOutcome(job, .transient(server: "mx", reply: "451 4.3.0 try later", ambiguous: false), policy: policy)
        XCTAssertEqual(rec, .deferred(nextAttemptAt: f.clock.now + 60))
        XCTAssertEqual(try f.state(job.trackingId), .deferred)
        XCTAssertEqual(try f.store.claimDueOutbox(limit: 10), [], "not due before its backoff")
        f.clock.advance(60)
        let again = try XCTUnwrap(try f.store.claimDueOutbox(limit: 10).first)
        XCTAssertEqual(again.attempt, 2)
        XCTAssertEqual(again.messageIdHeader, post.messageId)
        let rec2 = try f.store.recordOutcome(again, .transient(server: "mx", reply: "450 busy", ambiguous: false), policy: policy)
        XCTAssertEqual(rec2, .deferred(nextAttemptAt: f.clock.now + 120), "backoff doubles")
        f.clock.advance(120)
        let third = try XCTUnwrap(try f.store.claimDueOutbox(limit: 10).first)
        XCTAssertEqual(try f.store.recordOutcome(third, .accepted(server: "mx", queueId: "ABC123", reply: "250 ok"), policy: policy), .sent)
        XCTAssertEqual(try f.state(job.trackingId), .sent)
        let entry = try XCTUnwrap(try f.store.outboxEntries().first)
        XCTAssertEqual(entry.status, .sent)
        XCTAssertEqual(entry.queueId, "ABC123")
        XCTAssertEqual(entry.attempts, 3)
        let sent = try f.store.events(EventFilter(trackingId: job.trackingId, type: .sent)).rows
        XCTAssertEqual(sent.first?.details.smtpServer, "mx")
        XCTAssertEqual(try f.store.recordOutcome(third, .accepted(server: "mx", queueId: nil, reply: ""), policy: policy), .stale)
    }

    func testPermanentRefusalIsAnErrorAndFlagsThePartner() throws {
        let f = try Fixture()
        let pid = try f.partner("Ann", "ann@x.org")
        let r = try f.store.postAndQueue(
            PostRequest(thread: ThreadRef(parsing: "res.partner/1")!, authorId: f.me.id, partnerIds: [pid], subject: "S", body: "B"))
        XCTAssertEqual(r.outboxIds.count, 1)
        let job = try XCTUnwrap(try f.store.claimDueOutbox(limit: 1).first)
        XCTAssertEqual(
            try f.store.recordOutcome(job, .permanent(server: "mx", errorType: "rcpt_refused", reply: "550 5.1.1 unknown"), policy: policy),
            .failed)
        let row = try f.store.tracking(id: job.trackingId)
        XCTAssertEqual(row.state, .error)
        XCTAssertEqual(row.errorType, "rcpt_refused")
        XCTAssertEqual(row.errorDescription, "550 5.1.1 unknown")
        XCTAssertEqual(row.errorSmtpServer, "mx")
        XCTAssertTrue(try f.store.partnerCard(id: pid).emailBounced)
        XCTAssertEqual(try f.store.outboxEntries().first?.status, .failed)
    }

    func testTemporaryFailuresPastTheMaximumAgeBecomeAnError() throws {
        let f = try Fixture()
        _ = try postAndQueue(f, to: ["a@x.org"])
        var last: OutcomeRecord = .stale
        var attempts = 0
        while attempts < 50 {
            guard let job = try f.store.claimDueOutbox(limit: 1).first else {
                f.clock.advance(30)
                continue
            }
            attempts += 1
            last = try f.store.recordOutcome(job, .transient(server: "mx", reply: "421 closing", ambiguous: false), policy: policy)
            if last == .failed { break }
        }
        XCTAssertEqual(last, .failed)
        let entry = try XCTUnwrap(try f.store.outboxEntries().first)
        XCTAssertEqual(entry.status, .failed)
        XCTAssertGreaterThanOrEqual(f.clock.now - entry.queuedAt, policy.maxAge)
        // Attempts at 0, 60, 180, 420, 900, 1500, 2100, 2700, 3300 s deferred; at 3900 s past the age: 10.
        XCTAssertEqual(attempts, 10)
        XCTAssertEqual(try f.store.tracking(id: entry.trackingId).errorType, "expired")
    }

    func testUserRetryGetsANewMessageId() throws {
        let f = try Fixture()
        let (post, _) = try postAndQueue(f, to: ["a@x.org"])
        let job = try XCTUnwrap(try f.store.claimDueOutbox(limit: 1).first)
        _ = try f.store.recordOutcome(job, .permanent(server: "mx", errorType: "rcpt_refused", reply: "550 no"), policy: policy)
        f.clock.advance(5)
        let retry = try f.store.retry(messageId: post.id, by: f.me.id)
        XCTAssertEqual(retry.outboxIds.count, 1)
        let again = try XCTUnwrap(try f.store.claimDueOutbox(limit: 1).first)
        XCTAssertEqual(again.kind, .retry)
        XCTAssertNotEqual(again.messageIdHeader, post.messageId)
        XCTAssertEqual(try f.state(again.trackingId), nil, "back to waiting while it is sent again")
    }

    func testThreadReferencesNameTheEarlierMessages() throws {
        let f = try Fixture()
        let (first, _) = try postAndQueue(f, to: ["a@x.org"], thread: "sale.order/7")
        f.clock.advance(10)
        let (second, _) = try postAndQueue(f, to: ["a@x.org"], thread: "sale.order/7")
        f.clock.advance(10)
        _ = try postAndQueue(f, to: ["a@x.org"], thread: "other/1")
        let jobs = try f.store.claimDueOutbox(limit: 10)
        XCTAssertEqual(jobs.count, 3)
        XCTAssertEqual(jobs[0].references, [])
        XCTAssertEqual(jobs[1].references, [first.messageId])
        XCTAssertEqual(jobs[1].messageIdHeader, second.messageId)
        XCTAssertEqual(jobs[2].references, [], "another thread's messages are not referenced")
    }

    func testReconciliationRequeuesInFlightEntriesAsPossibleDuplicates() throws {
        let f = try Fixture()
        _ = try postAndQueue(f, to: ["a@x.org", "b@x.org"])
        let jobs = try f.store.claimDueOutbox(limit: 10)
        XCTAssertEqual(jobs.count, 2)
        // The poller saw the second one delivered after the attempt started: the server had it.
        f.clock.advance(1)
        try f.event(jobs[1].trackingId, .delivered)
        // (the sender "crashed" here: nothing recorded)
        let report = try f.store.reconcileOutbox()
        XCTAssertEqual(report.requeuedPossibleDuplicates, [jobs[0].id])
        XCTAssertEqual(report.confirmedSent, [jobs[1].id])
        let dups = try f.store.outboxEntries(possibleDuplicatesOnly: true)
        XCTAssertEqual(dups.map(\.id), [jobs[0].id])
        XCTAssertEqual(dups.first?.status, .queued)
        let again = try XCTUnwrap(try f.store.claimDueOutbox(limit: 10).first)
        XCTAssertTrue(again.possibleDuplicate)
        XCTAssertEqual(again.messageIdHeader, jobs[0].messageIdHeader, "the resend keeps the Message-ID")
        XCTAssertEqual(try f.store.reconcileOutbox().requeuedPossibleDuplicates, [again.id])
    }

    /// The resend of a possible duplicate says so on its `sent` event, where the
    /// front's timeline and `chatter events` show it; an ordinary send does not.
    func testSentEventOfAPossibleDuplicateSaysSo() throws {
        let f = try Fixture()
        _ = try postAndQueue(f, to: ["a@x.org", "b@x.org"])
        let jobs = try f.store.claimDueOutbox(limit: 10)
        _ = try f.store.reconcileOutbox()  // both were in flight: requeued, flagged
        let again = try f.store.claimDueOutbox(limit: 10)
        XCTAssertEqual(again.map(\.possibleDuplicate), [true, true])
        _ = try f.store.recordOutcome(again[0], .accepted(server: "mx", queueId: "4ABC", reply: "250 ok"), policy: policy)
        var flagged = again[1]
        flagged.possibleDuplicate = false  // as a fresh entry would be claimed
        _ = try f.store.recordOutcome(flagged, .accepted(server: "mx", queueId: nil, reply: "250 ok"), policy: policy)
        let first = try f.store.events(EventFilter(trackingId: jobs[0].trackingId, type: .sent)).rows
        XCTAssertEqual(first.first?.details.errorDetails, "queued as 4ABC; " + TrackingStore.possibleDuplicateNote)
        let second = try f.store.events(EventFilter(trackingId: jobs[1].trackingId, type: .sent)).rows
        XCTAssertEqual(second.count, 1)
        XCTAssertNil(second.first?.details.errorDetails)
    }

    func testAmbiguousTimeoutFlagsThePossibleDuplicate() throws {
        let f = try Fixture()
        _ = try postAndQueue(f, to: ["a@x.org"])
        let job = try XCTUnwrap(try f.store.claimDueOutbox(limit: 1).first)
        _ = try f.store.recordOutcome(job, .transient(server: "mx", reply: "timeout after DATA", ambiguous: true), policy: policy)
        XCTAssertEqual(try f.store.outboxCounts().possibleDuplicates, 1)
    }
}
