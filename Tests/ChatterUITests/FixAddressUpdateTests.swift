import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// Fix the address, then resend: `e` on a failed recipient, the typo suggestion,
/// the check like `post`, the store's answer opening the Retry dialog.
final class FixAddressUpdateTests: XCTestCase {
    private func press(_ s: inout AppState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += update(&s, .key(k)) }
        return effects
    }

    private func type(_ s: inout AppState, _ text: String) {
        for c in text { _ = update(&s, .key(.char(c))) }
    }

    private func screen(_ s: AppState) -> String {
        var grid = Grid(size: s.size)
        render(s, into: &grid)
        return grid.text
    }

    /// Ready Mat (no email) on the first failed card of the Azure thread.
    private func onReadyMat() -> AppState {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("l"))
        XCTAssertEqual(currentRecipient(s)?.name, "Ready Mat")
        return s
    }

    func testFixingAMissingAddressSuggestsTheDomainThenOpensRetryOnIt() {
        var s = onReadyMat()
        XCTAssertEqual(press(&s, .char("e")), [])
        guard case .fixAddress(let fix) = s.prompt?.purpose else { return XCTFail("no address input") }
        XCTAssertEqual(fix, AddressFix(partnerId: 6006, name: "Ready Mat", trackingId: 1006, messageIds: [101]))
        XCTAssertEqual(s.prompt?.text, "", "prefilled with the current address: none")
        type(&s, "ready@gmial.com")
        XCTAssertTrue(screen(s).contains("did you mean ready@gmail.com? Tab takes it"), screen(s))
        _ = press(&s, .tab)
        XCTAssertEqual(s.prompt?.text, "ready@gmail.com")
        XCTAssertEqual(press(&s, .enter), [.fixAddress(fix, address: "ready@gmail.com")])
        XCTAssertNil(s.prompt)

        let card = PartnerCard(
            id: 6006, name: "Ready Mat", email: "ready@gmail.com", emailBounced: false,
            breakdown: EmailScore.compute(counts: [.error: 1]))
        XCTAssertEqual(update(&s, .addressFixed(fix, card)), [.loadRetryPlans(messageIds: [101])])
        XCTAssertTrue(s.status?.text.hasPrefix("Ready Mat: address now ready@gmail.com") ?? false, "\(String(describing: s.status))")
        guard case .retry(var dialog) = s.overlay else { return XCTFail("no Retry dialog") }
        XCTAssertEqual(dialog.items.map(\.trackingId), [1001, 1006])
        XCTAssertEqual(dialog.items[dialog.cursor].trackingId, 1006, "the cursor on the fixed recipient")
        XCTAssertEqual(dialog.items.map(\.ticked), [true, true], "the fixed recipient is chosen")

        // The store's checks now carry the new address.
        var plan = Fixtures.retryPlan101
        plan.recipients[1].address = "ready@gmail.com"
        _ = update(&s, .retryPlansLoaded([plan]))
        guard case .retry(let checked) = s.overlay else { return XCTFail("dialog closed") }
        dialog = checked
        XCTAssertEqual(dialog.items.map(\.verdict), [.warn, .send])
        XCTAssertTrue(screen(s).contains("to ready@gmail.com (address fixed)"), screen(s))
        XCTAssertEqual(press(&s, .enter), [.retry(messageId: 101, trackingIds: [1001, 1006])])
    }

    func testABrokenAddressKeepsTheInputOpenWithTheReason() {
        var s = onReadyMat()
        _ = press(&s, .char("e"))
        type(&s, "ready at example")
        XCTAssertEqual(press(&s, .enter), [], "nothing goes to the store")
        XCTAssertNotNil(s.prompt?.error)
        XCTAssertTrue(screen(s).contains("Address of Ready Mat: ready at example_"), screen(s))
        _ = press(&s, .backspace)
        XCTAssertNil(s.prompt?.error, "typing clears the refusal")
        _ = press(&s, .escape)
        XCTAssertNil(s.prompt)
    }

    func testAnInternationalAddressIsAccepted() {
        var s = onReadyMat()
        _ = press(&s, .char("e"))
        type(&s, "Ready <ready@bücher.example>")
        let effects = press(&s, .enter)
        guard case .fixAddress(_, let address) = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(address, "Ready <ready@bücher.example>")
    }

    func testTheInputIsPrefilledWithTheCurrentAddress() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"))
        XCTAssertEqual(currentRecipient(s)?.name, "Deco Addict")
        _ = press(&s, .char("e"))
        XCTAssertEqual(s.prompt?.text, "deco.addict82@example.com")
    }

    func testARecipientRefusedForAnotherReasonIsNotAnAddressToFix() {
        var s = Fixtures.loaded()
        _ = update(&s, .threadLoaded(Fixtures.sidesView))
        _ = press(&s, .char("j"))
        XCTAssertEqual(currentRecipient(s)?.name, "Blocked Corp")
        _ = press(&s, .char("e"))
        XCTAssertNil(s.prompt)
        XCTAssertEqual(s.status?.isError, true)
        XCTAssertTrue(s.status?.text.contains("the address is fine") ?? false)
        // The next one's address does not exist: that one can be fixed.
        _ = press(&s, .char("l"), .char("e"))
        XCTAssertNotNil(s.prompt)
    }

    func testEInTheRetryDialogFixesTheRowUnderTheCursorAndKeepsTheDialog() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("R"))
        _ = update(&s, .retryPlansLoaded([Fixtures.retryPlan101]))
        _ = press(&s, .char("j"), .char("e"))
        guard case .fixAddress(let fix) = s.prompt?.purpose else { return XCTFail("no address input") }
        XCTAssertEqual(fix.trackingId, 1006)
        XCTAssertEqual(fix.partnerId, 6006, "the row's own partner, though the check has none (no address)")
        type(&s, "ready@example.com")
        _ = press(&s, .enter)
        let card = PartnerCard(
            id: 6006, name: "Ready Mat", email: "ready@example.com", emailBounced: false,
            breakdown: EmailScore.compute(counts: [:]))
        XCTAssertEqual(update(&s, .addressFixed(fix, card)), [.loadRetryPlans(messageIds: [101])])
        guard case .retry(let dialog) = s.overlay else { return XCTFail("dialog closed") }
        XCTAssertTrue(dialog.loading)
        XCTAssertEqual(dialog.items.first { $0.trackingId == 1006 }?.ticked, true)
    }

    /// Several messages retried at once: each one's recipients under its own heading.
    func testSeveralMessagesAreGroupedUnderTheirMessage() {
        var s = Fixtures.loaded(size: Size(width: 80, height: 30))
        _ = press(&s, .char("j"), .char(" "), .char(" "), .char("R"))
        guard case .retry(let dialog) = s.overlay else { return XCTFail("no dialog: \(String(describing: s.status))") }
        XCTAssertEqual(dialog.messageIds, [101, 104])
        let text = screen(s)
        XCTAssertTrue(text.contains("Resend 2 messages to the ticked recipients:"), text)
        let lines = text.split(separator: "\n").map(String.init)
        func row(_ needle: String) -> Int? { lines.firstIndex { $0.contains(needle) } }
        guard let first = row("Quotation SO042 (#101)"), let second = row("Invoice INV/2026/0007 (#104)"),
            let deco = row("[x] ✗ Deco Addict"), let wood = row("[x] ✗ Wood Corner")
        else { return XCTFail(text) }
        XCTAssertLessThan(first, deco)
        XCTAssertLessThan(deco, second)
        XCTAssertLessThan(second, wood, "Wood Corner under its message")
    }
}
