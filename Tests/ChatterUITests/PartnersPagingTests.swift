import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// The Partners pane pages through the store like every other list: a store
/// with more partners than one load is walked to its end (`G` in one query),
/// the window stays bounded, the frame says where the cursor is, and `/`
/// searches names and addresses through the store until cleared.
final class PartnersPagingTests: XCTestCase {
    /// Partner `i` of a long list in name order ("Partner 00000" first).
    private func partner(_ i: Int) -> PartnerCard {
        Fixtures.partner(Int64(100_000 + i), String(format: "Partner %05d", i), "p\(i)@example.com", bounced: false, [:])
    }

    private func partners(_ range: Range<Int>) -> [PartnerCard] { range.map(partner) }

    private func screen(_ s: AppState) -> String {
        var grid = Grid(size: s.size)
        render(s, into: &grid)
        return grid.text
    }

    private func press(_ s: inout AppState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += update(&s, .key(k)) }
        return effects
    }

    /// The Partners pane over a store of `total` partners, its first page loaded.
    private func partnersPane(_ total: Int) -> AppState {
        var s = Fixtures.loaded()
        XCTAssertEqual(press(&s, .char("4")), [.loadPartners], "the first page of the whole list")
        _ = update(&s, .partnersLoaded(partners(0..<pageSize)))
        _ = update(&s, .listTotal(.partners(search: ""), total))
        return s
    }

    func testJWalksThePartnersPageByPageWithABoundedWindow() {
        var s = partnersPane(2_500)
        XCTAssertTrue(s.partners.list.moreBelow, "a full first page: more below")
        XCTAssertTrue(screen(s).contains("1 / 2,500"), screen(s))
        let all = ListSource.partners(search: "")
        var loaded = pageSize
        var asked: [Effect] = []
        for _ in 0..<2_600 {
            for effect in press(&s, .char("j")) {
                asked.append(effect)
                guard case .loadPage(let source, let request) = effect, case .after(let c) = request.start else {
                    return XCTFail("unexpected \(effect)")
                }
                XCTAssertEqual(source, all)
                XCTAssertEqual(c, partner(loaded - 1).pageKey, "the page below the window's last row")
                let next = partners(loaded..<min(2_500, loaded + pageSize))
                loaded += next.count
                _ = update(&s, .pageLoaded(all, request, .partners(next), total: nil))
            }
            XCTAssertLessThanOrEqual(s.partners.list.rows.count, listWindow, "the window stays bounded")
        }
        XCTAssertEqual(asked.count, 12, "each page asked once, the short last one ends the list")
        XCTAssertEqual(s.partners.cursor, partner(2_499).id, "the real end")
        XCTAssertFalse(s.partners.list.moreBelow)
        XCTAssertTrue(screen(s).contains("2,500 / 2,500"), screen(s))
    }

    func testGReadsTheLastPartnersInOneQueryAndGTheFirst() {
        var s = partnersPane(2_500)
        let all = ListSource.partners(search: "")
        let bottom = PageRequest(.bottom, limit: pageSize)
        XCTAssertEqual(press(&s, .char("G")), [.loadPage(all, bottom)])
        _ = update(&s, .pageLoaded(all, bottom, .partners(partners(2_300..<2_500)), total: 2_500))
        XCTAssertEqual(s.partners.cursor, partner(2_499).id)
        XCTAssertTrue(screen(s).contains("2,500 / 2,500"), screen(s))
        // Up near the window's top asks for the page above it.
        var above: [Effect] = []
        for _ in 0..<(pageSize - 5) { above += press(&s, .char("k")) }
        let before = PageRequest(.before(partner(2_300).pageKey), limit: pageSize)
        XCTAssertEqual(above, [.loadPage(all, before)])
        _ = update(&s, .pageLoaded(all, before, .partners(partners(2_100..<2_300)), total: nil))
        XCTAssertEqual(s.partners.list.position, 2_500 - (pageSize - 5), "the cursor keeps its row and place")
        // A store change away from the top reads the window again from its first row.
        XCTAssertEqual(
            update(&s, .storeChanged).last, .loadPage(all, .from(partner(2_100).pageKey, limit: 2 * pageSize)))
        let top = PageRequest(.top, limit: pageSize)
        XCTAssertEqual(press(&s, .char("g")), [.loadPage(all, top)])
        _ = update(&s, .pageLoaded(all, top, .partners(partners(0..<pageSize)), total: 2_500))
        XCTAssertEqual(s.partners.cursor, partner(0).id)
        XCTAssertTrue(screen(s).contains("1 / 2,500"), screen(s))
    }

    func testSlashSearchesThePartnersInTheStoreUntilCleared() {
        var s = partnersPane(2_500)
        var effects = press(&s, .char("/"))
        for c in "p12@" { effects += press(&s, .char(c)) }
        effects += press(&s, .enter)
        let searched = ListSource.partners(search: "p12@")
        XCTAssertEqual(effects, [.loadPage(searched, PageRequest(.top, limit: pageSize))], "the store searches")
        // An answer for the whole list, late, is dropped; the search's own is kept.
        _ = update(&s, .partnersLoaded(partners(0..<pageSize)))
        _ = update(&s, .pageLoaded(.partners(search: ""), PageRequest(.top, limit: pageSize), .partners(partners(0..<3)), total: 2_500))
        XCTAssertTrue(s.partners.list.loading)
        _ = update(&s, .pageLoaded(searched, PageRequest(.top, limit: pageSize), .partners([partner(12)]), total: nil))
        XCTAssertEqual(s.partners.visible.map(\.id), [partner(12).id])
        XCTAssertTrue(screen(s).contains("search: p12@"), screen(s))
        XCTAssertTrue(screen(s).contains("1 / 1"), screen(s))
        // A store change reads the search again, not the whole list.
        XCTAssertEqual(update(&s, .storeChanged).last, .loadPage(searched, PageRequest(.top, limit: pageSize)))
        // Esc (or an empty search) clears it: the whole list again, and the frame no longer says "search".
        XCTAssertEqual(press(&s, .escape), [.loadPartners])
        _ = update(&s, .partnersLoaded(partners(0..<pageSize)))
        XCTAssertFalse(screen(s).contains("search:"), screen(s))
        XCTAssertEqual(s.partners.visible.count, pageSize)
        _ = press(&s, .char("/"), .char("x"), .enter)
        XCTAssertEqual(press(&s, .char("/"), .enter), [.loadPartners])
    }
}
