import Foundation
import TrackingModel
import TrackingStore
import XCTest

/// One test per rule of README "The rules", the reference's own matrix included.
final class SemanticsTests: XCTestCase {
    // MARK: Posting

    func testPostGivesOneWaitingRowPerRecipient() throws {
        let f = try Fixture()
        let ann = try f.partner("Ann", "ann@x.org")
        let r = try f.post(to: ["Bob <bob@y.org>"], cc: ["carl@z.org"], partners: [ann])
        XCTAssertEqual(r.trackings.map(\.address), ["ann@x.org", "bob@y.org", "carl@z.org"])
        XCTAssertEqual(r.trackings.map(\.state), [nil, nil, nil])
        XCTAssertEqual(r.trackings.map(\.cc), [false, false, true])
        XCTAssertEqual(r.trackings[0].partnerId, ann)
        XCTAssertNil(r.trackings[1].partnerId)
        XCTAssertEqual(r.trackings[1].recipient, "Bob <bob@y.org>")
        XCTAssertEqual(r.trackings.compactMap(\.token).count, 3)
        XCTAssertTrue(r.trackings.allSatisfy { ($0.token ?? "").count == 32 })
        let m = try f.store.message(id: r.id)
        XCTAssertFalse(m.needsAction)
    }

    func testAddressOfAPartnerIsThatPartner() throws {
        let f = try Fixture()
        let ann = try f.partner("Ann", "Ann@X.org")
        let r = try f.post(to: ["ANN@x.ORG"])
        XCTAssertEqual(r.trackings.first?.partnerId, ann)
        XCTAssertEqual(try f.store.message(id: r.id).recipients.first?.name, "Ann")
    }

    func testPartnerWithoutEmailGetsNoRecipientErrorNotBounced() throws {
        let f = try Fixture()
        let nobody = try f.partner("No Mail Ltd", nil)
        let r = try f.post(partners: [nobody])
        XCTAssertEqual(r.trackings.count, 1)
        let t = try f.store.tracking(id: r.trackings[0].id)
        XCTAssertEqual(t.state, .error)
        XCTAssertEqual(t.errorType, "no_recipient")
        XCTAssertEqual(t.errorDescription, "The partner doesn't have a defined email")
        XCTAssertFalse(try f.store.partnerCard(id: nobody).emailBounced)
        let m = try f.store.message(id: r.id)
        XCTAssertTrue(m.needsAction)
        XCTAssertEqual(m.recipients.first?.marker, .noEmail)
        XCTAssertEqual(try f.store.failedCount(for: f.me.id), 1)
    }

    func testDuplicatesAcrossToCcAndCaseGiveOneRow() throws {
        let f = try Fixture()
        let r = try f.post(to: ["a@x.org, A@X.ORG"], cc: ["Someone <a@x.org>", "b@x.org"])
        XCTAssertEqual(r.trackings.map(\.address), ["a@x.org", "b@x.org"])
        XCTAssertEqual(r.trackings.map(\.cc), [false, true])
    }

    func testAliasesAreLeftOut() throws {
        let f = try Fixture()
        try f.store.setAliases(["catchall@yourcompany.example"])
        let r = try f.post(to: ["catchall@YourCompany.example", "c@x.org"])
        XCTAssertEqual(r.trackings.map(\.address), ["c@x.org"])
        XCTAssertEqual(try f.store.message(id: r.id).recipients.map(\.address), ["c@x.org"])
    }

    func testBrokenAddressIsAClearErrorAndNothingIsWritten() throws {
        let f = try Fixture()
        XCTAssertThrowsError(try f.post(to: ["good@x.org", "broken@"])) { error in
            guard case StoreError.invalidInput(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("broken@"), m)
        }
        XCTAssertEqual(try f.store.stats(for: nil).messages, 0)
        XCTAssertEqual(try f.store.threads().rows.count, 0)
    }

    func testGroupsAndQuotedNamesParseAsAMailClientDoes() throws {
        let f = try Fixture()
        let r = try f.post(to: ["Team: \"Doe, Jane\" <jane@x.org>, jim@x.org (Jim);", "ü@bücher.de"])
        XCTAssertEqual(r.trackings.map(\.address), ["jane@x.org", "jim@x.org", "ü@xn--bcher-kva.de"])
        XCTAssertEqual(r.trackings[0].recipient, "\"Doe, Jane\" <jane@x.org>")
    }

