import TrackingModel
import TrackingStore
import XCTest

/// One mail to all recipients (`--one-mail`): the mode recorded at queue time,
/// claims by message attempt, outcomes row by row, the shared pixel's open rule.
final class SharedMailStoreTests: XCTestCase {
    let policy = RetryPolicy(firstBackoff: 60, maxBackoff: 600, maxAge: 3600)

    private func queue(_ f: Fixture, to: [String], shared: Bool, thread: String = "res.partner/1") throws -> PostResult {
        try f.store.postAndQueue(
            PostRequest(thread: ThreadRef(parsing: thread)!, authorId: f.me.id, to: to, subject: "Quote", body: "Hi"),
            sharedMail: shared
        ).post
    }

    private func id(_ post: PostResult, _ address: String) throws -> Int64 {
        try XCTUnwrap(post.trackings.first { $0.address == address }?.id)
    }

    func testASharedMessageIsClaimedAsOneMailAndAPerRecipientOneEntryByEntry() throws {
        let f = try Fixture()
        let shared = try queue(f, to: ["a@x.org, b@x.org, c@x.org"], shared: true)
        let single = try queue(f, to: ["d@x.org, e@x.org"], shared: false, thread: "res.partner/2")
        let mail = try f.store.claimDueMail()
        XCTAssertEqual(mail.map(\.address), ["a@x.org", "b@x.org", "c@x.org"])
        XCTAssertEqual(Set(mail.map(\.messageIdHeader)), [shared.messageId], "one Message-ID: the message's own")
        let token = try XCTUnwrap(mail.first?.sharedToken)
        XCTAssertEqual(token.count, 32)
        XCTAssertTrue(mail.allSatisfy { $0.sharedToken == token })
        XCTAssertFalse(shared.trackings.contains { $0.token == token }, "the shared token is no row's token")
        XCTAssertEqual(try f.store.outboxEntries(status: .sending).count, 3, "claimed together, before any byte leaves")
        let first = try f.store.claimDueMail()
        XCTAssertEqual(first.map(\.address), ["d@x.org"])
        XCTAssertNil(first.first?.sharedToken)
        XCTAssertEqual(try f.store.claimDueMail().map(\.address), ["e@x.org"])
        XCTAssertEqual(try f.store.claimDueMail(), [])
        XCTAssertTrue(try f.store.message(id: shared.id).sharedMail)
        XCTAssertFalse(try f.store.message(id: single.id).sharedMail)
        // `chatter outbox` shows the mode of each entry's mail.
        XCTAssertEqual(try f.store.outboxEntries(messageId: shared.id).map(\.sharedMail), [true, true, true])
        XCTAssertEqual(try f.store.outboxEntries(messageId: single.id).map(\.sharedMail), [false, false])
    }

    /// A killed sender's shared mail: each interrupted row names the shared token (its VERP
    /// sender's), and log evidence of the one queue id settles every row of the mail.
    func testAnInterruptedSharedMailIsReconciledAsOneMail() throws {
        let f = try Fixture()
        _ = try queue(f, to: ["a@x.org, b@x.org"], shared: true)
        let mail = try f.store.claimDueMail()
        let token = try XCTUnwrap(mail.first?.sharedToken)
        let attempts = try f.store.interruptedAttempts()
        XCTAssertEqual(attempts.map(\.outboxId), mail.map(\.id))
        XCTAssertEqual(attempts.map(\.token), [token, token], "the mail's VERP carries the shared token")
        let evidence = Dictionary(
            uniqueKeysWithValues: attempts.map { ($0.outboxId, AttemptEvidence.accepted(queueId: "5D6E7F", at: f.clock.now, source: "postfix log")) })
        let report = try f.store.reconcileOutbox(evidence: evidence)
        XCTAssertEqual(report.confirmedSent, mail.map(\.id))
        XCTAssertEqual(try f.store.outboxEntries(status: .sent).map(\.queueId), ["5D6E7F", "5D6E7F"])
        XCTAssertEqual(Set(try f.store.trackingIds(queueId: "5D6E7F")), Set(mail.map(\.trackingId)))
    }

    func testTheModeIsTheFirstQueuersAndStaysWithTheMessage() throws {
        let f = try Fixture()
        let perRecipient = try queue(f, to: ["a@x.org"], shared: false)
        XCTAssertEqual(try f.store.queueSend(messageId: perRecipient.id, by: f.me.id, sharedMail: true), [])
        XCTAssertFalse(try f.store.message(id: perRecipient.id).sharedMail, "a queued message keeps its mode")
        let later = try f.post(thread: "res.partner/3", to: ["b@x.org, c@x.org"])
        XCTAssertEqual(try f.store.queueSend(messageId: later.id, by: f.me.id, sharedMail: true).count, 2)
        XCTAssertTrue(try f.store.message(id: later.id).sharedMail)
        _ = try f.store.claimDueMail()  // the per-recipient message's entry
        XCTAssertEqual(try f.store.claimDueMail().count, 2)
    }

