import TestSupport
import XCTest
@testable import TermGrid

/// Random drawing (seeded, so failures reproduce) must keep the wide-character
/// invariant, and any diff between two random frames must rebuild the second.
final class GridPropertyTests: XCTestCase {
    static let pieces = ["a", "bc", "中", "文字", "👨‍👩‍👧", "🇫🇷", "❤️", "e\u{301}", "한", " ", "✓✗", "…", "\u{1B}[2J", "\u{200B}", "\u{9B}31m", "\r\n", "a\u{7}", "\u{202E}rtl", "ｱ", "Ａ"]

    func randomText(_ rng: inout SeededGenerator) -> String {
        (0..<Int.random(in: 0...6, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng) ?? "" }.joined()
    }

    func randomFrame(_ size: Size, _ rng: inout SeededGenerator) -> Grid {
        var g = Grid(size: size)
        for _ in 0..<Int.random(in: 0...25, using: &rng) {
            let style = StyleID(rawValue: UInt8.random(in: 0...3, using: &rng))
            let x = Int.random(in: -3...(size.width + 1), using: &rng)
            let y = Int.random(in: -1...size.height, using: &rng)
            switch Int.random(in: 0...5, using: &rng) {
            case 5:
                let spans = (0..<3).map { i in Span(randomText(&rng), StyleID(rawValue: UInt8(i))) }
                g.put(spans, x: x, y: y, maxWidth: Int.random(in: -1...size.width, using: &rng))
            case 0, 1:
                g.put(randomText(&rng), x: x, y: y, maxWidth: Int.random(in: -1...size.width, using: &rng), style: style)
            case 2:
                g.style(Rect(x: x, y: y, width: Int.random(in: 0...5, using: &rng), height: 2), style)
            case 3:
                g.fill(Rect(x: x, y: y, width: Int.random(in: 0...4, using: &rng), height: 1), style: style)
            default:
                g[x, y] = Cell(text: Self.pieces.randomElement(using: &rng) ?? "", style: style)
            }
        }
        return g
    }

    func assertInvariant(_ g: Grid, file: StaticString = #filePath, line: UInt = #line) {
        for y in 0..<g.size.height {
            for x in 0..<g.size.width {
                let c = g[x, y]
                let w = DisplayWidth.of(c.text)
                for s in c.text.unicodeScalars {
                    XCTAssertFalse(s.value < 0x20 || (0x7F...0x9F).contains(s.value), "control U+\(s.value) reached a cell", file: file, line: line)
                }
                if c.isContinuation {
                    XCTAssertTrue(x > 0 && DisplayWidth.of(g[x - 1, y].text) == 2, "orphan right half at \(x),\(y)", file: file, line: line)
                } else {
                    XCTAssertTrue(w == 1 || w == 2, "cell of width \(w) at \(x),\(y): \(c.text.unicodeScalars.map(\.value))", file: file, line: line)
                    XCTAssertEqual(c.text.count, 1, "one cluster per cell", file: file, line: line)
                }
                if w == 2 {
                    XCTAssertTrue(x + 1 < g.size.width && g[x + 1, y].isContinuation, "wide without right half at \(x),\(y)", file: file, line: line)
                }
            }
        }
    }

    func testRandomFramesKeepTheInvariantAndDiffsRebuildThem() {
        var rng = SeededGenerator(seed: 42)
        let size = Size(width: 9, height: 4)
        var previous = Grid(size: size)
        let screen = HeadlessBackend(size: size)
        for round in 0..<400 {
            let frame = randomFrame(size, &rng)
            assertInvariant(frame)
            for run in diff(from: previous, to: frame) {
                XCTAssertFalse(run.cells.first?.isContinuation ?? true, "run starts on a right half, round \(round)")
            }
            screen.draw(diff(from: previous, to: frame), cursor: nil)
            screen.flush()
            XCTAssertEqual(screen.grid, frame, "round \(round)")
            previous = frame
        }
    }

    func testTextOfEveryRowHasTheGridWidth() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<100 {
            let g = randomFrame(Size(width: 11, height: 3), &rng)
            for y in 0..<3 { XCTAssertEqual(DisplayWidth.of(g.rowText(y)), 11) }
            XCTAssertEqual(g.styleMask { _ in "x" }.split(separator: "\n").map(\.count), [11, 11, 11])
        }
    }
}
