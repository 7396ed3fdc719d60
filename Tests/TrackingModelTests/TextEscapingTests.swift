import TrackingModel
import XCTest

/// The two rules for untrusted text: `JSONText` (machine output) escapes what a terminal
/// could act on or that reorders text; `SafeText` (human output) shows it visibly.
final class TextEscapingTests: XCTestCase {
    func testJSONEscapesControlsC1AndBidiControls() {
        XCTAssertEqual(JSONText.string("a\u{9B}31m"), #""a\u009b31m""#)
        XCTAssertEqual(JSONText.string("x\u{202E}gpj.exe"), #""x\u202egpj.exe""#)
        XCTAssertEqual(JSONText.string("\u{202A}\u{202D}\u{2066}\u{2069}\u{200F}"), #""\u202a\u202d\u2066\u2069\u200f""#)
        XCTAssertEqual(JSONText.string("\u{1B}[2J\u{7F}\u{0}"), #""\u001b[2J\u007f\u0000""#)
        XCTAssertEqual(JSONText.string("q\"b\\n\nr\rt\t"), #""q\"b\\n\nr\rt\t""#)
        XCTAssertEqual(JSONText.string("\u{2028}\u{2029}"), #""\u2028\u2029""#)
        // Everything else as it is, in UTF-8: accents, CJK, emoji (4 bytes), ZWJ sequences.
        let plain = "Zoë 中文 👨‍👩‍👧 é\u{301} \u{A0}"
        XCTAssertEqual(JSONText.string(plain), "\"" + plain + "\"")
    }

    func testJSONKeepsTheTextExactForAReader() throws {
        let hostile = "Invoice\u{1B}]0;pwned\u{07}\u{1B}[2J\rEVIL\u{202E}gpj.exe\u{9B}31m\u{2066}x\u{200B}"
        let literal = JSONText.string(hostile)
        XCTAssertFalse(literal.unicodeScalars.contains { JSONText.mustEscape($0.value) })
        let back = try JSONSerialization.jsonObject(with: Data(literal.utf8), options: [.fragmentsAllowed]) as? String
        XCTAssertEqual(back, hostile)
    }

    func testHumanOutputShowsInvisibleCharacters() {
        XCTAssertEqual(SafeText.clean("a\u{200B}b"), "a<U+200B>b")
        XCTAssertEqual(SafeText.clean("\u{FEFF}x\u{2060}"), "<U+FEFF>x<U+2060>")
        XCTAssertEqual(SafeText.clean("t\u{E0041}\u{E007F}"), "t<U+E0041><U+E007F>")
        XCTAssertFalse(SafeText.isClean("a\u{200B}b"))
        // A zero-width joiner builds emoji and scripts: kept.
        XCTAssertEqual(SafeText.clean("👨‍👩‍👧"), "👨‍👩‍👧")
        XCTAssertTrue(SafeText.isClean("👨‍👩‍👧 Zoë"))
    }
}