    // MARK: Events → state

    func testEventTableMovesState() throws {
        let table: [(EventType, TrackingState)] = [
            (.sent, .sent), (.delivered, .delivered), (.deferral, .deferred), (.hardBounce, .bounced),
            (.softBounce, .softBounced), (.open, .opened), (.click, .opened), (.spam, .spam), (.unsub, .unsub),
            (.reject, .rejected),
        ]
        let f = try Fixture()
        for (type, expected) in table {
            let r = try f.post(to: ["\(type.rawValue)@x.org"])
            try f.event(r.trackings[0].id, type)
            XCTAssertEqual(try f.state(r.trackings[0].id), expected, "\(type)")
        }
    }

    func testOpenMovesSentToOpened() throws {
        let f = try Fixture()
        let tid = try f.post(to: ["a@x.org"]).trackings[0].id
        try f.event(tid, .sent)
        XCTAssertEqual(try f.state(tid), .sent)
        f.clock.advance(60)
        try f.event(tid, .open)
        XCTAssertEqual(try f.state(tid), .opened)
        let r = try f.store.message(id: try f.store.tracking(id: tid).messageId).recipients[0]
        XCTAssertEqual(r.marker, .opened)
    }

    func testBounceStoresBounceFieldsAndFlagsPartners() throws {
        let f = try Fixture()
        let p1 = try f.partner("Ann", "ann@x.org")
        let p2 = try f.partner("Ann again", "ANN@x.org")
        let tid = try f.post(partners: [p1]).trackings[0].id
        try f.store.apply(
            NewEvent(
                trackingId: tid, type: .hardBounce, timestamp: f.clock.now, source: "t", key: "b",
                details: EventDetails(bounceType: "hard", bounceDescription: "550 5.1.1 User unknown")))
        let t = try f.store.tracking(id: tid)
        XCTAssertEqual(t.state, .bounced)
        XCTAssertEqual(t.bounceType, "hard")
        XCTAssertEqual(t.bounceDescription, "550 5.1.1 User unknown")
        XCTAssertTrue(try f.store.partnerCard(id: p1).emailBounced)
        XCTAssertTrue(try f.store.partnerCard(id: p2).emailBounced, "every partner with that address")
    }

    func testSpamAndRejectFlagPartnerSoftBounceDoesNot() throws {
        let f = try Fixture()
        for (type, flags) in [(EventType.spam, true), (.reject, true), (.softBounce, false), (.deferral, false)] {
            let p = try f.partner("P \(type)", "\(type.rawValue)@x.org")
            let tid = try f.post(partners: [p]).trackings[0].id
            try f.event(tid, type)
            XCTAssertEqual(try f.store.partnerCard(id: p).emailBounced, flags, "\(type)")
        }
    }

    func testSMTPErrorSetsErrorAndFlagsPartner() throws {
        let f = try Fixture()
        let p = try f.partner("Ann", "ann@x.org")
        let tid = try f.post(partners: [p]).trackings[0].id
        try f.store.apply(
            NewEvent(
                trackingId: tid, type: .error, timestamp: f.clock.now, source: "smtp", key: "e1",
                details: EventDetails(
                    smtpServer: "smtp.example", errorType: "SMTPRecipientsRefused", errorDescription: "550 5.1.1 no",
                    cause: .userUnknown)))
        let t = try f.store.tracking(id: tid)
        XCTAssertEqual(t.state, .error)
        XCTAssertEqual(t.errorSmtpServer, "smtp.example")
        XCTAssertEqual(t.errorType, "SMTPRecipientsRefused")
        XCTAssertEqual(t.cause, .userUnknown)
        XCTAssertTrue(try f.store.partnerCard(id: p).emailBounced)
    }

    func testSMTPErrorFlagsOnlyOnAnAddressSideCause() throws {
        let f = try Fixture()
        for (cause, flags) in [(FailureCause.auth, false), (.blocked, false), (.network, false), (.hostUnknown, true)] {
            let p = try f.partner("P \(cause)", "p.\(cause.rawValue)@x.org")
            let tid = try f.post(partners: [p]).trackings[0].id
            try f.event(tid, .error, errorType: "SMTPException", description: "refused", cause: cause)
            XCTAssertEqual(try f.store.partnerCard(id: p).emailBounced, flags, "\(cause)")
            XCTAssertEqual(try f.store.tracking(id: tid).state, .error, "the row is failed whatever the side")
        }
        let p = try f.partner("Unknown", "unknown@x.org")
        try f.event(try f.post(partners: [p]).trackings[0].id, .error, errorType: "SMTPException", description: "?")
        XCTAssertFalse(try f.store.partnerCard(id: p).emailBounced, "an SMTP error without a cause does not flag")
    }

