import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// One `/` everywhere: a new query each time, filtering the list (the Failed
/// pane through the store's search of error texts, codes and domains), the
/// frame saying so until cleared, matches highlighted, Up recalling the last ones.
final class SearchFilterTests: XCTestCase {
    private func press(_ s: inout AppState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += update(&s, .key(k)) }
        return effects
    }

    private func type(_ s: inout AppState, _ text: String) -> [Effect] {
        var effects = press(&s, .char("/"))
        for c in text { effects += press(&s, .char(c)) }
        return effects + press(&s, .enter)
    }

    private func drawn(_ s: AppState) -> Grid {
        var grid = Grid(size: s.size)
        render(s, into: &grid)
        return grid
    }

    func testSlashInFailedFiltersThroughTheStoreAndTheFrameSaysSo() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("2"))
        _ = update(&s, .failedLoaded([Fixtures.m101, Fixtures.m201, Fixtures.m104], count: 3))
        let query = FailedQuery(search: "5.7.1")
        XCTAssertEqual(type(&s, "5.7.1"), [.loadPage(.failed(query), PageRequest(.top, limit: pageSize))])
        _ = update(&s, .pageLoaded(.failed(query), PageRequest(.top, limit: pageSize), .failed([Fixtures.m201]), total: nil))
        XCTAssertEqual(s.failed.cards.map(\.id), [201])
        let grid = drawn(s)
        XCTAssertTrue(grid.text.contains("search: 5.7.1"), grid.text)
        // The match in the card's error text is highlighted.
        let mask = grid.styleMask(Semantic.letter).split(separator: "\n").map(String.init)
        let rows = grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let row = try? XCTUnwrap(rows.firstIndex { $0.contains("554 5.7.1") })
        if let row, let r = rows[row].range(of: "5.7.1 Message") {
            let col = rows[row].distance(from: rows[row].startIndex, to: r.lowerBound)
            let styles = Array(mask[row])
            XCTAssertEqual(styles[col], Semantic.marked.letter, "the match is marked")
        } else {
            XCTFail("no error line:\n\(grid.text)")
        }
        // Esc clears the search, then the list is whole again.
        XCTAssertEqual(press(&s, .escape), [.loadFailed])
        XCTAssertEqual(s.failed.list.query, FailedQuery())
    }

    func testSlashStartsANewQueryAndUpRecallsTheLastOnes() {
        var s = Fixtures.loaded()
        _ = press(&s, .escape)
        _ = type(&s, "azure")
        _ = type(&s, "deco")
        _ = press(&s, .char("/"))
        XCTAssertEqual(s.prompt?.text, "", "a new query")
        _ = press(&s, .up)
        XCTAssertEqual(s.prompt?.text, "deco")
        _ = press(&s, .up)
        XCTAssertEqual(s.prompt?.text, "azure")
        _ = press(&s, .up)
        XCTAssertEqual(s.prompt?.text, "azure", "the oldest stays")
        _ = press(&s, .down, .down)
        XCTAssertEqual(s.prompt?.text, "", "past the newest: an empty line")
        _ = press(&s, .up)
        XCTAssertEqual(press(&s, .enter), [.loadThreads(ThreadQuery(search: "deco"))])
        XCTAssertEqual(s.searchHistory, ["azure", "deco"], "recalled, not repeated")
    }
}
