import XCTest
@testable import TermGrid

final class GridTests: XCTestCase {
    let plain = StyleID.default
    let hot = StyleID(rawValue: 3)

    func testBlankGrid() {
        let g = Grid(size: Size(width: 3, height: 2))
        XCTAssertEqual(g.text, "   \n   ")
        XCTAssertEqual(g.rowText(5), "")
        XCTAssertEqual(Grid(size: Size(width: -4, height: 2)).size, Size(width: 0, height: 2))
    }

    func testPutPlainText() {
        var g = Grid(size: Size(width: 10, height: 1))
        XCTAssertEqual(g.put("hello", x: 1, y: 0, maxWidth: 20, style: hot), 5)
        XCTAssertEqual(g.text, " hello    ")
        XCTAssertEqual(g.styleMask { $0 == self.hot ? "H" : "." }, ".HHHHH....")
    }

    func testPutTruncatesToMaxWidthAndGridEdge() {
        var g = Grid(size: Size(width: 10, height: 2))
        XCTAssertEqual(g.put("hello world", x: 0, y: 0, maxWidth: 6, style: plain), 6)
        XCTAssertEqual(g.put("hello world", x: 6, y: 1, maxWidth: 50, style: plain), 4)
        XCTAssertEqual(g.text, "hello…    \n      hel…")
    }

    func testPutWideCharacterPadding() {
        var g = Grid(size: Size(width: 6, height: 1))
        g.put("xxxxxx", x: 0, y: 0, maxWidth: 6, style: plain)
        XCTAssertEqual(g.put("中中中", x: 0, y: 0, maxWidth: 4, style: hot), 4)
        XCTAssertEqual(g.rowText(0), "中… xx")
        XCTAssertEqual(g[0, 0].text, "中")
        XCTAssertEqual(g[1, 0].text, "")
        XCTAssertEqual(g.styleMask { $0 == self.hot ? "H" : "." }, "HHHH..")
    }

    func testPutOutOfRangeNeverCrashes() {
        var g = Grid(size: Size(width: 5, height: 2))
        XCTAssertEqual(g.put("abc", x: 0, y: -1, maxWidth: 5, style: plain), 0)
        XCTAssertEqual(g.put("abc", x: 0, y: 2, maxWidth: 5, style: plain), 0)
        XCTAssertEqual(g.put("abc", x: 5, y: 0, maxWidth: 5, style: plain), 0)
        XCTAssertEqual(g.put("abc", x: 99, y: 0, maxWidth: 5, style: plain), 0)
        XCTAssertEqual(g.put("abc", x: 0, y: 0, maxWidth: 0, style: plain), 0)
        XCTAssertEqual(g.put("abc", x: 0, y: 0, maxWidth: -7, style: plain), 0)
        XCTAssertEqual(g.text, "     \n     ")
        // Negative x clips the start.
        XCTAssertEqual(g.put("abcdef", x: -2, y: 0, maxWidth: 10, style: plain), 6)
        XCTAssertEqual(g.rowText(0), "cdef ")
        // A wide character cut by column 0 becomes a space.
        g.put("中文字", x: -1, y: 1, maxWidth: 10, style: plain)
        XCTAssertEqual(g.rowText(1), " 文字")
        var empty = Grid(size: Size(width: 0, height: 0))
        XCTAssertEqual(empty.put("x", x: 0, y: 0, maxWidth: 3, style: plain), 0)
        XCTAssertEqual(empty.text, "")
    }

    func testPutDropsControlsAndZeroWidthClusters() {
        var g = Grid(size: Size(width: 8, height: 1))
        g.put("a\u{1B}[1m\u{200B}b\u{7}", x: 0, y: 0, maxWidth: 8, style: plain)
        XCTAssertEqual(g.rowText(0), "a[1mb   ")
    }

    func testWideCharAtRightEdgeIsPadded() {
        var g = Grid(size: Size(width: 3, height: 1))
        XCTAssertEqual(g.put("ab中", x: 0, y: 0, maxWidth: 3, style: plain), 3)
        XCTAssertEqual(g.rowText(0), "ab…")
        g.put("a中", x: 1, y: 0, maxWidth: 5, style: plain)
        XCTAssertEqual(g.rowText(0), "aa…")
    }

