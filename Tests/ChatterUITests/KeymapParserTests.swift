import TermGrid
import XCTest

@testable import ChatterUI

/// keys.conf parsing: a table of lines and what each must do.
final class KeymapParserTests: XCTestCase {
    private struct Case {
        let text: String
        let key: Key
        let context: KeyContext
        let expected: Action?
        let errorLines: [Int]
    }

    func testTable() {
        let cases: [Case] = [
            // A plain binding in [generic] (also before any section).
            Case(text: "x = review", key: .char("x"), context: .generic, expected: .review, errorLines: []),
            Case(text: "[generic]\nC-n = move-down", key: .ctrl("n"), context: .threads, expected: .moveDown, errorLines: []),
            // Ctrl names: C-, Ctrl-, ^, any case.
            Case(text: "Ctrl-N = move-down", key: .ctrl("n"), context: .generic, expected: .moveDown, errorLines: []),
            Case(text: "^p = move-up", key: .ctrl("p"), context: .generic, expected: .moveUp, errorLines: []),
            // Named keys and aliases.
            Case(text: "S-Tab = next-pane", key: .backTab, context: .generic, expected: .nextPane, errorLines: []),
            Case(text: "pagedown = page-up", key: .pageDown, context: .generic, expected: .pageUp, errorLines: []),
            Case(text: "F5 = refresh", key: .function(5), context: .generic, expected: .refresh, errorLines: []),
            Case(text: "Space = review", key: .char(" "), context: .failed, expected: .review, errorLines: []),
            Case(text: "= = help", key: .char("="), context: .generic, expected: .help, errorLines: []),
            // A view section wins over generic in that view only.
            Case(text: "[thread]\nj = review", key: .char("j"), context: .thread, expected: .review, errorLines: []),
            Case(text: "[thread]\nj = review", key: .char("j"), context: .threads, expected: .moveDown, errorLines: []),
            // none unbinds; in a view section it hides the generic binding there.
            Case(text: "[generic]\nq = none", key: .char("q"), context: .generic, expected: nil, errorLines: []),
            Case(text: "[failed]\nr = none", key: .char("r"), context: .failed, expected: nil, errorLines: []),
            Case(text: "[failed]\nr = none", key: .char("r"), context: .thread, expected: .review, errorLines: []),
            // Comments and blank lines are skipped; a trailing comment is allowed.
            Case(text: "# my keys\n\n  # indented comment\nx = undo  # like vim", key: .char("x"), context: .generic, expected: .undo, errorLines: []),
            // Unknown action: reported with its line, default kept.
            Case(text: "\n\nj = jump-around", key: .char("j"), context: .generic, expected: .moveDown, errorLines: [3]),
            // Unknown key name.
            Case(text: "Hyper-j = review\nk = undo", key: .char("k"), context: .generic, expected: .undo, errorLines: [1]),
            // Unknown section: reported, its bindings ignored (each reported).
            Case(text: "[editor]\nj = review\n[thread]\nk = review", key: .char("j"), context: .thread, expected: .moveDown, errorLines: [1, 2]),
            Case(text: "[editor]\nj = review\n[thread]\nk = review", key: .char("k"), context: .thread, expected: .review, errorLines: [1, 2]),
            // Malformed section header and a line without "=".
            Case(text: "[thread\nj = review", key: .char("j"), context: .thread, expected: .moveDown, errorLines: [1, 2]),
            Case(text: "j review", key: .char("j"), context: .generic, expected: .moveDown, errorLines: [1]),
            // Duplicate in one section: the first is kept, the second reported.
            Case(text: "x = review\nx = undo", key: .char("x"), context: .generic, expected: .review, errorLines: [2]),
            // The same key in two sections is not a duplicate.
            Case(text: "x = review\n[thread]\nx = undo", key: .char("x"), context: .thread, expected: .undo, errorLines: []),
            // Windows line endings.
            Case(text: "x = review\r\ny = undo\r\n", key: .char("y"), context: .generic, expected: .undo, errorLines: []),
        ]
        for (i, c) in cases.enumerated() {
            let (map, errors) = KeymapParser.parse(c.text)
            XCTAssertEqual(map.action(for: c.key, in: c.context), c.expected, "case \(i): \(c.text)")
            XCTAssertEqual(errors.map(\.line), c.errorLines, "case \(i): \(c.text) → \(errors)")
        }
    }