    func testHardBounceWithANonAddressCauseIsStoredSoft() throws {
        let f = try Fixture()
        let p = try f.partner("Ann", "ann@x.org")
        let tid = try f.post(partners: [p]).trackings[0].id
        try f.event(tid, .hardBounce, description: "550 5.7.1 listed at spamhaus", cause: .blocked)
        let row = try f.store.tracking(id: tid)
        XCTAssertEqual(row.state, .softBounced)
        XCTAssertEqual(row.bounceType, "soft")
        XCTAssertEqual(row.cause, .blocked)
        XCTAssertEqual(try f.store.events(EventFilter(trackingId: tid)).rows.map(\.type), [.softBounce])
        XCTAssertFalse(try f.store.partnerCard(id: p).emailBounced)
        XCTAssertEqual(try f.store.partnerCard(id: p).emailScore, 40, "soft-bounced weighs −10")
    }

    func testRowCauseIsTheCauseOfTheEventThatDecidedItsState() throws {
        let f = try Fixture()
        let tid = try f.post(to: ["a@x.org"]).trackings[0].id
        try f.event(tid, .sent)
        try f.event(tid, .deferral, description: "452 4.2.2 mailbox full", cause: .mailboxFull)
        XCTAssertEqual(try f.store.tracking(id: tid).cause, .mailboxFull)
        f.clock.advance(10)
        try f.event(tid, .delivered)
        XCTAssertNil(try f.store.tracking(id: tid).cause, "delivered: no failure to explain")
        f.clock.advance(10)
        try f.event(tid, .softBounce, description: "554 5.7.1 spam", cause: .spamContent)
        // An earlier-timed event arriving late re-derives the row; the cause follows the state.
        try f.event(tid, .open, at: f.clock.now - 5)
        let row = try f.store.tracking(id: tid)
        XCTAssertEqual(row.state, .softBounced)
        XCTAssertEqual(row.cause, .spamContent)
        XCTAssertEqual(
            try f.store.events(EventFilter(trackingId: tid, type: .softBounce)).rows.first?.details.cause, .spamContent)
    }

    func testRepeatedKeyIsIgnored() throws {
        let f = try Fixture()
        let tid = try f.post(to: ["a@x.org"]).trackings[0].id
        XCTAssertEqual(try f.event(tid, .sent, key: "same"), .applied(stateChanged: true))
        XCTAssertEqual(try f.event(tid, .delivered, key: "same"), .duplicate)
        XCTAssertEqual(try f.state(tid), .sent)
        XCTAssertEqual(try f.store.events(EventFilter(trackingId: tid)).rows.count, 1)
    }

    func testBatchReportAndCursorCommitTogether() throws {
        let f = try Fixture()
        let tid = try f.post(to: ["a@x.org"]).trackings[0].id
        let events = (0..<5).map { i in
            NewEvent(trackingId: tid, type: .deferral, timestamp: f.clock.now + Double(i), source: "log", key: "l\(i)")
        }
        let report = try f.store.apply(events + [events[0]], cursor: SourceCursor(source: "log", value: "offset=5"))
        XCTAssertEqual(report.applied, 5)
        XCTAssertEqual(report.duplicates, 1)
        XCTAssertEqual(try f.store.cursor(source: "log"), "offset=5")
    }

    // MARK: Dedup windows

    func testOpenWithinTenSecondsIsDropped() throws {
        let f = try Fixture()
        let tid = try f.post(to: ["a@x.org"]).trackings[0].id
        let t0 = f.clock.now
        try f.event(tid, .sent, at: t0)
        XCTAssertEqual(try f.event(tid, .open, at: t0 + 100), .applied(stateChanged: true))
        XCTAssertEqual(try f.event(tid, .open, at: t0 + 109), .suppressed)
        XCTAssertEqual(try f.event(tid, .open, at: t0 + 91), .suppressed)
        XCTAssertEqual(try f.event(tid, .open, at: t0 + 111), .applied(stateChanged: false))
        XCTAssertEqual(try f.store.events(EventFilter(trackingId: tid, type: .open)).rows.count, 2)
    }