    func testClustersStayWhole() {
        var g = Grid(size: Size(width: 8, height: 1))
        g.put("e\u{301}👨‍👩‍👧🇫🇷", x: 0, y: 0, maxWidth: 8, style: plain)
        XCTAssertEqual(g[0, 0].text, "e\u{301}")
        XCTAssertEqual(g[1, 0].text, "👨‍👩‍👧")
        XCTAssertEqual(g[2, 0].text, "")
        XCTAssertEqual(g[3, 0].text, "🇫🇷")
        XCTAssertEqual(g.rowText(0), "e\u{301}👨‍👩‍👧🇫🇷   ")
    }

    func testOverwritingHalfOfAWideCharacterRepairsTheOtherHalf() {
        var g = Grid(size: Size(width: 4, height: 1))
        g.put("中文", x: 0, y: 0, maxWidth: 4, style: plain)
        g[1, 0] = Cell(text: "x")  // right half of 中
        XCTAssertEqual(g.rowText(0), " x文")
        g[2, 0] = Cell(text: "y")  // left half of 文
        XCTAssertEqual(g.rowText(0), " xy ")
        XCTAssertEqual(g[3, 0].text, " ")
        g[3, 0] = Cell(text: "界")  // wide at the last column cannot fit
        XCTAssertEqual(g.rowText(0), " xy ")
        g[-1, 0] = Cell(text: "z")
        g[0, 9] = Cell(text: "z")
        XCTAssertEqual(g[-1, 0], .blank())
        XCTAssertEqual(g[x: 1, y: 0].text, "x")
    }

    func testFillAndStyle() {
        var g = Grid(size: Size(width: 5, height: 3))
        g.put("ab中d", x: 0, y: 1, maxWidth: 5, style: plain)
        g.style(Rect(x: 0, y: 1, width: 3, height: 1), hot)  // cuts 中 in half: both halves restyled
        XCTAssertEqual(g.styleMask { $0 == self.hot ? "H" : "." }, ".....\nHHHH.\n.....")
        XCTAssertEqual(g.rowText(1), "ab中d")
        g.fill(Rect(x: 3, y: 0, width: 10, height: 10), style: hot)
        XCTAssertEqual(g.rowText(1), "ab   ")
        XCTAssertEqual(g.styleMask { $0 == self.hot ? "H" : "." }, "...HH\nHHHHH\n...HH")
        g.fill(Rect(x: -5, y: -5, width: 3, height: 3), style: hot)  // entirely outside: no effect
        XCTAssertEqual(g.rowText(0), "     ")
    }

    func testResizeKeepsWhatFits() {
        var g = Grid(size: Size(width: 4, height: 2))
        g.put("ab中", x: 0, y: 0, maxWidth: 4, style: plain)
        g.resize(to: Size(width: 3, height: 1))
        XCTAssertEqual(g.text, "ab ")
        g.resize(to: Size(width: 5, height: 2))
        XCTAssertEqual(g.text, "ab   \n     ")
    }

    func testRectGeometry() {
        let r = Rect(x: 2, y: 3, width: 10, height: 5)
        XCTAssertEqual(r.inset(by: 1), Rect(x: 3, y: 4, width: 8, height: 3))
        XCTAssertTrue(r.inset(by: 3).isEmpty)
        XCTAssertEqual(r.splitLeft(4).0, Rect(x: 2, y: 3, width: 4, height: 5))
        XCTAssertEqual(r.splitLeft(4).1, Rect(x: 6, y: 3, width: 6, height: 5))
        XCTAssertEqual(r.splitLeft(40).1.width, 0)
        XCTAssertEqual(r.splitLeft(-4).0.width, 0)
        XCTAssertEqual(r.splitTop(2).1, Rect(x: 2, y: 5, width: 10, height: 3))
        XCTAssertEqual(r.splitRight(3).1, Rect(x: 9, y: 3, width: 3, height: 5))
        XCTAssertEqual(r.splitBottom(1).1, Rect(x: 2, y: 7, width: 10, height: 1))
        XCTAssertTrue(r.contains(x: 2, y: 3))
        XCTAssertFalse(r.contains(x: 12, y: 3))
        XCTAssertEqual(r.centered(width: 4, height: 1), Rect(x: 5, y: 5, width: 4, height: 1))
        XCTAssertTrue(r.intersection(Rect(x: 50, y: 50, width: 2, height: 2)).isEmpty)
    }
}
