import XCTest
@testable import TermGrid

final class ColorFoldingTests: XCTestCase {
    func testDefaultIsNil() {
        XCTAssertNil(TerminalColor.default.index(forColorCount: 256))
        XCTAssertNil(TerminalColor.ansi(1).index(forColorCount: 0), "no colour terminal")
    }

    func testAnsi() {
        XCTAssertEqual(TerminalColor.ansi(1).index(forColorCount: 8), 1)
        XCTAssertEqual(TerminalColor.ansi(9).index(forColorCount: 8), 1, "bright red folds to red")
        XCTAssertEqual(TerminalColor.ansi(9).index(forColorCount: 16), 9)
        XCTAssertEqual(TerminalColor.ansi(9).index(forColorCount: 256), 9)
    }

    func testIndexedFoldsToNearest() {
        XCTAssertEqual(TerminalColor.indexed(196).index(forColorCount: 256), 196)
        XCTAssertEqual(TerminalColor.indexed(196).index(forColorCount: 16), 9, "pure red -> bright red")
        XCTAssertEqual(TerminalColor.indexed(196).index(forColorCount: 8), 1, "pure red -> red")
        XCTAssertEqual(TerminalColor.indexed(28).index(forColorCount: 8), 2, "dark green -> green")
        XCTAssertEqual(TerminalColor.indexed(244).index(forColorCount: 16), 8, "mid grey -> bright black")
        XCTAssertEqual(TerminalColor.indexed(255).index(forColorCount: 8), 7, "near white -> white")
        XCTAssertEqual(TerminalColor.indexed(244).index(forColorCount: 8), 7, "mid grey -> white, never a hue")
        XCTAssertEqual(TerminalColor.indexed(236).index(forColorCount: 8), 0, "dark grey -> black")
        XCTAssertEqual(TerminalColor.indexed(145).index(forColorCount: 8), 7, "cube grey (175,175,175) -> white")
        XCTAssertEqual(TerminalColor.indexed(12).index(forColorCount: 8), 4)
    }

    func testMonochromeStyleKeepsAttributes() {
        let s = TerminalStyle(fg: .ansi(1), bg: .indexed(17), bold: true, reverse: true)
        XCTAssertEqual(s.withoutColors, TerminalStyle(bold: true, reverse: true))
    }
}