    func testClickWithinFiveSecondsSameUrlIsDroppedOtherUrlKept() throws {
        let f = try Fixture()
        let tid = try f.post(to: ["a@x.org"]).trackings[0].id
        let t0 = f.clock.now
        XCTAssertEqual(try f.event(tid, .click, at: t0, url: "https://a"), .applied(stateChanged: true))
        XCTAssertEqual(try f.event(tid, .click, at: t0 + 4, url: "https://a"), .suppressed)
        XCTAssertEqual(try f.event(tid, .click, at: t0 + 4, url: "https://b"), .applied(stateChanged: false))
        XCTAssertEqual(try f.event(tid, .click, at: t0 + 6, url: "https://a"), .applied(stateChanged: false))
    }

    // MARK: Failed messages

    func testFailedStateSetsNeedsActionAndFillsTheFailedMailbox() throws {
        let f = try Fixture()
        let r = try f.post(thread: "sale.order/42", to: ["a@x.org", "b@x.org"])
        XCTAssertEqual(try f.store.failedCount(for: f.me.id), 0)
        try f.event(r.trackings[0].id, .hardBounce, description: "550 5.1.1")
        let m = try f.store.message(id: r.id)
        XCTAssertTrue(m.needsAction)
        XCTAssertTrue(m.isFailed)
        XCTAssertEqual(m.failedRecipients.map(\.address), ["a@x.org"])
        XCTAssertEqual(try f.store.failedCount(for: f.me.id), 1)
        XCTAssertEqual(try f.store.failedMessages(for: f.me.id).rows.map(\.id), [r.id])
        XCTAssertEqual(try f.store.threads(failedOnly: true).rows.map(\.ref.description), ["sale.order/42"])
        XCTAssertEqual(try f.store.thread(ThreadRef(model: "sale.order", key: "42")).failed.map(\.id), [r.id])
    }

    func testFailedMessageOnlyForAuthorOrNotifiedRecipient() throws {
        let f = try Fixture()
        let colleague = try f.store.user(email: "colleague@yourcompany.example")
        let stranger = try f.store.user(email: "stranger@yourcompany.example")
        let r = try f.post(to: ["a@x.org"], partners: [colleague.id])
        try f.event(r.trackings[0].id, .reject)
        XCTAssertEqual(try f.store.failedCount(for: f.me.id), 1, "author")
        XCTAssertEqual(try f.store.failedCount(for: colleague.id), 1, "notified recipient")
        XCTAssertEqual(try f.store.failedCount(for: stranger.id), 0)
        try f.store.review(.messages([r.id]), by: colleague.id)
        for user in [f.me.id, colleague.id, stranger.id] {
            XCTAssertEqual(try f.store.failedCount(for: user), 0)
            XCTAssertEqual(try f.store.recountFailed(for: user), 0)
        }
        try f.store.unreview([r.id], by: f.me.id)
        XCTAssertEqual(try f.store.failedCount(for: colleague.id), 1)
    }

    func testSetAsReviewedRemovesFromFailedKeepsStatesAndUndoBringsBack() throws {
        let f = try Fixture()
        let r = try f.post(thread: "x/1", to: ["a@x.org"])
        try f.event(r.trackings[0].id, .spam)
        XCTAssertEqual(try f.store.review(.messages([r.id]), by: f.me.id), [r.id])
        XCTAssertEqual(try f.store.failedCount(for: f.me.id), 0)
        XCTAssertEqual(try f.store.threads(failedOnly: true).rows.count, 0)
        XCTAssertEqual(try f.state(r.trackings[0].id), .spam, "tracking rows keep their state")
        XCTAssertEqual(try f.store.review(.messages([r.id]), by: f.me.id), [], "already reviewed")
        XCTAssertEqual(try f.store.unreview([r.id], by: f.me.id), [r.id])
        XCTAssertEqual(try f.store.failedCount(for: f.me.id), 1)
        XCTAssertEqual(try f.store.threads(failedOnly: true).rows.first?.failedCount, 1)
    }

