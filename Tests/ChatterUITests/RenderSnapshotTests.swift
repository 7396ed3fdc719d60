import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// Render snapshots at 80×24, 120×40 and 40×12: state in, text and style mask out.
final class RenderSnapshotTests: XCTestCase {
    private let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 40, height: 12)]

    private func at(_ size: Size, _ state: AppState) -> AppState {
        var s = state
        _ = update(&s, .resize(size))
        return s
    }

    func testThreadChatterWithEveryMarker() {
        for size in sizes { assertSnapshot(at(size, Fixtures.loaded()), "thread_\(size)") }
    }

    func testThreadChatterAscii() {
        assertSnapshot(Fixtures.loaded(ascii: true), "thread_ascii_80x24")
    }

    /// A failure refused by the receiver (sender side) and a bad address look
    /// different, in words and in marker, with and without Unicode.
    func testFailureSides() {
        for ascii in [false, true] {
            var s = Fixtures.loaded(ascii: ascii)
            _ = update(&s, .threadLoaded(Fixtures.sidesView))
            let name = ascii ? "sides_ascii_80x24" : "sides_80x24"
            assertSnapshot(s, name)
            var grid = Grid(size: s.size)
            render(s, into: &grid)
            let text = snapshotText(grid)
            XCTAssertTrue(text.contains(ascii ? "x! Blocked Corp" : "✗! Blocked Corp"), name)
            XCTAssertTrue(text.contains(ascii ? "x Gone Person" : "✗ Gone Person"), name)
            XCTAssertTrue(text.contains("refused by the receiver: our IP is"), name)
            XCTAssertTrue(text.contains("on a block list"), name)
            XCTAssertTrue(text.contains("address does not exist"), name)
            _ = update(&s, .key(.char("j")))
            _ = update(&s, .key(.char("R")))
            assertSnapshot(s, ascii ? "sides_retry_ascii_80x24" : "sides_retry_80x24")
        }
    }

    func testThreadListFocusedNarrow() {
        var s = Fixtures.loaded(size: Size(width: 40, height: 12))
        _ = update(&s, .key(.escape))
        assertSnapshot(s, "threads_40x12")
    }

    func testHistoryScrolledWithRecipientCursor() {
        var s = Fixtures.loaded()
        for _ in 0..<3 { _ = update(&s, .key(.char("j"))) }
        _ = update(&s, .key(.char("l")))
        assertSnapshot(s, "thread_history_cursor_80x24")
    }

    func testCollapsedFailedSectionOldestFirst() {
        var s = Fixtures.loaded()
        _ = update(&s, .key(.char("z")))
        _ = update(&s, .key(.char("o")))
        assertSnapshot(s, "thread_collapsed_oldest_80x24")
    }

    func testFailedPane() {
        for size in sizes {
            var s = at(size, Fixtures.loaded())
            _ = update(&s, .key(.char("2")))
            _ = update(&s, .failedLoaded([Fixtures.m101, Fixtures.m201, Fixtures.m104], count: 3))
            _ = update(&s, .key(.char(" ")))
            assertSnapshot(s, "failed_\(size)")
        }
    }

    func testEmptyStates() {
        var s = AppState(me: Fixtures.me, size: Size(width: 80, height: 24))
        _ = update(&s, .tick(Fixtures.now))
        assertSnapshot(s, "loading_80x24")
        _ = update(&s, .threadsLoaded(s.threads.query, Page(rows: [], next: nil)))
        _ = update(&s, .countsLoaded(MailboxCounts(inbox: 0, failed: 0)))
        assertSnapshot(s, "empty_80x24")
        _ = update(&s, .key(.char("2")))
        _ = update(&s, .failedLoaded([], count: 0))
        assertSnapshot(s, "failed_empty_80x24")
    }

    func testFailedFilterOn() {
        var s = Fixtures.loaded()
        _ = update(&s, .key(.escape))
        _ = update(&s, .key(.char("F")))
        _ = update(&s, .threadsLoaded(s.threads.query, Page(rows: Array(Fixtures.threads.filter { $0.failedCount > 0 }), next: nil)))
        assertSnapshot(s, "filter_failed_80x24")
    }

    func testHelp() {
        for size in sizes.prefix(2) {
            var s = at(size, Fixtures.loaded())
            _ = update(&s, .key(.char("?")))
            assertSnapshot(s, "help_\(size)")
        }
        var s = Fixtures.loaded(size: Size(width: 80, height: 24))
        _ = update(&s, .key(.char("?")))
        _ = update(&s, .key(.char("G")))
        assertSnapshot(s, "help_end_80x24")
    }

    func testRetryDialog() {
        var s = Fixtures.loaded()
        _ = update(&s, .key(.char("j")))
        _ = update(&s, .key(.char("R")))
        assertSnapshot(s, "retry_checking_80x24")
        _ = update(&s, .retryPlansLoaded([Fixtures.retryPlan101]))
        _ = update(&s, .key(.char("j")))
        assertSnapshot(s, "retry_80x24")
    }

    func testRetryDialogASCII() {
        var s = Fixtures.loaded(ascii: true)
        _ = update(&s, .key(.char("j")))
        _ = update(&s, .key(.char("R")))
        _ = update(&s, .retryPlansLoaded([Fixtures.retryPlan101]))
        assertSnapshot(s, "retry_ascii_80x24")
    }

    func testMarkerPopup() {
        var s = Fixtures.loaded()
        _ = update(&s, .key(.char("j")))
        _ = update(&s, .key(.char("i")))
        _ = update(&s, .trackingDetailLoaded(Fixtures.trackingRows[0], Fixtures.decoEvents))
        assertSnapshot(s, "marker_popup_80x24")
        _ = update(&s, .resize(Size(width: 120, height: 40)))
        assertSnapshot(s, "marker_popup_120x40")
    }

    func testMarkerPopupWithoutTracking() {
        var s = Fixtures.loaded()
        for _ in 0..<3 { _ = update(&s, .key(.char("j"))) }
        for _ in 0..<7 { _ = update(&s, .key(.char("l"))) }
        _ = update(&s, .key(.char("i")))
        assertSnapshot(s, "marker_popup_cc_80x24")
    }

    func testTerminalTooSmall() {
        assertSnapshot(at(Size(width: 39, height: 12), Fixtures.loaded()), "too_small_39x12")
        assertSnapshot(at(Size(width: 80, height: 9), Fixtures.loaded()), "too_small_80x9")
    }

    func testTrackingListsAndPartners() {
        var s = at(Size(width: 120, height: 40), Fixtures.loaded())
        _ = update(&s, .key(.char("3")))
        _ = update(&s, .trackingsLoaded(s.tracking.query, Page(rows: Fixtures.trackingRows, next: nil)))
        assertSnapshot(s, "tracking_120x40")
        _ = update(&s, .key(.char("e")))
        _ = update(&s, .eventsLoaded(trackingId: nil, Fixtures.decoEvents.reversed() + Fixtures.azureEvents.reversed()))
        assertSnapshot(s, "events_120x40")
        _ = update(&s, .resize(Size(width: 80, height: 24)))
        _ = update(&s, .key(.char("4")))
        _ = update(&s, .partnersLoaded(Fixtures.partners))
        _ = update(&s, .key(.char("j")))
        assertSnapshot(s, "partners_80x24")
    }

    func testSearchPromptAndErrorStatus() {
        var s = Fixtures.loaded()
        _ = update(&s, .key(.escape))
        _ = update(&s, .key(.char("/")))
        for c in "山田" { _ = update(&s, .key(.char(c))) }
        assertSnapshot(s, "prompt_80x24")
        _ = update(&s, .key(.escape))
        _ = update(&s, .effectFailed("database is locked\u{1b}[2J"))
        assertSnapshot(s, "status_error_80x24")
    }

    func testHostileTextIsShownVisibly() {
        var s = Fixtures.loaded()
        var evil = Fixtures.threads
        evil[2].name = "Evil\u{1b}]0;pwned\u{07}Corp\u{202e}gnp.exe\r"
        _ = update(&s, .threadsLoaded(s.threads.query, Page(rows: evil, next: nil)))
        var view = Fixtures.azureView
        view.history[1].body = "line one\u{1b}[31m red?\u{1b}[0m\nline\rtwo\u{9b}K"
        _ = update(&s, .threadLoaded(view))
        _ = update(&s, .key(.char("G")))
        assertSnapshot(s, "hostile_80x24")
    }
}
