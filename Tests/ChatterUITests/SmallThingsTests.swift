import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// Small things a user trips on: each one seen, each one checked here.
final class SmallThingsTests: XCTestCase {
    private func press(_ s: inout AppState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += update(&s, .key(k)) }
        return effects
    }

    private func screen(_ s: AppState) -> [String] {
        var grid = Grid(size: s.size)
        render(s, into: &grid)
        return grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    private func failedPane(size: Size = Size(width: 80, height: 24)) -> AppState {
        var s = Fixtures.loaded(size: size)
        _ = press(&s, .char("2"))
        _ = update(&s, .failedLoaded([Fixtures.m101, Fixtures.m201, Fixtures.m104], count: 3))
        return s
    }

    func testEscFromAMessageOpenedInFailedReturnsToTheSameCard() {
        var s = failedPane()
        _ = press(&s, .char("j"))
        XCTAssertEqual(s.failed.cursor, 201)
        _ = press(&s, .enter)
        XCTAssertEqual(s.mailbox, .inbox)
        XCTAssertEqual(s.chatter.cursor, .message(201))
        _ = press(&s, .escape)
        XCTAssertEqual(s.mailbox, .failed)
        XCTAssertEqual(s.focus, .main)
        XCTAssertEqual(s.failed.cursor, 201, "on the same card")
        // A thread opened from the thread list goes back to the list as before.
        _ = press(&s, .char("1"), .escape)
        XCTAssertEqual(s.focus, .threads)
    }

    func testTheDetailShowsIdsAndSaysQueuedForMailNeverSent() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("i"))
        _ = update(&s, .trackingDetailLoaded(Fixtures.trackingRows[0], Fixtures.decoEvents))
        var text = screen(s).joined(separator: "\n")
        XCTAssertTrue(text.contains("Ids: message 101 · tracking 1001"), text)
        XCTAssertTrue(text.contains("Sent: "), text)
        _ = press(&s, .escape, .char("3"))
        _ = update(&s, .trackingsLoaded(s.tracking.query, Page(rows: Fixtures.trackingRows, next: nil)))
        // Colleen is waiting: her mail has not gone out.
        for _ in 0..<3 { _ = press(&s, .char("j")) }
        XCTAssertEqual(press(&s, .enter), [.loadTrackingDetail(1004)])
        _ = update(&s, .trackingDetailLoaded(Fixtures.trackingRows[3], []))
        text = screen(s).joined(separator: "\n")
        XCTAssertTrue(text.contains("Queued: "), text)
        XCTAssertTrue(text.contains("not sent yet"), text)
        XCTAssertFalse(text.contains("Sent: "), text)
    }

    func testABouncedPartnerIsNeverCalledGood() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("4"))
        let good = Fixtures.partner(20, "Was Fine", "fine@example.com", bounced: true, [.delivered: 60, .bounced: 1])
        XCTAssertGreaterThan(good.emailScore, 50)
        _ = update(&s, .partnersLoaded([good]))
        let row = screen(s).first { $0.contains("Was Fine") } ?? ""
        XCTAssertTrue(row.contains("bounced"), row)
        XCTAssertFalse(row.contains("good"), row)
        XCTAssertEqual(EmailScore.verdict(good.emailScore, bounced: true), "but bounced last")
    }

    func testNoPartnerAndUnknownMarkersDifferAtAGlance() {
        let g = Glyphs(ascii: false)
        XCTAssertEqual(g.marker(.unknown), "⊘")
        XCTAssertEqual(g.marker(.noPartner), "@")
        XCTAssertEqual(Set(Marker.allCases.map { g.marker($0) }).count, Marker.allCases.count, "every marker its own glyph")
    }

    func testAt60x15TheFailedTitleKeepsItsCount() {
        let s = failedPane(size: Size(width: 60, height: 15))
        let top = screen(s)[1]
        XCTAssertTrue(top.contains("(3)"), top)
    }

    func testAt80x24TheFooterKeepsHelp() {
        for keys in [[Key.char("2")], [], [Key.char("3")]] {
            var s = Fixtures.loaded()
            for k in keys { _ = press(&s, k) }
            _ = press(&s, .char("j"))
            let footer = screen(s)[23]
            XCTAssertTrue(footer.hasSuffix("? help") || footer.contains("? help "), "\(keys): \(footer)")
        }
    }

    func testAt200ColumnsPopupsUseTheWidth() {
        var s = Fixtures.loaded(size: Size(width: 200, height: 50))
        _ = press(&s, .char("?"))
        XCTAssertGreaterThan(HelpView.popup(s.size).frame.width, 120)
        _ = press(&s, .escape, .char("j"), .char("R"))
        XCTAssertGreaterThan(RetryDialogView.popup(s.size, lineCount: 10).frame.width, 120)
        XCTAssertGreaterThan(MarkerDetailView.popup(s.size, lineCount: 10).frame.width, 120)
        // At 80 columns they keep their size.
        XCTAssertEqual(RetryDialogView.popup(Size(width: 80, height: 24), lineCount: 10).frame.width, 72)
    }

    func testTheHelpPopupLeavesThePanesFramesAlone() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("?"))
        let lines = screen(s)
        XCTAssertTrue(lines[1].hasPrefix("┌ Mailboxes"), lines[1])
        XCTAssertTrue(lines[22].hasPrefix("└"), lines[22])
        XCTAssertTrue(lines[22].hasSuffix("┛"), "the focused pane's frame, whole: \(lines[22])")
        XCTAssertTrue(lines[10].hasPrefix("│┃") && lines[10].hasSuffix("┃┃"), "both frames beside the popup's: \(lines[10])")
    }

    func testAPartnersListOpensOnItsNewestRowAndDoesNotStick() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("3"))
        _ = update(&s, .trackingsLoaded(s.tracking.query, Page(rows: Fixtures.trackingRows, next: nil)))
        for _ in 0..<5 { _ = press(&s, .char("j")) }
        XCTAssertEqual(s.tracking.emails.cursorIndex, 5)
        _ = press(&s, .char("4"))
        _ = update(&s, .partnersLoaded(Fixtures.partners))
        _ = press(&s, .char("j"))
        let effects = press(&s, .enter)
        XCTAssertEqual(s.tracking.query.search, "deco.addict82@example.com")
        XCTAssertEqual(effects, [.loadTrackings(s.tracking.query)])
        let rows = Fixtures.trackingRows.filter { $0.address == "deco.addict82@example.com" }
        _ = update(&s, .trackingsLoaded(s.tracking.query, Page(rows: rows, next: nil)))
        XCTAssertEqual(s.tracking.emails.cursorIndex, 0, "the newest row")
        XCTAssertTrue(screen(s).contains { $0.contains("Time") && $0.contains("Recipient") }, "the header in view")
        // The next visit of Tracking is unfiltered.
        _ = press(&s, .char("1"), .char("3"))
        XCTAssertEqual(s.tracking.query.search, "")
    }

    func testEveryBadKeysConfLineIsListedInHelp() {
        var s = Fixtures.loaded(size: Size(width: 100, height: 60))
        let errors = [
            KeymapError(line: 2, message: "unknown action \"jump\""), KeymapError(line: 5, message: "unknown key \"C-\""),
            KeymapError(line: 9, message: "expected KEY = ACTION, got \"x\""),
        ]
        _ = update(&s, .keymapErrors(errors))
        XCTAssertEqual(s.status?.text, "keys.conf:2: unknown action \"jump\" (and 2 more: help lists them)")
        let lines = HelpView.lines(s, width: 90).map { $0.spans.map(\.text).joined() }
        for e in errors { XCTAssertTrue(lines.contains { $0.contains(e.description) }, e.description) }
    }

    func testTheFocusShowsWithoutColour() {
        var s = Fixtures.loaded()
        XCTAssertEqual(s.focus, .main)
        var lines = screen(s)
        XCTAssertTrue(lines[1].hasPrefix("┌ Mailboxes"), lines[1])
        XCTAssertTrue(lines[1].contains("┏"), "the focused pane's frame is heavy: \(lines[1])")
        XCTAssertEqual(lines.joined().filter { $0 == "▶" }.count, 1, "one ▶: the focused pane's cursor")
        XCTAssertTrue(lines.joined().contains("▷"), "the other panes' cursors are hollow")
        _ = press(&s, .tab)
        XCTAssertEqual(s.focus, .mailboxes)
        lines = screen(s)
        XCTAssertTrue(lines[1].hasPrefix("┏ Mailboxes"), lines[1])
        XCTAssertEqual(lines.joined().filter { $0 == "▶" }.count, 1)
        // ASCII: '#' corners for the focused frame.
        var a = Fixtures.loaded(ascii: true)
        _ = press(&a, .tab)
        XCTAssertTrue(screen(a)[1].hasPrefix("# Mailboxes"), screen(a)[1])
    }
}