    func testErrorMessagesNameTheProblem() {
        let (_, errors) = KeymapParser.parse("j = fly\nHyper = help\nx\nx = help\nx = undo\n[nope]\nk = help")
        XCTAssertEqual(errors.map(\.line), [1, 2, 3, 5, 6, 7])
        guard errors.count == 6 else { return }
        XCTAssertTrue(errors[0].message.contains("unknown action \"fly\""), errors[0].message)
        XCTAssertTrue(errors[1].message.contains("unknown key \"Hyper\""), errors[1].message)
        XCTAssertTrue(errors[2].description.hasPrefix("keys.conf:3: expected KEY = ACTION"), errors[2].description)
        XCTAssertTrue(errors[3].message.contains("line 4"), errors[3].message)
        XCTAssertTrue(errors[4].message.contains("unknown section \"nope\""), errors[4].message)
        XCTAssertTrue(errors[5].message.contains("unknown section"), errors[5].message)
    }

    func testHostileTextInErrorsIsSanitised() {
        let (_, errors) = KeymapParser.parse("j = \u{1b}]0;x\u{07}")
        XCTAssertEqual(errors.count, 1)
        XCTAssertFalse(errors[0].message.unicodeScalars.contains { $0.value < 0x20 }, errors[0].message)
    }

    func testDefaultsWithEmptyFile() {
        let (map, errors) = KeymapParser.parse("")
        XCTAssertEqual(errors, [])
        XCTAssertEqual(map, Keymap.defaults)
    }

    func testDefaultKeysOfScreensMd() {
        let map = Keymap.defaults
        let expectations: [(Key, KeyContext, Action)] = [
            (.char("j"), .threads, .moveDown), (.down, .threads, .moveDown), (.char("k"), .failed, .moveUp),
            (.up, .failed, .moveUp), (.char("g"), .generic, .moveTop), (.home, .generic, .moveTop),
            (.char("G"), .generic, .moveBottom), (.end, .generic, .moveBottom), (.pageUp, .generic, .pageUp),
            (.ctrl("u"), .generic, .pageUp), (.pageDown, .generic, .pageDown), (.ctrl("d"), .generic, .pageDown),
            (.tab, .generic, .nextPane), (.backTab, .generic, .prevPane), (.enter, .threads, .open),
            (.escape, .thread, .back), (.char("q"), .generic, .close), (.ctrl("c"), .thread, .quit),
            (.char("/"), .generic, .search), (.char("n"), .generic, .nextMatch), (.char("N"), .generic, .prevMatch),
            (.char("F"), .threads, .toggleFailedFilter), (.char("r"), .failed, .review), (.char("R"), .thread, .retry),
            (.char("u"), .failed, .undo), (.char(" "), .failed, .select), (.char("i"), .thread, .detail),
            (.char("c"), .thread, .compose), (.char("?"), .generic, .help), (.char("o"), .thread, .toggleOrder),
            (.char("z"), .thread, .toggleFailedSection), (.char("l"), .thread, .nextRecipient),
            (.char("h"), .failed, .prevRecipient), (.char("s"), .tracking, .cycleStateFilter),
            (.char("e"), .tracking, .toggleEvents),
        ]
        for (key, context, action) in expectations {
            XCTAssertEqual(map.action(for: key, in: context), action, "\(key) in \(context)")
        }
        // View-specific keys do nothing elsewhere.
        XCTAssertNil(map.action(for: .char("o"), in: .threads))
        XCTAssertNil(map.action(for: .char("s"), in: .thread))
        XCTAssertNil(map.action(for: .mouse(MouseEvent(x: 0, y: 0, kind: .press)), in: .generic))
    }

    func testKeyNamesOfTheBrief() {
        let names: [(String, Key)] = [
            ("j", .char("j")), ("C-d", .ctrl("d")), ("S-Tab", .backTab), ("Enter", .enter), ("Esc", .escape),
            ("Up", .up), ("PgDn", .pageDown), ("Space", .char(" ")), ("F1", .function(1)),
        ]
        for (name, key) in names {
            let (map, errors) = KeymapParser.parse("\(name) = undo")
            XCTAssertEqual(errors, [], name)
            XCTAssertEqual(map.action(for: key, in: .generic), .undo, name)
        }
        for bad in ["C-", "C-ab", "F0", "Hyper-x", "ab", "mouse", "resize"] {
            XCTAssertEqual(KeymapParser.parse("\(bad) = undo").1.map(\.line), [1], bad)
        }
    }
}
