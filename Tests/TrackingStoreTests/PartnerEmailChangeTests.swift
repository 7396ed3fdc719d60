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
