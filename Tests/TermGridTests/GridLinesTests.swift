import XCTest
@testable import TermGrid

final class GridLinesTests: XCTestCase {
    func testBoxWithTitle() {
        var g = Grid(size: Size(width: 12, height: 4))
        let inside = g.box(Rect(x: 0, y: 0, width: 12, height: 4), title: "Threads", style: .default)
        XCTAssertEqual(inside, Rect(x: 1, y: 1, width: 10, height: 2))
        XCTAssertEqual(g.text, """
        ┌ Threads ─┐
        │          │
        │          │
        └──────────┘
        """)
    }

    func testLongTitleIsTruncatedBetweenTheCorners() {
        var g = Grid(size: Size(width: 10, height: 3))
        g.box(Rect(x: 0, y: 0, width: 10, height: 3), title: "Azure Interior 株式会社", glyphs: .ascii, style: .default)
        XCTAssertEqual(g.text, "+ Azure …+\n|        |\n+--------+")
    }

    func testTinyAndOffGridBoxesNeverCrash() {
        var g = Grid(size: Size(width: 4, height: 3))
        XCTAssertTrue(g.box(Rect(x: 0, y: 0, width: 1, height: 5), style: .default).isEmpty)
        g.box(Rect(x: 2, y: 1, width: 9, height: 9), title: "x", style: .default)
        g.box(Rect(x: -3, y: -3, width: 5, height: 5), style: .default)
        // The second box's title is cut by the grid's edge down to its ellipsis.
        XCTAssertEqual(g.text, " │  \n─┘┌…\n  │ ")
    }

    func testLinesAreClipped() {
        var g = Grid(size: Size(width: 5, height: 3))
        g.hline(x: -2, y: 1, width: 4, style: .default)
        g.vline(x: 4, y: -1, height: 10, glyph: "|", style: .default)
        g.hline(x: 0, y: 7, width: 4, style: .default)
        XCTAssertEqual(g.text, "    |\n──  |\n    |")
    }
}
