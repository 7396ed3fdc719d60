import TrackingModel
import XCTest

@testable import TrackingStore

/// Fixing a partner's address: checked like post, flag and score follow the new address, audited.
final class PartnerEmailChangeTests: XCTestCase {
    func testFixingTheAddressRecomputesFlagAndScoreAndIsAudited() throws {
        let f = try Fixture()
        let p = try f.partner("Ann", "ann@gmial.com")
        let r = try f.post(partners: [p])
        try f.event(r.trackings[0].id, .hardBounce, description: "550 5.1.1 no such user")
        XCTAssertTrue(try f.store.partnerCard(id: p).emailBounced)
        // The right address has a good history of its own.
        let good = try f.post(to: ["ann@gmail.com"])
        try f.event(good.trackings[0].id, .delivered)

        let card = try f.store.changePartnerEmail(id: p, email: "Ann <ann@gmail.com>", by: f.me.id)
        XCTAssertEqual(card.email, "ann@gmail.com")
        XCTAssertFalse(card.emailBounced, "the newest tracking of the new address is delivered")
        XCTAssertEqual(card.emailScore, 51)
        let audit = try f.store.partnerAudit(partnerId: p)
        XCTAssertEqual(audit.map(\.action), ["set_email"])
        XCTAssertEqual(audit.first?.oldEmail, "ann@gmial.com")
        XCTAssertEqual(audit.first?.newEmail, "ann@gmail.com")
        XCTAssertEqual(audit.first?.actorId, f.me.id)

        // Back to a bounced address: flagged again.
        XCTAssertTrue(try f.store.changePartnerEmail(id: p, email: "ann@gmial.com", by: f.me.id).emailBounced)
    }

    func testBadInputIsAClearErrorAndChangesNothing() throws {
        let f = try Fixture()
        let p = try f.partner("Ann", "ann@x.org")
        XCTAssertThrowsError(try f.store.changePartnerEmail(id: p, email: "not an address", by: f.me.id)) { e in
            guard case StoreError.invalidInput = e else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try f.store.changePartnerEmail(id: 999, email: "a@x.org", by: f.me.id)) { e in
            guard case StoreError.notFound = e else { return XCTFail("\(e)") }
        }
        XCTAssertEqual(try f.store.partnerCard(id: p).email, "ann@x.org")
        XCTAssertEqual(try f.store.partnerAudit(partnerId: p), [])
        // An international domain is accepted.
        let card = try f.store.changePartnerEmail(id: p, email: "ann@bücher.example", by: f.me.id)
        XCTAssertNotNil(card.email)
    }
}

/// Fix the address, then resend: the retry goes to the fixed address.
final class FixAddressThenRetryTests: XCTestCase {
    func testARetryAfterFixingTheAddressGoesToTheNewAddress() throws {
        let f = try Fixture()
        let p = try f.partner("Ann", "ann@gmial.com")
        let r = try f.post(partners: [p])
        let tid = r.trackings[0].id
        try f.event(tid, .hardBounce, description: "550 5.1.1 no such user", cause: .userUnknown)
        XCTAssertEqual(try f.store.retryPlan(messageId: r.id).recipients.first?.address, "ann@gmial.com")

        _ = try f.store.changePartnerEmail(id: p, email: "ann@gmail.com", by: f.me.id)
        let plan = try f.store.retryPlan(messageId: r.id)
        XCTAssertEqual(plan.recipients.map(\.address), ["ann@gmail.com"], "the dialog shows the corrected address")
        XCTAssertEqual(plan.recipients.first?.verdict, .send)
        XCTAssertEqual(plan.recipients.first?.bounced, false, "the new address is not flagged")

        let result = try f.store.retry(messageId: r.id, by: f.me.id)
        XCTAssertEqual(result.trackingIds, [tid])
        let row = try f.store.tracking(id: tid)
        XCTAssertEqual(row.address, "ann@gmail.com", "the row shows where the resend went")
        XCTAssertEqual(row.recipient, "Ann <ann@gmail.com>")
        let jobs = try f.store.claimDueOutbox(limit: 10)
        XCTAssertEqual(jobs.map(\.address), ["ann@gmail.com"], "the sender mails the fixed address")
    }

    func testAPartnerWithoutAddressCanBeResentOnceItHasOne() throws {
        let f = try Fixture()
        let p = try f.partner("Nomail", nil)
        let r = try f.post(partners: [p])
        let before = try f.store.retryPlan(messageId: r.id)
        XCTAssertEqual(before.recipients.first?.skipReasons, [RetrySkipReason.noAddress])
        _ = try f.store.changePartnerEmail(id: p, email: "nomail@bücher.example", by: f.me.id)
        let after = try f.store.retryPlan(messageId: r.id)
        XCTAssertEqual(after.recipients.first?.skipReasons, [RetrySkipReason]())
        XCTAssertEqual(after.recipients.first?.verdict, .send)
        f.clock.advance(60)
        let result = try f.store.retry(messageId: r.id, by: f.me.id)
        XCTAssertEqual(result.trackingIds.count, 1)
        XCTAssertEqual(result.leftFailed, 0, "out of Failed")
        XCTAssertNotNil(try f.store.tracking(id: r.trackings[0].id).address)
    }
}