    func testReviewThreadAndAllMine() throws {
        let f = try Fixture()
        var ids: [Int64] = []
        for (i, thread) in ["a/1", "a/1", "b/2"].enumerated() {
            let r = try f.post(thread: thread, to: ["u\(i)@x.org"])
            try f.event(r.trackings[0].id, .hardBounce)
            ids.append(r.id)
        }
        XCTAssertEqual(Set(try f.store.review(.thread(ThreadRef(parsing: "a/1")!), by: f.me.id)), Set(ids[0...1]))
        XCTAssertEqual(try f.store.failedCount(for: f.me.id), 1)
        XCTAssertEqual(try f.store.review(.allMine, by: f.me.id), [ids[2]])
        XCTAssertEqual(try f.store.failedCount(for: f.me.id), 0)
    }

    func testNewFailureAfterReviewFlagsAgainButRepeatOfSameStateDoesNot() throws {
        let f = try Fixture()
        let r = try f.post(to: ["a@x.org"])
        let tid = r.trackings[0].id
        try f.event(tid, .softBounce)
        try f.store.review(.messages([r.id]), by: f.me.id)
        f.clock.advance(10)
        try f.event(tid, .softBounce)
        XCTAssertFalse(try f.store.message(id: r.id).needsAction, "same failed state: stays reviewed")
        f.clock.advance(10)
        try f.event(tid, .hardBounce)
        XCTAssertTrue(try f.store.message(id: r.id).needsAction, "moved to another failed state")
    }

    func testRetryResetsRowsQueuesOutboxAndAudits() throws {
        let f = try Fixture()
        let r = try f.post(to: ["a@x.org", "b@x.org", "c@x.org"])
        try f.event(r.trackings[0].id, .hardBounce)
        try f.event(r.trackings[1].id, .error, errorType: "SMTPException")
        try f.event(r.trackings[2].id, .delivered)
        f.clock.advance(60)
        let result = try f.store.retry(messageId: r.id, addresses: ["A@x.org"], by: f.me.id)
        XCTAssertEqual(result.trackingIds, [r.trackings[0].id])
        XCTAssertNil(try f.state(r.trackings[0].id))
        XCTAssertEqual(try f.state(r.trackings[1].id), .error, "not chosen")
        XCTAssertTrue(try f.store.message(id: r.id).needsAction, "b is still failed: the partial retry keeps it in Failed")
        XCTAssertEqual(try f.store.stats(for: nil).outboxQueued, 1)
        XCTAssertThrowsError(try f.store.retry(messageId: r.id, addresses: ["c@x.org"], by: f.me.id))
        let all = try f.store.retry(messageId: r.id, by: f.me.id)
        XCTAssertEqual(all.trackingIds, [r.trackings[1].id])
        XCTAssertEqual(try f.store.stats(for: nil).outboxQueued, 2)
        XCTAssertFalse(try f.store.message(id: r.id).needsAction, "no failed row left")
        XCTAssertEqual(try f.store.auditLog(messageId: r.id).map(\.action), ["retry", "retry"])
    }

    func testRetryWithoutFailedRecipientsIsAnError() throws {
        let f = try Fixture()
        let r = try f.post(to: ["a@x.org"])
        XCTAssertThrowsError(try f.store.retry(messageId: r.id, by: f.me.id)) { e in
            guard case StoreError.invalidInput = e else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try f.store.retry(messageId: 999, by: f.me.id)) { e in
            guard case StoreError.notFound = e else { return XCTFail("\(e)") }
        }
    }

    // MARK: Partner reputation

    func testNineHardBouncesGiveScoreZero() throws {
        let f = try Fixture()
        let p = try f.partner("Ann", "ann@x.org")
        for _ in 0..<9 {
            let tid = try f.post(partners: [p]).trackings[0].id
            try f.event(tid, .hardBounce)
        }
        let card = try f.store.partnerCard(id: p)
        XCTAssertEqual(card.emailScore, 0)
        XCTAssertEqual(card.breakdown.unclamped, 50 - 9 * 25)
        XCTAssertEqual(card.trackingCount, 9)
    }

    func testElevenClicksGiveScoreHundred() throws {
        let f = try Fixture()
        let p = try f.partner("Ann", "ann@x.org")
        for _ in 0..<11 {
            let tid = try f.post(partners: [p]).trackings[0].id
            try f.event(tid, .click, url: "https://x")
        }
        XCTAssertEqual(try f.store.partnerCard(email: "ann@x.org").emailScore, 100)
    }

