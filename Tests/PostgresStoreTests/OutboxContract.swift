import Foundation
import TrackingModel
import XCTest

/// The posting and outbox roles' contract, from one source for both stores: recipients
/// resolved by the rules, an untracked or broken post refused with nothing written,
/// claims with their attempt and Message-ID, outcomes (sent, deferred with backoff,
/// refused, expired, stale) with their events, states and Failed counters, a shared mail
/// claimed as one, and an attempt left in `sending` by a dead sender settled by the same
/// rules. A subclass says how to make the store (the base class has no `test` methods).
class OutboxContract: XCTestCase {
    let clock = ContractClock(1_790_000_000)
    let policy = RetryPolicy(firstBackoff: 60, maxBackoff: 600, maxAge: 3600)

    func makeStore() throws -> OutboxContractStore { fatalError("a subclass says how to make its store") }

    private func request(_ me: PartnerRef, to: [String], cc: [String] = [], partners: [Int64] = [], thread: String = "sale.order/7")
        -> PostRequest
    {
        PostRequest(
            thread: ThreadRef(parsing: thread)!, authorId: me.id, to: to, cc: cc, partnerIds: partners,
            subject: "  Quote S00007 ", body: "Hello")
    }

    // MARK: Posting

    func checkPostResolvesRecipientsByTheRules() throws {
        let s = try makeStore()
        let me = try s.store.user(email: "Me@YourCompany.example", name: "Mitchell Admin")
        XCTAssertEqual(try s.store.user(email: "me@yourcompany.example", name: nil).id, me.id, "one user per address")
        XCTAssertEqual(try s.store.findUser(email: "ME@yourcompany.example")?.id, me.id)
        XCTAssertNil(try s.store.findUser(email: "nobody@nowhere.example"))
        XCTAssertNil(try s.store.setting("default_user"))
        _ = try s.sql("INSERT INTO settings (key, value) VALUES ('default_user', 'me@yourcompany.example')")
        XCTAssertEqual(try s.store.setting("default_user"), "me@yourcompany.example")
        _ = try s.sql("INSERT INTO aliases (address) VALUES ('catchall@yourcompany.example')")
        _ = try s.sql(
            "INSERT INTO partners (name, email, email_normalized, notify_email, created_at) VALUES ('No Address', NULL, NULL, 1, 0)")
        _ = try s.sql(
            """
            INSERT INTO partners (name, email, email_normalized, notify_email, created_at)
            VALUES ('Ann Known', 'ann@client.example', 'ann@client.example', 1, 0)
            """)
        let noAddress = try s.int("SELECT id FROM partners WHERE name = 'No Address'")

        let result = try s.store.post(
            request(
                me, to: ["Bob <bob@client.example>, ANN@client.example", "catchall@yourcompany.example"],
                cc: ["bob@CLIENT.example", "carl@client.example"], partners: [Int64(noAddress)]))
        XCTAssertEqual(result.trackings.map(\.recipient), [
            "No Address", "Bob <bob@client.example>", "Ann Known <ann@client.example>", "carl@client.example",
        ])
        XCTAssertEqual(result.trackings.map(\.address), [nil, "bob@client.example", "ann@client.example", "carl@client.example"])
        XCTAssertEqual(result.trackings.map(\.cc), [false, false, false, true])
        XCTAssertEqual(result.trackings.map(\.state), [.error, nil, nil, nil], "no address: an error row at once")
        XCTAssertEqual(result.trackings[0].errorType, noRecipientErrorType)
        XCTAssertEqual(Set(result.trackings.compactMap(\.token)).count, 4, "each row its own pixel token")
        XCTAssertTrue(result.messageId.hasSuffix("@YourCompany.example"), result.messageId)
        XCTAssertEqual(try s.sql("SELECT subject FROM messages"), ["Quote S00007"])
        XCTAssertEqual(try s.int("SELECT count(*) FROM message_recipients WHERE message_id = \(result.id)"), 4)
        XCTAssertEqual(try s.int("SELECT failed_trackings FROM messages WHERE id = \(result.id)"), 1)
        XCTAssertEqual(try s.int("SELECT needs_action FROM messages WHERE id = \(result.id)"), 1)
        XCTAssertEqual(try s.sql("SELECT message_count || ' ' || failed_count FROM threads"), ["1 1"])
        XCTAssertEqual(try s.int("SELECT count FROM failed_counts WHERE partner_id = \(me.id)"), 1)
        XCTAssertEqual(try s.int("SELECT count(*) FROM outbox"), 0, "post alone queues nothing")

        let again = try s.store.postAndQueue(request(me, to: ["dan@client.example"]), sharedMail: false)
        XCTAssertEqual(again.outboxIds.count, 1)
        XCTAssertEqual(try s.sql("SELECT message_count FROM threads"), ["2"], "the same thread")
        XCTAssertEqual(try s.store.queueSend(messageId: result.id, by: me.id, sharedMail: false).count, 3, "rows with an address")
        XCTAssertEqual(try s.store.queueSend(messageId: result.id, by: me.id, sharedMail: false), [], "never twice")
    }

