import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// The Retry dialog's rules: suppressed rows start unticked, partial retries stay in Failed.
final class RetryRulesUpdateTests: XCTestCase {
    private func press(_ s: inout AppState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += update(&s, .key(k)) }
        return effects
    }

    func testSuppressedRowStartsUntickedAndCanBeTicked() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("R"))
        var plan = Fixtures.retryPlan101
        plan.recipients[0].suppressed = .spam
        _ = update(&s, .retryPlansLoaded([plan]))
        guard case .retry(let dialog) = s.overlay else { return XCTFail("dialog closed") }
        XCTAssertEqual(dialog.items.map(\.verdict), [.unticked, .skip])
        XCTAssertEqual(dialog.items.map(\.ticked), [false, false], "a complaint: offered unticked")
        XCTAssertEqual(press(&s, .enter), [], "nothing ticked")
        // The user may still choose it (the store then queues it, named).
        XCTAssertEqual(press(&s, .char(" "), .enter), [.retry(messageId: 101, trackingIds: [1001])])
    }

    func testRetryingEveryFailedRowTakesTheMessageOutOfFailed() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("R"))
        var plan = Fixtures.retryPlan101
        plan.recipients.removeLast()
        _ = update(&s, .retryPlansLoaded([plan]))
        XCTAssertEqual(press(&s, .enter), [.retry(messageId: 101, trackingIds: [1001])])
        XCTAssertEqual(s.chatter.view?.failed.map(\.id), [104], "no failed row left: out of Failed at once")
        XCTAssertEqual(s.status?.text, "Resending to 1 recipient")
    }
}
