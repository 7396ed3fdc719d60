import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// A message sent as one mail with a shared pixel: the caveat on its card and in
/// the marker popup of its recipients; none on a message sent one mail per recipient.
final class SharedMailRenderTests: XCTestCase {
    private static let ana = Fixtures.entry("Ana Lopez", "ana@example.com", tracking: 1011, .opened, .opened)

    private static func sharedMessage(_ shared: Bool) -> MessageView {
        var m = Fixtures.message(
            301, thread: Fixtures.threads[0], author: Fixtures.me, minutesAgo: 10, subject: "Offer for all of you",
            body: "One mail to both.", needsAction: false,
            recipients: [
                Fixtures.entry("Marc Demo", "mark.brown23@example.com", tracking: 1010, .delivered, .delivered), ana,
            ])
        m.sharedMail = shared
        return m
    }

    private func state(shared: Bool) -> AppState {
        var s = Fixtures.loaded()
        _ = update(
            &s,
            .threadLoaded(
                ThreadView(
                    thread: Fixtures.threads[0], failed: [], history: [Self.sharedMessage(shared), Fixtures.m102],
                    nextCursor: nil)))
        return s
    }

    private func text(_ s: AppState) -> String {
        var grid = Grid(size: s.size)
        render(s, into: &grid)
        return grid.text
    }

    func testTheCardOfASharedMailShowsTheCaveatAndAPerRecipientOneDoesNot() {
        let shared = state(shared: true)
        // Wrapped at the pane's width (56 columns at 80×24).
        XCTAssertTrue(text(shared).contains("   one mail · shared pixel: an open may be any"), text(shared))
        XCTAssertTrue(text(shared).contains("   recipient's"), text(shared))
        assertSnapshot(shared, "shared_mail_card_80x24")
        XCTAssertFalse(text(state(shared: false)).contains("shared pixel"))
    }

    func testTheMarkerPopupOfARecipientOfASharedMailShowsTheCaveat() {
        var s = state(shared: true)
        _ = update(&s, .key(.char("l")))
        _ = update(&s, .key(.char("i")))
        guard case .markerDetail(let detail) = s.overlay else { return XCTFail("no marker popup: \(String(describing: s.overlay))") }
        XCTAssertEqual(detail.name, "Ana Lopez")
        XCTAssertTrue(detail.sharedPixel)
        let open = Fixtures.event(
            40, 1011, .open, secondsAgo: 60, EventDetails(recipient: "ana@example.com", ip: "203.0.113.7", errorDetails: "shared_pixel"))
        _ = update(&s, .trackingDetailLoaded(Fixtures.tracking(1011, "Ana Lopez", "ana@example.com", .opened, minutesAgo: 10), [open]))
        XCTAssertTrue(text(s).contains("shared pixel: an open may be any recipient's"), text(s))
        assertSnapshot(s, "shared_mail_popup_80x24")

        var plain = state(shared: false)
        _ = update(&plain, .key(.char("l")))
        _ = update(&plain, .key(.char("i")))
        guard case .markerDetail(let plainDetail) = plain.overlay else { return XCTFail("no marker popup") }
        XCTAssertFalse(plainDetail.sharedPixel)
        XCTAssertFalse(text(plain).contains("shared pixel"))
    }
}
