import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// One rule for the Failed counter: the store's tally less the optimistic
/// reviews it still counts, whichever answer brought the tally.
final class FailedCounterTests: XCTestCase {
    private func press(_ s: inout AppState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += update(&s, .key(k)) }
        return effects
    }

    func testTheRuleSubtractsPendingReviewsTheStoreStillCounts() {
        XCTAssertEqual(failedCounter(FailedTally(count: 5), pending: []), 5)
        XCTAssertEqual(failedCounter(FailedTally(count: 5), pending: [1, 2]), 3, "not seen gone: still counted")
        XCTAssertEqual(failedCounter(FailedTally(count: 4, gone: [1]), pending: [1, 2]), 3, "gone: not twice")
        XCTAssertEqual(failedCounter(FailedTally(count: 0), pending: [1]), 0, "never below zero")
    }

    /// A review, then the store's answers in either order: the counter never
    /// subtracts the review twice and never shows it again.
    func testEveryAnswerGivesTheSameCounterAroundAReview() {
        var s = Fixtures.loaded()
        XCTAssertEqual(s.counts.failed, 3)
        _ = press(&s, .char("j"), .char("r"))
        XCTAssertEqual(s.pendingReview, [101])
        XCTAssertEqual(s.counts.failed, 2, "optimistic")
        // A tally taken before the write: the store still counts it.
        _ = update(&s, .failedCounted(FailedTally(count: 3)))
        XCTAssertEqual(s.counts.failed, 2)
        _ = update(&s, .countsLoaded(MailboxCounts(inbox: 42, failed: 3)))
        XCTAssertEqual(s.counts.failed, 2)
        // A tally taken after the write, before the confirmation reached the front.
        _ = update(&s, .failedCounted(FailedTally(count: 2, gone: [101])))
        XCTAssertEqual(s.counts.failed, 2, "not subtracted twice")
        _ = update(&s, .reviewDone([101]))
        XCTAssertEqual(s.counts.failed, 2)
        _ = update(&s, .failedCounted(FailedTally(count: 2)))
        XCTAssertEqual(s.counts.failed, 2)
    }

    func testTheFailedPaneListAndTheTallyAgree() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("2"))
        _ = update(&s, .failedLoaded([Fixtures.m101, Fixtures.m201, Fixtures.m104], count: nil))
        XCTAssertEqual(s.counts.failed, 3, "a list without count leaves the counter to the tally")
        _ = press(&s, .char("r"))
        XCTAssertEqual(s.counts.failed, 2)
        // A complete list without the reviewed card: the store no longer counts it.
        _ = update(&s, .failedLoaded([Fixtures.m201, Fixtures.m104], count: 2))
        XCTAssertEqual(s.counts.failed, 2)
        // A list still holding it: counted by the store, hidden and subtracted here.
        _ = update(&s, .failedLoaded([Fixtures.m101, Fixtures.m201, Fixtures.m104], count: 3))
        XCTAssertEqual(s.counts.failed, 2)
        XCTAssertEqual(s.failed.cards.map(\.id), [201, 104])
        _ = press(&s, .char("u"))
        XCTAssertEqual(s.counts.failed, 3)
    }

    /// A store change asks for the counts once, with the pending reviews to check.
    func testAReloadAsksForOneTallyWithThePendingReviews() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("2"))
        _ = update(&s, .failedLoaded([Fixtures.m101, Fixtures.m201, Fixtures.m104], count: nil))
        _ = press(&s, .char("r"))
        let effects = update(&s, .storeChanged)
        XCTAssertEqual(effects.filter { if case .loadCounts = $0 { return true } else { return false } }.count, 1)
        XCTAssertTrue(effects.contains(.loadCounts(pending: [101])))
    }

    /// An effect failure drops the optimistic reviews: the counter is the store's again.
    func testAFailedWriteShowsTheStoreCountAgain() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("r"))
        XCTAssertEqual(s.counts.failed, 2)
        _ = update(&s, .effectFailed("database is locked"))
        XCTAssertEqual(s.counts.failed, 3)
    }
}
