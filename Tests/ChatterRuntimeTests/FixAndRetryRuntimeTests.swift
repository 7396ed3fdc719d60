import ChatterUI
import Foundation
import TermGrid
import TrackingModel
import TrackingStore
import XCTest

@testable import ChatterRuntime

/// Fix the address then resend, and a Retry with no sender, through the real
/// loop, effect runner and store (headless).
final class FixAndRetryRuntimeTests: XCTestCase {
    /// A fresh failed message to Ann at a mistyped domain, the newest card of Failed.
    private func annBounced(_ f: HeadlessFront) throws -> (partner: Int64, tracking: Int64) {
        let partner = try f.store.addPartner(name: "Ann Typo", email: "ann@gmial.com")
        let post = try f.store.post(
            PostRequest(
                thread: ThreadRef(model: "res.partner", key: "ann"), threadName: "Ann Typo", authorId: f.me.id,
                partnerIds: [partner], subject: "Offer for Ann", body: "Hello Ann.", date: HeadlessFront.now + 600))
        let tracking = post.trackings[0].id
        _ = try f.store.apply(
            NewEvent(
                trackingId: tracking, type: .hardBounce, timestamp: HeadlessFront.now + 660, source: "test",
                key: "ann-bounce",
                details: EventDetails(
                    bounceType: "hard", bounceDescription: "550 5.1.1 <ann@gmial.com>: User unknown", cause: .userUnknown)))
        return (partner, tracking)
    }

    func testFixTheAddressThenRetryResendsToTheFixedAddress() throws {
        let f = try HeadlessFront()
        let ann = try annBounced(f)
        f.waitLoaded()
        f.keys.type(.char("2"))
        f.wait("Ann's card first") { $0.state.failed.cards.first?.subject == "Offer for Ann" }
        f.keys.type(.char("e"))
        f.wait("the address input") { $0.screen.contains("Address of Ann Typo: ann@gmial.com_") }
        XCTAssertTrue(f.screen.contains("did you mean ann@gmail.com? Tab takes it"), f.screen)
        f.keys.type(.tab, .enter)
        f.wait("the Retry dialog on the fixed address") {
            guard case .retry(let d) = $0.state.overlay, !d.loading else { return false }
            return d.items.first { $0.trackingId == ann.tracking }?.check?.address == "ann@gmail.com"
        }
        XCTAssertTrue(f.screen.contains("to ann@gmail.com (address fixed)"), f.screen)
        XCTAssertEqual(try f.store.partnerAudit(partnerId: ann.partner).map(\.newEmail), ["ann@gmail.com"])
        XCTAssertFalse(try f.store.partnerCard(id: ann.partner).emailBounced, "the flag follows the new address")
        f.keys.type(.enter)
        f.wait("the resend queued") { $0.state.status?.text.contains("1 queued: no sender configured") ?? false }
        let entries = try f.store.outboxEntries(messageId: try f.store.tracking(id: ann.tracking).messageId)
        XCTAssertEqual(entries.map(\.trackingId), [ann.tracking])
        XCTAssertEqual(try f.store.tracking(id: ann.tracking).address, "ann@gmail.com")
        f.wait("the outbox in the header") { $0.screen.contains("queued (no sender)") }
    }

    func testTheRuntimeReportsThatNothingSends() throws {
        let f = try HeadlessFront()
        f.waitLoaded()
        XCTAssertEqual(f.state.header.sender, .notConfigured)
        XCTAssertTrue(f.screen.contains("outbox: no sender"), f.screen)
    }
}
