import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// How store changes reach the screen is said in the header, beside the poller:
/// "changes live" while the store notifies each commit, "changes polled every N s"
/// while the front looks on an interval (and after a live feed fell back to it).
final class ChangeFeedHeaderTests: XCTestCase {
    private func header(_ s: AppState) -> String {
        var grid = Grid(size: s.size)
        render(s, into: &grid)
        return String(grid.text.split(separator: "\n").first ?? "")
    }

    func testTheHeaderSaysLiveOrPollingAndFollowsASwitch() {
        var s = Fixtures.loaded(size: Size(width: 120, height: 40))
        XCTAssertFalse(header(s).contains("changes"), "not reported yet: nothing said")
        _ = update(&s, .changeFeed(.live))
        XCTAssertTrue(header(s).contains("poller ● live · changes live · just now"), header(s))
        _ = update(&s, .changeFeed(.polling(every: 1)))
        XCTAssertTrue(header(s).contains("poller ● live · changes polled every 1 s · just now"), header(s))
        _ = update(&s, .changeFeed(.polling(every: 0.2)))
        XCTAssertTrue(header(s).contains("changes polled every 0.2 s"), header(s))
        _ = update(&s, .changeFeed(.live))
        XCTAssertTrue(header(s).contains("changes live"), header(s))
    }

    /// On a short line the feed goes first: the poller, the last event and what needs attention stay.
    func testOnAShortLineTheFeedGivesWayFirst() {
        var s = Fixtures.loaded(size: Size(width: 80, height: 24))
        _ = update(&s, .changeFeed(.polling(every: 1)))
        XCTAssertTrue(header(s).hasSuffix("poller ● live · just now · 2 quarantined "), header(s))
    }

    func testSecondsAreWholeOrToATenth() {
        XCTAssertEqual(HeaderView.seconds(1), "1")
        XCTAssertEqual(HeaderView.seconds(0.2), "0.2")
        XCTAssertEqual(HeaderView.seconds(2.5), "2.5")
        XCTAssertEqual(HeaderView.seconds(0.04), "0")
    }

    func testSnapshots() {
        var live = Fixtures.loaded(size: Size(width: 120, height: 40))
        _ = update(&live, .changeFeed(.live))
        assertSnapshot(live, "feed_live_120x40")
        var polling = Fixtures.loaded(size: Size(width: 120, height: 40), ascii: true)
        _ = update(&polling, .changeFeed(.polling(every: 1)))
        assertSnapshot(polling, "feed_polling_ascii_120x40")
    }
}
