import XCTest
@testable import TermGrid

final class SpanTests: XCTestCase {
    let ok = StyleID(rawValue: 1), bad = StyleID(rawValue: 2)

    func mask(_ g: Grid) -> String {
        g.styleMask { s in s == self.ok ? "o" : s == self.bad ? "b" : "." }
    }

    func testSpansThatFit() {
        var g = Grid(size: Size(width: 12, height: 1))
        let used = g.put([Span("✓ Ann", ok), Span(" · "), Span("✗ 李", bad)], x: 0, y: 0, maxWidth: 12)
        XCTAssertEqual(used, 12)
        XCTAssertEqual(g.rowText(0), "✓ Ann · ✗ 李")
        XCTAssertEqual(mask(g), "ooooo...bbbb")
    }

    func testCutAcrossSpansEllipsisInTheCutStyle() {
        var g = Grid(size: Size(width: 12, height: 1))
        XCTAssertEqual(g.put([Span("✓ Ann", ok), Span(" · "), Span("✗ Deco Addict", bad)], x: 0, y: 0, maxWidth: 10), 10)
        XCTAssertEqual(g.rowText(0), "✓ Ann · ✗…  ")
        XCTAssertEqual(mask(g), "ooooo...bb..")
        var h = Grid(size: Size(width: 12, height: 1))
        XCTAssertEqual(h.put([Span("abcdef", ok), Span("xyz", bad)], x: 0, y: 0, maxWidth: 5), 5)
        XCTAssertEqual(h.rowText(0), "abcd…       ")
        XCTAssertEqual(mask(h), "ooooo.......")
    }

    func testCutAtAWideClusterPads() {
        var g = Grid(size: Size(width: 6, height: 1))
        g.put("xxxxxx", x: 0, y: 0, maxWidth: 6, style: .default)
        XCTAssertEqual(g.put([Span("ab", ok), Span("中文", bad)], x: 0, y: 0, maxWidth: 4), 4)
        XCTAssertEqual(g.rowText(0), "ab… xx")
        XCTAssertEqual(mask(g), "oobb..")
        XCTAssertEqual(g.put([Span("a", ok), Span("中文", bad)], x: 0, y: 0, maxWidth: 4), 4)
        XCTAssertEqual(g.rowText(0), "a中…xx")
    }

    func testClippedAndOffGrid() {
        var g = Grid(size: Size(width: 4, height: 1))
        XCTAssertEqual(g.put([Span("ab", ok), Span("cd", bad)], x: 2, y: 0, maxWidth: 10), 2)
        XCTAssertEqual(g.rowText(0), "  a…")
        XCTAssertEqual(g.put([Span("ab", ok)], x: 0, y: 3, maxWidth: 10), 0)
        XCTAssertEqual(g.put([], x: 0, y: 0, maxWidth: 10), 0)
        XCTAssertEqual(DisplayWidth.of([Span("中"), Span("a")]), 3)
    }
}