    func checkABrokenOrUntrackedPostWritesNothing() throws {
        let s = try makeStore()
        let me = try s.store.user(email: "me@yourcompany.example", name: nil)
        XCTAssertThrowsError(try s.store.post(request(me, to: ["bob@"]))) {
            XCTAssertTrue("\($0)".contains("invalid address"), "\($0)")
        }
        var untracked = request(me, to: ["bob@client.example"])
        untracked.tracked = false
        XCTAssertThrowsError(try s.store.postAndQueue(untracked, sharedMail: false))
        var blank = request(me, to: ["bob@client.example"])
        blank.subject = "  "
        XCTAssertThrowsError(try s.store.post(blank))
        XCTAssertThrowsError(try s.store.post(request(me, to: [], partners: [999_999])))
        XCTAssertThrowsError(try s.store.queueSend(messageId: 999_999, by: me.id, sharedMail: false))
        XCTAssertThrowsError(try s.store.user(email: "not an address", name: nil))
        XCTAssertEqual(try s.int("SELECT count(*) FROM messages") + s.int("SELECT count(*) FROM threads"), 0)
        let recorded = try s.store.post(untracked)
        XCTAssertEqual(recorded.trackings, [], "an untracked message has no tracking rows")
    }

    // MARK: Claims and outcomes

