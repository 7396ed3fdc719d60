import ChatterUI
import Foundation
import TermGrid
import TrackingModel
import TrackingStore
import XCTest

@testable import ChatterRuntime

/// The Failed counter through the real loop and store: one count query per
/// store change, and a review counted once whatever order the answers come in.
final class FailedCounterRuntimeTests: XCTestCase {
    func testAStoreChangeInTheFailedMailboxCountsOnce() throws {
        let f = try HeadlessFront()
        f.waitLoaded()
        f.keys.type(.char("2"))
        f.wait("the Failed cards") { !$0.state.failed.loading && !$0.state.failed.cards.isEmpty }
        f.settle()
        let before = f.front.failedCountQueries
        f.front.post(.storeChanged)
        f.settle()
        XCTAssertEqual(f.front.failedCountQueries - before, 1, "the Failed count ran more than once for one change")
    }

    func testAReviewedCardLowersTheCounterOnceAndItMatchesTheStore() throws {
        let f = try HeadlessFront()
        f.waitLoaded()
        f.keys.type(.char("2"))
        f.wait("the Failed cards") { !$0.state.failed.loading && !$0.state.failed.cards.isEmpty }
        f.settle()
        let start = try f.store.failedCount(for: f.me.id)
        XCTAssertEqual(f.state.counts.failed, start)
        f.keys.type(.char("r"), .char("j"), .char("r"))
        f.wait("both reviews confirmed") { $0.state.pendingReview.isEmpty && $0.state.undoStack.count == 2 }
        f.settle(0.6)
        XCTAssertEqual(try f.store.failedCount(for: f.me.id), start - 2)
        XCTAssertEqual(f.state.counts.failed, start - 2)
        XCTAssertTrue(f.screen.contains("Failed messages (\(start - 2))"), f.screen)
    }
}
