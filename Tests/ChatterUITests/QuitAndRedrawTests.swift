import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// Quit and refresh go through `update` like everything else: it sets
/// `quitting` and asks for a repaint as effects; the loop only performs them.
final class QuitAndRedrawTests: XCTestCase {
    func testQuitActionSetsQuittingAndReturnsQuit() {
        var s = Fixtures.loaded()
        XCTAssertFalse(s.quitting)
        XCTAssertEqual(update(&s, .key(.ctrl("c"))), [.quit])
        XCTAssertTrue(s.quitting, "update, not the loop, marks the state as quitting")
    }

    func testRefreshAsksForARepaintThenReloads() {
        var s = Fixtures.loaded()
        let effects = update(&s, .key(.ctrl("l")))
        XCTAssertEqual(effects.first, .redrawAll, "the repaint comes first, before the loads")
        XCTAssertEqual(Array(effects.dropFirst()), [.loadCounts(pending: []), .loadThreads(ThreadQuery()), .loadThread(id: 1, around: nil)])
        XCTAssertFalse(s.quitting)
    }

    func testRefreshRepaintsEvenWhereAPromptTakesTheKey() {
        var s = Fixtures.loaded()
        _ = update(&s, .key(.char("/")))
        XCTAssertNotNil(s.prompt)
        XCTAssertEqual(update(&s, .key(.ctrl("l"))), [.redrawAll], "the prompt takes the key, the screen is still repainted")
        XCTAssertNotNil(s.prompt, "the prompt stays open")
    }

    func testARemappedRefreshKeyRepaintsAndTheOldOneDoesNot() {
        var s = Fixtures.loaded()
        s.keymap = KeymapParser.parse("F5 = refresh\nC-l = none").0
        XCTAssertEqual(update(&s, .key(.function(5))).first, .redrawAll)
        XCTAssertFalse(update(&s, .key(.ctrl("l"))).contains(.redrawAll))
    }

    func testOtherKeysAskForNoRepaint() {
        var s = Fixtures.loaded()
        for key: Key in [.char("j"), .char("k"), .escape, .char("2"), .resize(Size(width: 100, height: 30))] {
            XCTAssertFalse(update(&s, .key(key)).contains(.redrawAll), "\(key)")
        }
    }
}
