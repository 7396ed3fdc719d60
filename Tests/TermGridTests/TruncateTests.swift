import XCTest
@testable import TermGrid

final class TruncateTests: XCTestCase {
    static let corpus: [String] = [
        "", "a", "hello world", "Azure Interior", "株式会社アズール", "한국어 이름",
        "👨‍👩‍👧 family", "🇫🇷🇩🇪🇯🇵", "❤️❤️❤️", "e\u{301}e\u{301}e\u{301}e\u{301}",
        "a中b中c中", "👍🏽👍🏿👍", "Zoë 👋🏻 中文 mix", "\u{200B}zero\u{200B}width", "1️⃣2️⃣3️⃣",
        "ｱｲｳｴｵ", "Ａｚｕｒｅ", "🏳️‍🌈 pride", String(repeating: "中", count: 30),
        String(repeating: "ab", count: 40), "tab\tand\u{1B}[31mesc",
    ]

    func testExamples() {
        XCTAssertEqual(DisplayWidth.truncate("hello", to: 5), "hello")
        XCTAssertEqual(DisplayWidth.truncate("hello", to: 4), "hel…")
        XCTAssertEqual(DisplayWidth.truncate("hello", to: 1), "…")
        XCTAssertEqual(DisplayWidth.truncate("hello", to: 0), "")
        XCTAssertEqual(DisplayWidth.truncate("hello", to: -3), "")
        XCTAssertEqual(DisplayWidth.truncate("中中中", to: 4), "中…")
        XCTAssertEqual(DisplayWidth.truncate("中中中", to: 5), "中中…")
        XCTAssertEqual(DisplayWidth.truncate("a👨‍👩‍👧b", to: 3), "a…")
        XCTAssertEqual(DisplayWidth.truncate("e\u{301}e\u{301}e\u{301}", to: 2), "e\u{301}…")
        XCTAssertEqual(DisplayWidth.truncate("hello", to: 3, ellipsis: "..."), "...")
        XCTAssertEqual(DisplayWidth.truncate("hello", to: 2, ellipsis: "..."), "he")
    }

    /// For every string and every width: the result fits, and is a prefix of whole clusters plus the ellipsis.
    func testNeverSplitsAndAlwaysFits() {
        for s in Self.corpus {
            let full = DisplayWidth.of(s)
            for width in -1...(full + 2) {
                let t = DisplayWidth.truncate(s, to: width)
                XCTAssertLessThanOrEqual(DisplayWidth.of(t), max(0, width), "\(s) @\(width)")
                if full <= width {
                    XCTAssertEqual(t, s)
                    continue
                }
                let body = t.hasSuffix("…") ? String(t.dropLast()) : t
                let clusters = Array(s), kept = Array(body)
                XCTAssertLessThanOrEqual(kept.count, clusters.count)
                XCTAssertEqual(Array(clusters.prefix(kept.count)), kept, "prefix of clusters: \(s) @\(width)")
                if width >= 1 { XCTAssertTrue(t.hasSuffix("…"), "\(s) @\(width)") }
                // At most one cell lost, and only when a wide cluster is what did not fit.
                if width >= 1 { XCTAssertGreaterThanOrEqual(DisplayWidth.of(t), width - 1) }
            }
        }
    }
}