    func checkClaimsAndOutcomesFollowTheRules() throws {
        let s = try makeStore()
        let me = try s.store.user(email: "me@yourcompany.example", name: nil)
        let first = try s.store.post(request(me, to: ["first@client.example"]))
        let posted = try s.store.postAndQueue(
            request(me, to: ["ok@client.example", "later@client.example", "no@client.example"]), sharedMail: false)
        XCTAssertEqual(try s.store.outboxPending().queued, 3)
        let t0 = clock.now

        let a = try XCTUnwrap(s.store.claimDueMail(maxRecipients: 100).first)
        XCTAssertEqual([a.address, a.messageIdHeader], ["ok@client.example", posted.post.messageId])
        XCTAssertEqual(a.attempt, 1)
        XCTAssertEqual(a.references, [first.messageId], "the thread's earlier messages")
        XCTAssertNil(a.sharedToken)
        let rest = try s.store.claimDueOutbox(limit: 5)
        XCTAssertEqual(rest.map(\.address), ["later@client.example", "no@client.example"])
        XCTAssertEqual(try s.store.claimDueMail(maxRecipients: 100), [], "nothing else is due")
        XCTAssertEqual(try s.store.outboxPending().sending, 3)
        let (b, c) = (rest[0], rest[1])

        clock.advance(2.5)
        let records = try s.store.recordOutcomes(
            [
                (a, .accepted(server: "mx:25", queueId: "Q1", reply: "250 queued as Q1")),
                (b, .transient(server: "mx:25", reply: "451 4.7.1 greylisted", ambiguous: false)),
                (c, .permanent(server: "mx:25", errorType: "550", reply: "550 5.1.1 user unknown")),
            ], pixelURL: "http://pixel.test/p.png", policy: policy)
        XCTAssertEqual(records, [.sent, .deferred(nextAttemptAt: t0 + 2.5 + 60), .failed])
        XCTAssertEqual(try s.store.recordOutcome(a, .permanent(server: "x", errorType: "5", reply: "5"), policy: policy), .stale)
        XCTAssertEqual(try s.store.nextOutboxDue(), t0 + 2.5 + 60)
        XCTAssertEqual(
            try s.sql("SELECT coalesce(state, '-') || ' ' || coalesce(queue_id, '-') || ' ' || coalesce(pixel_url, '-') FROM trackings WHERE message_id = \(posted.post.id) ORDER BY id"),
            ["sent Q1 http://pixel.test/p.png", "deferred - -", "error - -"])
        XCTAssertEqual(
            try s.sql("SELECT type || ' ' || source || ' ' || key FROM events ORDER BY tracking_id, type"),
            ["sent outbox sent:\(a.id):1", "deferral outbox deferral:\(b.id):1", "error outbox error:\(c.id):1"])
        XCTAssertEqual(try s.int("SELECT CAST(timestamp AS INTEGER) FROM events WHERE type = 'sent'"), Int(t0), "the attempt's start second")
        XCTAssertEqual(try s.int("SELECT failed_trackings FROM messages WHERE id = \(posted.post.id)"), 1)
        XCTAssertEqual(try s.int("SELECT count FROM failed_counts WHERE partner_id = \(me.id)"), 1)
        XCTAssertEqual(try s.sql("SELECT failed_count FROM threads"), ["1"])
        XCTAssertEqual(try s.int("SELECT count(*) FROM partners WHERE email_bounced = 1"), 0, "no partner to flag")

        clock.advance(61)
        let retry = try XCTUnwrap(s.store.claimDueMail(maxRecipients: 100).first)
        XCTAssertEqual([retry.id, Int64(retry.attempt)], [b.id, 2])
        XCTAssertEqual(retry.messageIdHeader, b.messageIdHeader, "an automatic retry keeps its Message-ID")
        clock.advance(3600)
        XCTAssertEqual(
            try s.store.recordOutcome(retry, .transient(server: "mx:25", reply: "421 busy", ambiguous: true), policy: policy),
            .failed, "too old to retry")
        let entries = try s.store.outboxEntries(status: nil, possibleDuplicatesOnly: false, messageId: posted.post.id, limit: 10)
        XCTAssertEqual(entries.map(\.status), [.failed, .failed, .sent])
        XCTAssertEqual(entries.first { $0.id == b.id }?.lastError, "gave up after 2 attempts: 421 busy")
        XCTAssertEqual(try s.sql("SELECT error_type FROM events WHERE key = 'error:\(b.id):2'"), ["expired"])
        let counts = try s.store.outboxCounts()
        XCTAssertEqual(counts.byStatus, [.sent: 1, .failed: 2])
        XCTAssertEqual(try s.int("SELECT count FROM failed_counts WHERE partner_id = \(me.id)"), 1, "one failed message")
        XCTAssertEqual(try s.store.outboxPending().queued + s.store.outboxPending().sending, 0)
    }

