import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// The whole mailbox from the front: the Failed pane pages through a backlog far
/// longer than one load, `G` reads its end in one query, and every list's frame
/// says where the cursor is.
final class WholeMailboxTests: XCTestCase {
    /// Failed card `i` of a backlog (newest first: card 0 is the newest).
    private func card(_ i: Int) -> MessageView {
        var m = Fixtures.m201
        m.id = Int64(10_000 + i)
        m.date = Fixtures.now - Double(i) * 60
        return m
    }

    private func screen(_ s: AppState) -> String {
        var grid = Grid(size: s.size)
        render(s, into: &grid)
        return grid.text
    }

    private func failedBacklog(_ total: Int) -> AppState {
        var s = Fixtures.loaded()
        _ = update(&s, .key(.char("2")))
        _ = update(&s, .failedLoaded((0..<pageSize).map(card), count: total))
        return s
    }

    func testTheFailedPaneHasNoDeadEndAndSaysWhereTheCursorIs() {
        var s = failedBacklog(4_340)
        XCTAssertFalse(screen(s).contains("more not shown"))
        XCTAssertTrue(screen(s).contains("1 / 4,340"), screen(s))
        var asked: [Effect] = []
        for _ in 0..<(pageSize - 10) { asked += update(&s, .key(.char("j"))) }
        let below = PageRequest(.after(card(pageSize - 1).pageKey), limit: pageSize)
        XCTAssertEqual(asked, [.loadPage(.failed(FailedQuery()), below)], "the next page, asked once")
        _ = update(&s, .pageLoaded(.failed(FailedQuery()), below, .failed((pageSize..<2 * pageSize).map(card)), total: nil))
        XCTAssertEqual(s.failed.cards.count, 2 * pageSize)
        XCTAssertTrue(screen(s).contains("\(pageSize - 9) / 4,340"), screen(s))
    }

    func testGReadsTheEndOfTheFailedMailboxInOneQuery() {
        var s = failedBacklog(100_000)
        let bottom = PageRequest(.bottom, limit: pageSize)
        XCTAssertEqual(update(&s, .key(.char("G"))), [.loadPage(.failed(FailedQuery()), bottom)])
        let last = (100_000 - pageSize..<100_000).map(card)
        _ = update(&s, .pageLoaded(.failed(FailedQuery()), bottom, .failed(last), total: 100_000))
        XCTAssertEqual(s.failed.cursor, card(99_999).id, "the last card of the whole mailbox")
        XCTAssertTrue(screen(s).contains("100,000 / 100,000"), screen(s))
        // `g` goes back to the start, again in one query.
        let top = PageRequest(.top, limit: pageSize)
        XCTAssertEqual(update(&s, .key(.char("g"))), [.loadPage(.failed(FailedQuery()), top)])
        _ = update(&s, .pageLoaded(.failed(FailedQuery()), top, .failed((0..<pageSize).map(card)), total: 100_000))
        XCTAssertEqual(s.failed.cursor, card(0).id)
        // A store change while away from the top reads the window again where it is.
        _ = update(&s, .key(.char("G")))
        _ = update(&s, .pageLoaded(.failed(FailedQuery()), bottom, .failed(last), total: 100_000))
        XCTAssertEqual(
            update(&s, .storeChanged).last,
            .loadPage(.failed(FailedQuery()), .from(card(100_000 - pageSize).pageKey, limit: pageSize)))
    }

    func testEveryListsFrameShowsItsPosition() {
        var s = Fixtures.loaded()
        XCTAssertTrue(screen(s).contains("1 / 7 "), "the thread list")
        _ = update(&s, .key(.char("3")))
        _ = update(&s, .trackingsLoaded(s.tracking.query, Page(rows: Fixtures.trackingRows, next: PageCursor(time: 1, id: 1))))
        _ = update(&s, .listTotal(.trackings(s.tracking.query), 12_345))
        _ = update(&s, .key(.char("j")))
        XCTAssertTrue(screen(s).contains("2 / 12,345"), screen(s))
        // A searched list is not counted: how far it is known.
        _ = update(&s, .listTotal(.trackings(s.tracking.query), nil))
        s.tracking.emails.total = nil
        XCTAssertTrue(screen(s).contains("2 / \(Fixtures.trackingRows.count)+"), screen(s))
    }

    func testGroupedNumbers() {
        XCTAssertEqual(ListPosition.grouped(37), "37")
        XCTAssertEqual(ListPosition.grouped(4_340), "4,340")
        XCTAssertEqual(ListPosition.grouped(1_000_000), "1,000,000")
    }
}
