import CNCursesW
import XCTest
@testable import CursesTerminal
@testable import TermGrid

/// Key decoding and glyph choice are pure functions; the terminal itself is checked under tmux.
final class KeyDecodingTests: XCTestCase {
    func testControlCharacters() {
        XCTAssertEqual(CursesTerminal.decodeChar(0x1B), .escape)
        XCTAssertEqual(CursesTerminal.decodeChar(0x0D), .enter)
        XCTAssertEqual(CursesTerminal.decodeChar(0x0A), .enter)
        XCTAssertEqual(CursesTerminal.decodeChar(0x09), .tab)
        XCTAssertEqual(CursesTerminal.decodeChar(0x7F), .backspace)
        XCTAssertEqual(CursesTerminal.decodeChar(0x08), .backspace)
        XCTAssertEqual(CursesTerminal.decodeChar(0x03), .ctrl("c"))
        XCTAssertEqual(CursesTerminal.decodeChar(0x15), .ctrl("u"))
        XCTAssertEqual(CursesTerminal.decodeChar(0x04), .ctrl("d"))
        XCTAssertEqual(CursesTerminal.decodeChar(0x00), .ctrl(" "))
        XCTAssertEqual(CursesTerminal.decodeChar(0x1C), .ctrl("\\"))
        XCTAssertEqual(CursesTerminal.decodeChar(0x9B), .unknown("C1 155"))
    }

    func testPrintableCharacters() {
        XCTAssertEqual(CursesTerminal.decodeChar(UInt32(UInt8(ascii: "j"))), .char("j"))
        XCTAssertEqual(CursesTerminal.decodeChar(0x20), .char(" "))
        XCTAssertEqual(CursesTerminal.decodeChar(0x4E2D), .char("中"))
        XCTAssertEqual(CursesTerminal.decodeChar(0x1F600), .char("😀"))
        XCTAssertEqual(CursesTerminal.decodeChar(0xD800), .unknown("invalid 55296"), "a surrogate is not a scalar")
    }

    func testKeyCodes() {
        XCTAssertEqual(CursesTerminal.decodeKeyCode(cnc_key_up()), .up)
        XCTAssertEqual(CursesTerminal.decodeKeyCode(cnc_key_npage()), .pageDown)
        XCTAssertEqual(CursesTerminal.decodeKeyCode(cnc_key_ppage()), .pageUp)
        XCTAssertEqual(CursesTerminal.decodeKeyCode(cnc_key_btab()), .backTab)
        XCTAssertEqual(CursesTerminal.decodeKeyCode(cnc_key_home()), .home)
        XCTAssertEqual(CursesTerminal.decodeKeyCode(cnc_key_select()), .end)
        XCTAssertEqual(CursesTerminal.decodeKeyCode(cnc_key_dc()), .delete)
        XCTAssertEqual(CursesTerminal.decodeKeyCode(cnc_key_f0() + 5), .function(5))
        if case .unknown = CursesTerminal.decodeKeyCode(cnc_key_f0() + 40) {} else { XCTFail("F40 is not ours") }
    }
}

final class GlyphTests: XCTestCase {
    override func setUp() {
        setlocale(LC_ALL, "C.UTF-8")
    }

    private func scalars(_ g: Glyph) -> [UInt32] { g.chars.dropLast().map { UInt32(bitPattern: $0) } }

    func testPlainAndCombining() {
        XCTAssertEqual(scalars(Glyph.make("é", cells: 1, utf8: true)), [0xE9])
        XCTAssertEqual(scalars(Glyph.make("e\u{301}", cells: 1, utf8: true)), [0x65, 0x301])
        XCTAssertEqual(Glyph.make("中", cells: 2, utf8: true).padding, 0)
        XCTAssertEqual(Glyph.make("中", cells: 2, utf8: true).chars.last, 0, "NUL-terminated")
    }

    func testSequencesCurseCannotHoldKeepTheirWidth() {
        let family = Glyph.make("👨‍👩‍👧", cells: 2, utf8: true)
        XCTAssertEqual(scalars(family), [0x1F468], "ZWJ sequence shows its first person")
        XCTAssertEqual(family.padding, 0)
        let flag = Glyph.make("🇫🇷", cells: 2, utf8: true)
        XCTAssertEqual(flag.width(inCells: 2) + flag.padding, 2)
        let heart = Glyph.make("❤️", cells: 2, utf8: true)
        XCTAssertEqual(scalars(heart), [0x2764], "VS16 dropped where the C library says one cell")
        XCTAssertEqual(heart.padding, 1)
        let thumb = Glyph.make("👍🏽", cells: 2, utf8: true)
        XCTAssertEqual(thumb.width(inCells: 2) + thumb.padding, 2)
    }

    func testNonUTF8LocaleShowsQuestionMarks() {
        XCTAssertEqual(scalars(Glyph.make("中", cells: 2, utf8: false)), [0x3F])
        XCTAssertEqual(Glyph.make("中", cells: 2, utf8: false).padding, 1)
        XCTAssertEqual(scalars(Glyph.make("a", cells: 1, utf8: false)), [0x61])
    }

    func testEmptyClusterIsASpace() {
        XCTAssertEqual(scalars(Glyph.make("", cells: 1, utf8: true)), [0x20])
    }
}