    func testScoreWeightsExactly() throws {
        let f = try Fixture()
        let p = try f.partner("Ann", "ann@x.org")
        for type in [EventType.delivered, .open, .softBounce, .unsub, .sent, .deferral] {
            try f.event(try f.post(partners: [p]).trackings[0].id, type)
        }
        _ = try f.post(partners: [p])  // waiting
        let card = try f.store.partnerCard(id: p)
        XCTAssertEqual(card.emailScore, 50 + 1 + 5 - 10 - 10)
        XCTAssertEqual(card.trackingCount, 7)
        XCTAssertEqual(try f.store.partnerCard(id: try f.partner("Nobody", nil)).emailScore, 50)
    }

    func testAddressChangeRecomputesScoreAndFlag() throws {
        let f = try Fixture()
        let p = try f.partner("Ann", "ann@x.org")
        try f.event(try f.post(partners: [p]).trackings[0].id, .hardBounce)
        XCTAssertTrue(try f.store.partnerCard(id: p).emailBounced)
        let other = try f.post(to: ["ann@new.org"]).trackings[0].id
        try f.event(other, .open)
        try f.store.setPartnerEmail(id: p, email: "ann@new.org")
        var card = try f.store.partnerCard(id: p)
        XCTAssertFalse(card.emailBounced)
        XCTAssertEqual(card.emailScore, 55)
        let third = try f.post(to: ["ann@third.org"]).trackings[0].id
        try f.event(third, .reject)
        f.clock.advance(10)
        let fourthPost = try f.post(to: ["ann@third.org"])
        try f.event(fourthPost.trackings[0].id, .error, errorType: "SMTPException", cause: .userUnknown)
        try f.store.setPartnerEmail(id: p, email: "ann@third.org")
        card = try f.store.partnerCard(id: p)
        XCTAssertTrue(card.emailBounced, "newest tracking of the new address is in error, address side")
        XCTAssertEqual(card.emailScore, 0)
        // The newest tracking in error on the sender side (our relay refused us) does not flag.
        f.clock.advance(10)
        let fifth = try f.post(to: ["ann@fourth.org"]).trackings[0].id
        try f.event(fifth, .error, errorType: "SMTPAuthenticationError", cause: .auth)
        try f.store.setPartnerEmail(id: p, email: "ann@fourth.org")
        XCTAssertFalse(try f.store.partnerCard(id: p).emailBounced, "newest tracking in error, sender side")
    }

    // MARK: Markers

    func testMarkersInTheReferenceOrder() throws {
        let f = try Fixture()
        let ann = try f.partner("Ann", "ann@x.org")
        let quiet = try f.store.addPartner(name: "Quiet", email: "quiet@x.org", notifyEmail: false)
        let nomail = try f.partner("No Mail", nil)
        let r = try f.post(
            to: ["raw-to@x.org", "ann@x.org"], cc: ["cc-tracked@x.org"], partners: [quiet, nomail])
        let m = try f.store.message(id: r.id)
        XCTAssertEqual(m.recipients.map(\.name), ["No Mail", "raw-to@x.org", "Ann", "cc-tracked@x.org", "Quiet"])
        XCTAssertEqual(m.recipients.map(\.marker), [.noEmail, .waiting, .waiting, .waiting, .unknown])
        XCTAssertEqual(m.recipients.map(\.cc), [false, false, false, true, false])
        _ = ann

        let u = try f.post(to: ["raw-to@x.org", "ann@x.org"], cc: ["cc-only@x.org"], tracked: false)
        let um = try f.store.message(id: u.id)
        XCTAssertEqual(um.recipients.map(\.marker), [.unknown, .cc, .noPartner])
        XCTAssertEqual(um.recipients.map(\.name), ["Ann", "cc-only@x.org", "raw-to@x.org"])
    }

    func testStateToMarkerMap() {
        let map: [(TrackingState?, Marker)] = [
            (nil, .waiting), (.error, .error), (.rejected, .error), (.spam, .error), (.bounced, .error),
            (.softBounced, .error), (.sent, .sent), (.deferred, .sent), (.delivered, .delivered), (.opened, .opened),
            (.unsub, .opened),
        ]
        for (s, m) in map { XCTAssertEqual(Marker.forTracking(state: s, errorType: nil), m, "\(String(describing: s))") }
        XCTAssertEqual(Marker.forTracking(state: .error, errorType: "no_recipient"), .noEmail)
    }
}