    func testOutcomesArePerRowAndARetryOfSomeRecipientsIsOneMailToThem() throws {
        let f = try Fixture()
        let post = try queue(f, to: ["a@x.org, b@x.org, c@x.org, d@x.org"], shared: true)
        let mail = try f.store.claimDueMail()
        XCTAssertEqual(mail.count, 4)
        let records = try f.store.recordOutcomes(
            [
                (mail[0], .accepted(server: "mx", queueId: "Q1", reply: "250 ok")),
                (mail[1], .permanent(server: "mx", errorType: "rcpt_refused", reply: "550 5.1.1 unknown")),
                (mail[2], .transient(server: "mx", reply: "451 greylisted", ambiguous: false)),
                (mail[3], .transient(server: "mx", reply: "452 full", ambiguous: false)),
            ], policy: policy)
        XCTAssertEqual(records, [.sent, .failed, .deferred(nextAttemptAt: f.clock.now + 60), .deferred(nextAttemptAt: f.clock.now + 60)])
        XCTAssertEqual(try f.state(try id(post, "a@x.org")), .sent)
        XCTAssertEqual(try f.state(try id(post, "b@x.org")), .error)
        XCTAssertEqual(try f.state(try id(post, "c@x.org")), .deferred)

        f.clock.advance(60)
        let again = try f.store.claimDueMail()
        XCTAssertEqual(again.map(\.address), ["c@x.org", "d@x.org"], "the deferred ones, together")
        XCTAssertEqual(Set(again.map(\.messageIdHeader)), [post.messageId], "an automatic retry keeps the Message-ID")
        XCTAssertEqual(again.map(\.attempt), [2, 2])
        _ = try f.store.recordOutcomes(
            again.map { ($0, .accepted(server: "mx", queueId: "Q2", reply: "250 ok")) }, policy: policy)

        // A user Retry of the refused recipient: one new mail with a new Message-ID, still shared.
        try f.store.retry(messageId: post.id, by: f.me.id)
        let retry = try f.store.claimDueMail()
        XCTAssertEqual(retry.map(\.address), ["b@x.org"])
        XCTAssertEqual(retry.first?.kind, .retry)
        XCTAssertNotEqual(retry.first?.messageIdHeader, post.messageId)
        XCTAssertEqual(retry.first?.sharedToken, mail.first?.sharedToken)
    }

    func testASharedPixelOpenIsRecordedOnEverySentOrDeliveredRowFlaggedShared() throws {
        let f = try Fixture()
        let post = try queue(f, to: ["a@x.org, b@x.org, c@x.org"], shared: true)
        let other = try queue(f, to: ["z@x.org"], shared: true, thread: "res.partner/2")
        let mail = try f.store.claimDueMail()
        let token = try XCTUnwrap(mail.first?.sharedToken)
        _ = try f.store.recordOutcomes(
            [
                (mail[0], .accepted(server: "mx", queueId: "Q", reply: "250")),
                (mail[1], .accepted(server: "mx", queueId: "Q", reply: "250")),
                (mail[2], .permanent(server: "mx", errorType: "rcpt_refused", reply: "550 no")),
            ], policy: policy)
        let (a, b, c) = (try id(post, "a@x.org"), try id(post, "b@x.org"), try id(post, "c@x.org"))
        try f.event(b, .delivered)
        let z = try id(other, "z@x.org")

        XCTAssertEqual(try f.store.tracking(id: b).token, token, "a row's pixel token (pixel_url) is the one its mail carries")
        XCTAssertNotEqual(try f.store.tracking(id: z).token, token)
        XCTAssertEqual(try f.store.recordPixelOpen(trackingId: z, token: token, ip: nil, userAgent: nil), .refused, "another message's row")
        XCTAssertEqual(try f.store.recordPixelOpen(trackingId: a, token: String(repeating: "0", count: 32), ip: nil, userAgent: nil), .refused)
        XCTAssertEqual(try f.store.recordPixelOpen(trackingId: a, token: nil, ip: nil, userAgent: nil), .refused)
        XCTAssertEqual(try f.store.recordPixelOpen(trackingId: a, token: token, ip: "1.2.3.4", userAgent: "UA"), .recorded)
        XCTAssertEqual(try f.state(a), .opened)
        XCTAssertEqual(try f.state(b), .opened)
        XCTAssertEqual(try f.state(c), .error, "an open never reaches a failed row")
        for row in [a, b] {
            let opens = try f.store.events(EventFilter(trackingId: row, type: .open)).rows
            XCTAssertEqual(opens.count, 1)
            XCTAssertEqual(opens.first?.details.errorDetails, EventDetails.sharedPixel)
            XCTAssertEqual(opens.first?.details.ip, "1.2.3.4")
        }
        XCTAssertEqual(try f.store.events(EventFilter(trackingId: c, type: .open)).rows.count, 0)
        f.clock.advance(5)
        // Through the pixel URL of another row of the same mail: every row is opened now.
        XCTAssertEqual(try f.store.recordPixelOpen(trackingId: c, token: token, ip: nil, userAgent: nil), .notOpenable)
    }

    func testASharedOpenSkipsARowAlreadyOpenedAndRecordsTheOthers() throws {
        let f = try Fixture()
        let post = try queue(f, to: ["a@x.org, b@x.org"], shared: true)
        let mail = try f.store.claimDueMail()
        let token = try XCTUnwrap(mail.first?.sharedToken)
        _ = try f.store.recordOutcomes(mail.map { ($0, .accepted(server: "mx", queueId: nil, reply: "250")) }, policy: policy)
        let (a, b) = (try id(post, "a@x.org"), try id(post, "b@x.org"))
        // a was opened just before by a per-row signal (a provider webhook, say).
        try f.event(a, .open)
        f.clock.advance(3)
        XCTAssertEqual(try f.store.recordPixelOpen(trackingId: b, token: token, ip: nil, userAgent: nil), .recorded)
        XCTAssertEqual(try f.store.events(EventFilter(trackingId: a, type: .open)).rows.count, 1, "a is opened: not openable again")
        XCTAssertEqual(try f.store.events(EventFilter(trackingId: b, type: .open)).rows.count, 1)
    }
}