    func checkASharedMailIsClaimedAsOne() throws {
        let s = try makeStore()
        let me = try s.store.user(email: "me@yourcompany.example", name: nil)
        let posted = try s.store.postAndQueue(
            request(me, to: ["a@client.example", "b@client.example", "c@client.example"]), sharedMail: true)
        let jobs = try s.store.claimDueMail(maxRecipients: 100)
        XCTAssertEqual(jobs.map(\.address), ["a@client.example", "b@client.example", "c@client.example"])
        XCTAssertEqual(Set(jobs.map(\.messageIdHeader)), [posted.post.messageId])
        XCTAssertEqual(Set(jobs.compactMap(\.sharedToken)).count, 1)
        XCTAssertEqual(
            try s.store.outboxEntries(status: .sending, possibleDuplicatesOnly: false, messageId: nil, limit: 10).map(\.sharedMail),
            [true, true, true])
        let records = try s.store.recordOutcomes(
            jobs.map { ($0, SendOutcome.accepted(server: "mx", queueId: "Q9", reply: "250")) }, pixelURL: "http://p/s.png",
            policy: policy)
        XCTAssertEqual(records, [.sent, .sent, .sent])
        XCTAssertEqual(try s.sql("SELECT DISTINCT pixel_url FROM trackings"), ["http://p/s.png"])
    }

    // MARK: Reconciliation

    func checkAnAttemptLeftSendingIsSettledByTheRules() throws {
        let s = try makeStore()
        let me = try s.store.user(email: "me@yourcompany.example", name: nil)
        _ = try s.store.postAndQueue(
            request(me, to: ["logged@client.example", "signal@client.example", "absent@client.example", "unknown@client.example"]),
            sharedMail: false)
        let jobs = try s.store.claimDueOutbox(limit: 10)
        XCTAssertEqual(jobs.count, 4)
        clock.advance(5)
        // A poller saw the second one delivered after the attempt started.
        _ = try s.sql(
            """
            INSERT INTO events (tracking_id, type, timestamp, source, key, recorded_at)
            VALUES (\(jobs[1].trackingId), 'delivered', \(clock.now), 'postfix', 'seen-1', \(clock.now))
            """)
        // The sender died: a new one starts.
        let store = try s.restart()
        let attempts = try store.interruptedAttempts()
        XCTAssertEqual(attempts.map(\.outboxId), jobs.map(\.id))
        XCTAssertEqual(attempts.map(\.messageIdHeader), jobs.map(\.messageIdHeader))
        let report = try store.reconcileOutbox(evidence: [
            jobs[0].id: .accepted(queueId: "LOG1", at: clock.now - 4, source: "postfix log"),
            jobs[2].id: .absent(coveredUntil: clock.now, source: "postfix log"),
        ])
        XCTAssertEqual(report.decisions.map(\.path), [
            .sentPerLog(queueId: "LOG1", source: "postfix log"), .sentPerLaterSignal(source: "postfix", type: "delivered"),
            .resentAbsentFromLog(source: "postfix log"), .resentPossibleDuplicate,
        ])
        XCTAssertEqual(report.confirmedSent, [jobs[0].id, jobs[1].id])
        XCTAssertEqual(try store.interruptedAttempts(), [], "settled once")
        XCTAssertEqual(try store.reconcileOutbox(evidence: [:]).decisions, [])
        XCTAssertEqual(try s.sql("SELECT coalesce(queue_id, '-') FROM outbox ORDER BY id"), ["LOG1", "-", "-", "-"])
        XCTAssertEqual(try s.sql("SELECT possible_duplicate FROM outbox ORDER BY id"), ["0", "0", "0", "1"])

        let resent = try store.claimDueOutbox(limit: 10)
        XCTAssertEqual(resent.map(\.id), [jobs[2].id, jobs[3].id])
        XCTAssertEqual(resent.map(\.possibleDuplicate), [false, true])
        XCTAssertEqual(resent.map(\.attempt), [2, 2])
        _ = try store.recordOutcomes(
            resent.map { ($0, SendOutcome.accepted(server: "mx", queueId: nil, reply: "250")) }, pixelURL: nil, policy: policy)
        XCTAssertEqual(
            try s.sql("SELECT error_details FROM events WHERE key = 'sent:\(jobs[3].id):2'"),
            [OutboxRules.possibleDuplicateNote], "the duplicate is said on the timeline")
        XCTAssertEqual(try s.sql("SELECT DISTINCT state FROM trackings"), ["sent"])
        XCTAssertEqual(try store.outboxCounts().possibleDuplicates, 1)
    }
}