/// SMTP results recorded by the sender.
final class SMTPResultTests: XCTestCase {
    func testSentKeepsServerAndQueueId() throws {
        let f = try Fixture()
        let tid = try f.post(to: ["a@x.org"]).trackings[0].id
        try f.store.recordSMTPResult(trackingId: tid, .sent(server: "127.0.0.1:25", queueId: "18591FA0D1"))
        XCTAssertEqual(try f.state(tid), .sent)
        XCTAssertEqual(try f.store.trackingIds(queueId: "18591FA0D1"), [tid])
        let e = try XCTUnwrap(try f.store.events(EventFilter(trackingId: tid)).rows.first)
        XCTAssertEqual(e.type, .sent)
        XCTAssertEqual(e.details.smtpServer, "127.0.0.1:25")
    }

    func testErrorSetsFieldsFlagsPartnerAndNeedsAction() throws {
        let f = try Fixture()
        let p = try f.partner("Ann", "ann@x.org")
        let r = try f.post(partners: [p])
        let tid = r.trackings[0].id
        try f.store.recordSMTPResult(
            trackingId: tid, .error(server: "smtp.example", kind: "SMTPRecipientsRefused", description: "550 5.1.1 no such user"))
        let t = try f.store.tracking(id: tid)
        XCTAssertEqual(t.state, .error)
        XCTAssertEqual(t.errorSmtpServer, "smtp.example")
        XCTAssertEqual(t.errorType, "SMTPRecipientsRefused")
        XCTAssertEqual(t.errorDescription, "550 5.1.1 no such user")
        XCTAssertEqual(t.cause, .userUnknown, "the reply is read for its cause")
        XCTAssertTrue(try f.store.partnerCard(id: p).emailBounced)
        XCTAssertTrue(try f.store.message(id: r.id).needsAction)
        XCTAssertThrowsError(try f.store.recordSMTPResult(trackingId: 9999, .sent(server: "s", queueId: nil)))
    }

    func testWrongRelayPasswordIsAnErrorThatFlagsNobody() throws {
        let f = try Fixture()
        let p = try f.partner("Ann", "ann@x.org")
        let r = try f.post(partners: [p])
        let tid = r.trackings[0].id
        try f.store.recordSMTPResult(
            trackingId: tid,
            .error(server: "smtp.example", kind: "SMTPAuthenticationError", description: "535 5.7.8 Error: authentication failed"))
        let t = try f.store.tracking(id: tid)
        XCTAssertEqual(t.state, .error)
        XCTAssertEqual(t.cause?.side, .sender)
        XCTAssertFalse(try f.store.partnerCard(id: p).emailBounced, "our relay refused us: the address is fine")
        XCTAssertTrue(try f.store.message(id: r.id).needsAction, "still a failed message to triage")
    }
}

/// NUL characters: refused from people, stored visibly (U+FFFD) from foreign signals; never a silent cut.
final class TextFidelityTests: XCTestCase {
    func testNulIsRefusedFromPeopleAndVisibleFromSignals() throws {
        let f = try Fixture()
        XCTAssertThrowsError(try f.post(to: ["a@x.org"], subject: "before\u{0}after")) { e in
            XCTAssertEqual("\(e)", "the subject contains a NUL character")
        }
        XCTAssertThrowsError(try f.partner("Bad\u{0}Name", nil))
        XCTAssertEqual(try f.store.stats(for: nil).messages, 0, "nothing written")
        let subject = "ok ✓ 日本"
        let r = try f.post(to: ["a@x.org"], subject: subject)
        XCTAssertEqual(try f.store.message(id: r.id).subject, subject)
        let tid = r.trackings[0].id
        try f.event(tid, .hardBounce, description: "550\u{0}tail")
        XCTAssertEqual(try f.store.tracking(id: tid).bounceDescription, "550\u{FFFD}tail")
        XCTAssertEqual(
            try f.store.failedMessages(for: f.me.id).rows.first?.failedRecipients.first?.errorDescription, "550\u{FFFD}tail")
        XCTAssertEqual(try f.store.events(EventFilter(trackingId: tid)).rows.first?.details.bounceDescription, "550\u{FFFD}tail")
    }
}
