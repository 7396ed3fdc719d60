import XCTest
@testable import TermGrid

final class KeyNameTests: XCTestCase {
    let every: [Key] = [
        .char("j"), .char("G"), .char(" "), .char("/"), .char("中"), .ctrl("u"), .ctrl(" "),
        .up, .down, .left, .right, .home, .end, .pageUp, .pageDown,
        .enter, .tab, .backTab, .escape, .backspace, .delete, .function(1), .function(12),
    ]

    func testNamesRoundTrip() {
        for key in every {
            XCTAssertEqual(Key(name: key.name), key, key.name)
        }
    }

    func testAliases() {
        XCTAssertEqual(Key(name: "C-d"), .ctrl("d"))
        XCTAssertEqual(Key(name: "^U"), .ctrl("u"))
        XCTAssertEqual(Key(name: "Ctrl+c"), .ctrl("c"))
        XCTAssertEqual(Key(name: "ctrl-m"), .enter)
        XCTAssertEqual(Key(name: "ctrl-i"), .tab)
        XCTAssertEqual(Key(name: "PageDown"), .pageDown)
        XCTAssertEqual(Key(name: "Return"), .enter)
        XCTAssertEqual(Key(name: "shift-tab"), .backTab)
        XCTAssertEqual(Key(name: "ESCAPE"), .escape)
        XCTAssertEqual(Key(name: "F5"), .function(5))
    }

    func testCaseOfSingleCharactersMatters() {
        XCTAssertEqual(Key(name: "g"), .char("g"))
        XCTAssertEqual(Key(name: "G"), .char("G"))
    }

    func testBadNamesDoNotParse() {
        for bad in ["", "ctrl-", "ctrl-uu", "ctrl-1", "f0", "f13", "fx", "hyper-x", "\u{1B}", "pg up", "mouse", "resize"] {
            XCTAssertNil(Key(name: bad), bad)
        }
    }

    func testLabels() {
        XCTAssertEqual(Key.ctrl("u").label(), "Ctrl-u")
        XCTAssertEqual(Key.up.label(), "↑")
        XCTAssertEqual(Key.up.label(ascii: true), "Up")
        XCTAssertEqual(Key.backTab.label(), "Shift-Tab")
        XCTAssertEqual(Key.char(" ").label(), "Space")
        XCTAssertEqual(Key.function(3).label(), "F3")
    }
}
