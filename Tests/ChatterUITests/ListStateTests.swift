import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// The one list state every list uses: a bounded window paged by keyset over a
/// list far longer than memory should hold, driven here by a pure stand-in for
/// the store's keyset listing (rows newest first, id n has time n).
final class ListStateTests: XCTestCase {
    private struct Item: KeysetRow {
        var id: Int64
        var pageKey: PageCursor { PageCursor(time: Double(id), id: id) }
    }

    private typealias List = ListState<Item, Int>

    /// The store's answer to a page request over ids `count...1` (newest = highest).
    private func answer(_ request: PageRequest, count: Int64) -> [Item] {
        let all = stride(from: count, through: 1, by: -1)
        switch request.start {
        case .top: return all.prefix(request.limit).map(Item.init)
        case .bottom: return Array(all.suffix(request.limit)).map(Item.init)
        case .after(let c): return all.filter { PageCursor(time: Double($0), id: $0) < c }.prefix(request.limit).map(Item.init)
        case .before(let c):
            return Array(all.filter { PageCursor(time: Double($0), id: $0) > c }.suffix(request.limit)).map(Item.init)
        }
    }

    /// Applies every page the list asks for at once (as a fast store would).
    private func run(_ list: inout List, _ movement: Movement, count: Int64, total: Int? = nil) {
        if let request = list.move(movement, prefetch: 20) {
            let ends: Bool
            switch request.start {
            case .top, .bottom: ends = true
            case .after, .before: ends = false
            }
            list.apply(request, answer(request, count: count), total: ends ? total : nil)
        }
    }

    private func loaded(count: Int64, total: Int? = nil) -> List {
        var list = List(query: 0)
        let first = PageRequest(.top, limit: pageSize)
        list.applyTop(answer(first, count: count), moreBelow: first.mayHaveMore(Int(min(count, Int64(pageSize)))))
        list.total = total
        return list
    }

    func testBottomReadsTheEndInOneQueryAndKnowsThePosition() {
        var list = loaded(count: 100_000, total: 100_000)
        let request = list.move(.bottom, prefetch: 20)
        XCTAssertEqual(request, PageRequest(.bottom, limit: pageSize), "G asks for the end, not the next page")
        list.apply(request!, answer(request!, count: 100_000), total: 100_000)
        XCTAssertEqual(list.cursor, 1, "the last row of the whole list")
        XCTAssertEqual(list.position, 100_000)
        XCTAssertFalse(list.moreBelow)
        XCTAssertTrue(list.moreAbove)
        XCTAssertEqual(list.offset, 100_000 - pageSize)
    }

    func testTopFromTheEndReadsTheStart() {
        var list = loaded(count: 10_000, total: 10_000)
        run(&list, .bottom, count: 10_000, total: 10_000)
        run(&list, .top, count: 10_000, total: 10_000)
        XCTAssertEqual(list.cursor, 10_000)
        XCTAssertEqual(list.position, 1)
        XCTAssertTrue(list.atTop)
    }

    func testPagingDownKeepsABoundedWindowAndCountsThePosition() {
        var list = loaded(count: 5_000, total: 5_000)
        for _ in 0..<2_000 { run(&list, .by(1), count: 5_000) }
        XCTAssertEqual(list.cursor, 3_000, "2000 rows down from id 5000")
        XCTAssertEqual(list.position, 2_001)
        XCTAssertLessThanOrEqual(list.rows.count, listWindow, "rows dropped above keep memory flat")
        XCTAssertTrue(list.moreAbove)
        // Back up past the window's top edge: the page above is read by keyset.
        for _ in 0..<1_500 { run(&list, .by(-1), count: 5_000) }
        XCTAssertEqual(list.cursor, 4_500)
        XCTAssertEqual(list.position, 501)
        XCTAssertLessThanOrEqual(list.rows.count, listWindow)
    }

    func testPageDownReachesTheRealEnd() {
        var list = loaded(count: 1_000, total: 1_000)
        for _ in 0..<200 { run(&list, .by(18), count: 1_000) }
        XCTAssertEqual(list.cursor, 1)
        XCTAssertEqual(list.position, 1_000)
        XCTAssertFalse(list.moreBelow)
    }

    func testStalePagesAreDropped() {
        var list = loaded(count: 1_000)
        let below = list.move(.by(190), prefetch: 20)!
        // A reload moved the window since: the page no longer starts at its edge.
        list.applyTop(answer(PageRequest(.top, limit: 100), count: 1_000), moreBelow: true)
        XCTAssertFalse(list.apply(below, answer(below, count: 1_000), total: nil))
        XCTAssertEqual(list.rows.count, 100)
        XCTAssertNil(list.pending, "the list can ask again")
        // A bottom page nobody waits for any more is dropped too.
        XCTAssertFalse(list.apply(PageRequest(.bottom, limit: pageSize), answer(PageRequest(.bottom, limit: pageSize), count: 1_000), total: nil))
    }

    func testReloadAwayFromTheTopReadsTheWindowFromItsFirstRow() {
        var list = loaded(count: 10_000, total: 10_000)
        run(&list, .bottom, count: 10_000, total: 10_000)
        let reload = list.reloadRequest
        XCTAssertEqual(reload, .from(PageCursor(time: 200, id: 200), limit: pageSize))
        XCTAssertTrue(list.apply(reload, answer(reload, count: 10_000), total: nil))
        XCTAssertEqual(list.cursor, 1, "the cursor keeps its row")
        XCTAssertEqual(list.rows.first?.id, 200)
    }

    func testUnknownTotalKnownWhenTheWindowHoldsBothEnds() {
        let list = loaded(count: 12)
        XCTAssertEqual(list.knownTotal, 12)
        XCTAssertNil(loaded(count: 1_000).knownTotal)
    }
}

private func < (a: PageCursor, b: PageCursor) -> Bool { (a.time, a.id) < (b.time, b.id) }
private func > (a: PageCursor, b: PageCursor) -> Bool { b < a }
