import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// A thread's history pages like every list: `G` and `g` read the real ends of
/// a 5,000-message thread in one page each, `k` near the window's edge asks for
/// the page beyond it by keyset, the window stays bounded and the frame says
/// where the cursor is in the whole thread.
final class HistoryPagingTests: XCTestCase {
    private let count: Int64 = 5000

    private func press(_ s: inout AppState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += update(&s, .key(k)) }
        return effects
    }

    private func screen(_ s: AppState) -> String {
        var grid = Grid(size: s.size)
        render(s, into: &grid)
        return grid.text
    }

    private var thread: ThreadSummary {
        var t = Fixtures.threads[0]
        t.messageCount = Int(count)
        t.failedCount = 0
        return t
    }

    /// Message `id` of the thread: id 5000 is the newest, id 1 the oldest.
    private func message(_ id: Int64) -> MessageView {
        Fixtures.message(
            id, thread: thread, author: Fixtures.marc, minutesAgo: Double(count + 1 - id), subject: "Note \(id)",
            body: "", needsAction: false, recipients: [])
    }

    /// `n` messages newest first, the newest being `newest`.
    private func page(from newest: Int64, _ n: Int64 = Int64(pageSize)) -> ListRows {
        .history(stride(from: newest, to: max(0, newest - n), by: -1).map(message))
    }

    private func opened() -> AppState {
        var s = Fixtures.loaded()
        guard case .history(let first) = page(from: count) else { fatalError() }
        _ = update(&s, .threadLoaded(ThreadView(thread: thread, failed: [], history: first, nextCursor: first.last?.pageKey)))
        return s
    }

    private func position(_ s: AppState) -> String? { ChatterView.position(s) }

    func testGAndgReadTheRealEndsOfALongThreadInOnePageEach() {
        var s = opened()
        XCTAssertEqual(s.chatter.cursor, .message(5000))
        XCTAssertEqual(position(s), "1 / 5,000")
        let bottom = PageRequest(.bottom, limit: pageSize)
        XCTAssertEqual(press(&s, .char("G")), [.loadPage(.history(threadId: 1), bottom)])
        _ = update(&s, .pageLoaded(.history(threadId: 1), bottom, page(from: 200), total: nil))
        XCTAssertEqual(s.chatter.cursor, .message(1), "G lands on the thread's oldest message")
        XCTAssertEqual(position(s), "5,000 / 5,000")
        XCTAssertTrue(screen(s).contains("5,000 / 5,000"), screen(s))
        XCTAssertEqual(s.chatter.history.rows.count, pageSize, "the messages between were never read")

        let top = PageRequest(.top, limit: pageSize)
        XCTAssertEqual(press(&s, .char("g")), [.loadPage(.history(threadId: 1), top)])
        _ = update(&s, .pageLoaded(.history(threadId: 1), top, page(from: count), total: nil))
        XCTAssertEqual(s.chatter.cursor, .message(5000), "g lands on the newest message")
        XCTAssertEqual(position(s), "1 / 5,000")
    }

    func testMovingUpFromTheEndPagesByKeysetAndTheWindowStaysBounded() {
        var s = opened()
        let bottom = PageRequest(.bottom, limit: pageSize)
        _ = press(&s, .char("G"))
        _ = update(&s, .pageLoaded(.history(threadId: 1), bottom, page(from: 200), total: nil))
        var asked: [Effect] = []
        for _ in 0..<pageSize { asked += press(&s, .char("k")) }
        let above = PageRequest(.before(message(200).pageKey), limit: pageSize)
        XCTAssertEqual(asked, [.loadPage(.history(threadId: 1), above)], "one page above, asked once")
        _ = update(&s, .pageLoaded(.history(threadId: 1), above, page(from: 400), total: nil))
        guard case .message(let id) = s.chatter.cursor else { return XCTFail("\(String(describing: s.chatter.cursor))") }
        XCTAssertEqual(position(s), "\(ListPosition.grouped(Int(count + 1 - id))) / 5,000")
        // Further pages up keep at most a window of rows.
        var newest: Int64 = 400
        while newest < 1400 {
            let up = PageRequest(.before(message(newest).pageKey), limit: pageSize)
            newest += Int64(pageSize)
            _ = update(&s, .pageLoaded(.history(threadId: 1), up, page(from: newest), total: nil))
        }
        XCTAssertEqual(s.chatter.history.rows.first?.id, 1400)
        XCTAssertLessThanOrEqual(s.chatter.history.rows.count, listWindow)
        XCTAssertEqual(s.chatter.view?.history.count, s.chatter.history.rows.count, "the pane shows the window")
        XCTAssertEqual(s.chatter.history.offset, 5000 - 1400)
    }

    /// A store change deep in the history reads the window again where it
    /// lies, from its first row down, instead of paging from the newest message.
    func testAReloadDeepInTheHistoryReadsTheWindowWhereItLies() {
        var s = opened()
        let bottom = PageRequest(.bottom, limit: pageSize)
        _ = press(&s, .char("G"))
        _ = update(&s, .pageLoaded(.history(threadId: 1), bottom, page(from: 200), total: nil))
        let again = PageRequest.from(message(200).pageKey, limit: pageSize)
        let effects = update(&s, .storeChanged)
        XCTAssertTrue(effects.contains(.loadThread(id: 1, around: nil)), "\(effects)")
        XCTAssertTrue(effects.contains(.loadPage(.history(threadId: 1), again)), "\(effects)")
        guard case .history(var rows) = page(from: 200) else { return XCTFail() }
        rows[199].subject = "Note 1, edited"
        _ = update(&s, .threadLoaded(ThreadView(thread: thread, failed: [], history: [], nextCursor: nil)))
        XCTAssertEqual(s.chatter.history.rows.count, pageSize, "the thread's answer leaves the window alone")
        _ = update(&s, .pageLoaded(.history(threadId: 1), again, .history(rows), total: nil))
        XCTAssertEqual(s.chatter.view?.history.last?.subject, "Note 1, edited")
        XCTAssertEqual(s.chatter.cursor, .message(1))
        XCTAssertEqual(position(s), "5,000 / 5,000")
    }

    /// Oldest first (`o`), `G` goes to the newest message and `g` to the
    /// oldest: the jumps follow the order shown.
    func testOldestFirstTurnsTheJumpsAround() {
        var s = opened()
        _ = press(&s, .char("o"))
        let bottom = PageRequest(.bottom, limit: pageSize)
        XCTAssertEqual(press(&s, .char("g")), [.loadPage(.history(threadId: 1), bottom)])
        _ = update(&s, .pageLoaded(.history(threadId: 1), bottom, page(from: 200), total: nil))
        XCTAssertEqual(s.chatter.cursor, .message(1), "g lands on the oldest message, shown first")
        XCTAssertEqual(position(s), "1 / 5,000")
        let top = PageRequest(.top, limit: pageSize)
        XCTAssertEqual(press(&s, .char("G")), [.loadPage(.history(threadId: 1), top)])
        _ = update(&s, .pageLoaded(.history(threadId: 1), top, page(from: count), total: nil))
        XCTAssertEqual(s.chatter.cursor, .message(5000), "G lands on the newest message, shown last")
        XCTAssertEqual(position(s), "5,000 / 5,000")
    }

    func testAPageForAnotherThreadIsDropped() {
        var s = opened()
        let bottom = PageRequest(.bottom, limit: pageSize)
        _ = press(&s, .char("G"))
        _ = update(&s, .pageLoaded(.history(threadId: 2), bottom, page(from: 200), total: nil))
        XCTAssertEqual(s.chatter.history.rows.first?.id, 5000)
        XCTAssertEqual(s.chatter.cursor, .message(4801), "still at the loaded end, the real end not yet in")
    }
}
