import XCTest
@testable import TermGrid

final class DisplayWidthTests: XCTestCase {
    /// (text, cells) pairs covering every rule of the width table.
    private let table: [(String, Int, String)] = [
        ("a", 1, "ASCII letter"),
        (" ", 1, "space"),
        ("~", 1, "tilde"),
        ("é", 1, "precomposed accent"),
        ("e\u{301}", 1, "e + combining acute is one cell"),
        ("a\u{301}\u{302}\u{303}", 1, "stacked marks"),
        ("中", 2, "CJK ideograph"),
        ("日本語", 6, "three ideographs"),
        ("한", 2, "Hangul syllable"),
        ("\u{1112}\u{1161}\u{11AB}", 2, "Hangul jamo L+V+T is one two-cell cluster"),
        ("ｱ", 1, "half-width katakana"),
        ("Ａ", 2, "full-width A"),
        ("\u{3000}", 2, "ideographic space"),
        ("😀", 2, "emoji presentation"),
        ("👍🏽", 2, "skin tone"),
        ("👨‍👩‍👧", 2, "ZWJ family"),
        ("🏳️‍🌈", 2, "rainbow flag (VS16 + ZWJ)"),
        ("🇫🇷", 2, "flag pair"),
        ("❤️", 2, "heart + VS16"),
        ("❤", 1, "heart, text presentation by default"),
        ("1️⃣", 2, "keycap"),
        ("✓", 1, "check mark"),
        ("✗", 1, "ballot x"),
        ("◷", 1, "clock glyph used as a marker"),
        ("\u{200B}", 0, "zero-width space"),
        ("\u{200D}", 0, "lone ZWJ"),
        ("\u{FEFF}", 0, "BOM"),
        ("\u{301}", 0, "lone combining mark"),
        ("\u{1B}", 0, "ESC"),
        ("\u{7}", 0, "BEL"),
        ("\u{9B}", 0, "C1 CSI"),
        ("\u{7F}", 0, "DEL"),
        ("\r\n", 0, "CRLF cluster"),
        ("\u{AD}", 1, "soft hyphen shows"),
        ("\u{20000}", 2, "CJK extension B"),
        ("\u{31350}", 2, "CJK extension H (plane 3 default wide)"),
        ("Azure 株式会社", 14, "mixed"),
        ("Zoë 👋🏻", 6, "mixed Latin and emoji"),
    ]

    func testWidthTable() {
        for (text, cells, why) in table {
            XCTAssertEqual(DisplayWidth.of(text), cells, "\(why): \(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    func testEachClusterOfTheTableIsOneCharacterWhereExpected() {
        XCTAssertEqual("👨‍👩‍👧".count, 1)
        XCTAssertEqual("🇫🇷".count, 1)
        XCTAssertEqual(DisplayWidth.of(Character("👨‍👩‍👧")), 2)
    }

    func testScalarWidths() {
        XCTAssertEqual(DisplayWidth.of(scalar: "a"), 1)
        XCTAssertEqual(DisplayWidth.of(scalar: "\u{301}"), 0)
        XCTAssertEqual(DisplayWidth.of(scalar: "中"), 2)
        XCTAssertEqual(DisplayWidth.of(scalar: "\u{0}"), 0)
        XCTAssertEqual(DisplayWidth.of(scalar: "\u{10FFFF}"), 1)
    }

    func testRangeTablesAreSortedPairs() {
        for (name, t) in [("wide", eastAsianWideRanges), ("emoji", emojiRanges),
                          ("emojiPresentation", emojiPresentationRanges), ("zero", zeroWidthRanges)] {
            XCTAssertEqual(t.count % 2, 0, name)
            var prev: UInt32?
            for i in stride(from: 0, to: t.count, by: 2) {
                XCTAssertLessThanOrEqual(t[i], t[i + 1], "\(name) pair \(i)")
                if let p = prev { XCTAssertGreaterThan(t[i], p, "\(name) sorted at \(i)") }
                prev = t[i + 1]
            }
        }
    }

    func testPad() {
        XCTAssertEqual(DisplayWidth.pad("ab", to: 4), "ab  ")
        XCTAssertEqual(DisplayWidth.pad("中", to: 3), "中 ")
        XCTAssertEqual(DisplayWidth.pad("abcdef", to: 4), "abc…")
        XCTAssertEqual(DisplayWidth.pad("x", to: 0), "")
        XCTAssertEqual(DisplayWidth.padLeft("42", to: 4), "  42")
    }
}
