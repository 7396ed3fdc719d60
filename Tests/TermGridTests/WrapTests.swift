import XCTest
@testable import TermGrid

final class WrapTests: XCTestCase {
    func testWordWrap() {
        XCTAssertEqual(DisplayWidth.wrap("the quick brown fox", width: 10), ["the quick", "brown fox"])
        XCTAssertEqual(DisplayWidth.wrap("the quick brown fox", width: 100), ["the quick brown fox"])
        XCTAssertEqual(DisplayWidth.wrap("a  b", width: 10), ["a  b"])
    }

    func testParagraphsAndEmptyLines() {
        XCTAssertEqual(DisplayWidth.wrap("one\n\ntwo", width: 10), ["one", "", "two"])
        XCTAssertEqual(DisplayWidth.wrap("", width: 10), [""])
        XCTAssertEqual(DisplayWidth.wrap("a\r\nb", width: 10), ["a", "b"])
    }

    func testIndentationKeptOnFirstLine() {
        XCTAssertEqual(DisplayWidth.wrap("  > quoted text here", width: 12), ["  > quoted", "text here"])
    }

    func testLongWordsAreHardBroken() {
        XCTAssertEqual(DisplayWidth.wrap("abcdefghij", width: 4), ["abcd", "efgh", "ij"])
        XCTAssertEqual(DisplayWidth.wrap("x abcdefghij", width: 4), ["x", "abcd", "efgh", "ij"])
    }

    func testWideCharactersWrapByCells() {
        XCTAssertEqual(DisplayWidth.wrap("中文中文中", width: 4), ["中文", "中文", "中"])
        XCTAssertEqual(DisplayWidth.wrap("中文中文中", width: 5), ["中文", "中文", "中"])
        XCTAssertEqual(DisplayWidth.wrap("👨‍👩‍👧👨‍👩‍👧", width: 3), ["👨‍👩‍👧", "👨‍👩‍👧"])
    }

    func testNoLineIsWiderThanTheWidth() {
        let text = TruncateTests.corpus.joined(separator: " ")
        for width in 1...20 {
            for line in DisplayWidth.wrap(text, width: width) {
                XCTAssertLessThanOrEqual(DisplayWidth.of(line), width, "\(line) @\(width)")
            }
        }
        XCTAssertEqual(DisplayWidth.wrap("abc", width: 0), [])
    }
}
