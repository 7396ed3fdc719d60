import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// `update`: one test (at least) per action, plus the data messages.
final class UpdateTests: XCTestCase {
    private func press(_ s: inout AppState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += update(&s, .key(k)) }
        return effects
    }

    private func threadsFocused() -> AppState {
        var s = Fixtures.loaded()
        _ = press(&s, .escape)
        return s
    }

    private func failedPane() -> AppState {
        var s = Fixtures.loaded()
        _ = press(&s, .char("2"))
        _ = update(&s, .failedLoaded([Fixtures.m101, Fixtures.m201, Fixtures.m104], count: 3))
        return s
    }

    // MARK: start and loading

    func testStartLoadsCountsAndThreads() {
        let s = AppState(me: Fixtures.me, size: Size(width: 80, height: 24))
        XCTAssertEqual(startEffects(s), [.loadCounts(pending: []), .loadThreads(ThreadQuery())])
    }

    // MARK: movement

    func testMoveDownUpTopBottomPageKeepIds() {
        var s = threadsFocused()
        XCTAssertEqual(s.focus, .threads)
        XCTAssertEqual(s.threads.cursor, 1)
        _ = press(&s, .char("j"), .down)
        XCTAssertEqual(s.threads.cursor, 3)
        _ = press(&s, .char("k"))
        XCTAssertEqual(s.threads.cursor, 2)
        _ = press(&s, .char("G"))
        XCTAssertEqual(s.threads.cursor, 7)
        _ = press(&s, .home)
        XCTAssertEqual(s.threads.cursor, 1)
        _ = press(&s, .ctrl("d"))
        XCTAssertEqual(s.threads.cursor, 7, "a page moves past the 7 rows to the last")
        _ = press(&s, .pageUp)
        XCTAssertEqual(s.threads.cursor, 1)
        _ = press(&s, .up)
        XCTAssertEqual(s.threads.cursor, 1, "clamped at the top")
    }

    func testReloadKeepsCursorOnSameThreadAndNearestWhenGone() {
        var s = threadsFocused()
        _ = press(&s, .char("j"), .char("j"))
        XCTAssertEqual(s.threads.cursor, 3)
        // New activity puts thread 7 first: the cursor stays on thread 3.
        var rows = Fixtures.threads
        rows.insert(rows.removeLast(), at: 0)
        _ = update(&s, .threadsLoaded(s.threads.query, Page(rows: rows, next: nil)))
        XCTAssertEqual(s.threads.cursor, 3)
        XCTAssertEqual(s.threads.cursorIndex, 3)
        // Thread 3 vanishes: the cursor stays at its position, now thread 4.
        rows.removeAll { $0.id == 3 }
        _ = update(&s, .threadsLoaded(s.threads.query, Page(rows: rows, next: nil)))
        XCTAssertEqual(s.threads.cursor, 4)
        // Everything vanishes: no cursor, no crash.
        _ = update(&s, .threadsLoaded(s.threads.query, Page(rows: [], next: nil)))
        XCTAssertNil(s.threads.cursor)
        _ = press(&s, .char("j"), .enter, .char("G"))
        XCTAssertNil(s.threads.cursor)
    }

    func testMovingNearTheEndLoadsTheNextKeysetPage() {
        var s = threadsFocused()
        _ = update(&s, .threadsLoaded(s.threads.query, Page(rows: Fixtures.threads, next: PageCursor(time: 1, id: 7))))
        let below = PageRequest(.after(Fixtures.threads[6].pageKey), limit: pageSize)
        XCTAssertEqual(press(&s, .char("j")), [.loadPage(.threads(ThreadQuery()), below)])
        XCTAssertEqual(press(&s, .char("j")), [], "asked once")
        let older = Fixtures.thread(8, "Older", failed: 0, ref: "res.partner/30", minutesAgo: 9000)
        // An answer to another query is dropped.
        _ = update(&s, .pageLoaded(.threads(ThreadQuery(failedOnly: true)), below, .threads([older]), total: nil))
        XCTAssertEqual(s.threads.rows.count, Fixtures.threads.count)
        _ = update(&s, .pageLoaded(.threads(ThreadQuery()), below, .threads([older]), total: nil))
        XCTAssertEqual(s.threads.rows.map(\.id), Fixtures.threads.map(\.id) + [8])
        XCTAssertFalse(s.threads.moreBelow, "a short page is the last")
        _ = press(&s, .char("G"))
        XCTAssertEqual(s.threads.cursor, 8)
    }

    func testTabCyclesPanes() {
        var s = threadsFocused()
        _ = press(&s, .tab)
        XCTAssertEqual(s.focus, .main)
        _ = press(&s, .tab)
        XCTAssertEqual(s.focus, .mailboxes)
        _ = press(&s, .backTab)
        XCTAssertEqual(s.focus, .main)
    }

    // MARK: open, back, close, quit

    func testOpenThreadLoadsItAndDropsStaleAnswers() {
        var s = threadsFocused()
        _ = press(&s, .char("j"))
        let effects = press(&s, .enter)
        XCTAssertEqual(effects, [.loadThread(id: 2, around: nil)])
        XCTAssertEqual(s.focus, .main)
        XCTAssertNil(s.chatter.view)
        _ = update(&s, .threadLoaded(Fixtures.azureView))
        XCTAssertNil(s.chatter.view, "an answer for another thread is dropped")
    }

    func testOpenOnMailboxShowsIt() {
        var s = threadsFocused()
        _ = press(&s, .backTab)
        XCTAssertEqual(s.focus, .mailboxes)
        _ = press(&s, .char("j"))
        XCTAssertEqual(press(&s, .enter), [.loadFailed])
        XCTAssertEqual(s.mailbox, .failed)
        XCTAssertEqual(s.focus, .main)
    }

    func testBackLeavesPaneAndNeverQuits() {
        var s = Fixtures.loaded()
        XCTAssertEqual(s.focus, .main)
        XCTAssertEqual(press(&s, .escape), [])
        XCTAssertEqual(s.focus, .threads)
        XCTAssertEqual(press(&s, .escape), [])
        XCTAssertFalse(s.quitting)
    }

    func testCloseQuitsOnlyOnTopLevel() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("?"))
        XCTAssertEqual(press(&s, .char("q")), [])
        XCTAssertNil(s.overlay)
        XCTAssertEqual(press(&s, .char("q")), [])
        XCTAssertEqual(s.focus, .threads)
        XCTAssertEqual(press(&s, .char("q")), [.quit])
        XCTAssertTrue(s.quitting)
    }

    func testCtrlCQuitsFromAnywhereEvenUnboundOrInPrompt() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("/"))
        XCTAssertNotNil(s.prompt)
        XCTAssertEqual(press(&s, .ctrl("c")), [.quit])
        var t = Fixtures.loaded()
        t.keymap = KeymapParser.parse("C-c = none").0
        XCTAssertEqual(press(&t, .ctrl("c")), [.quit])
    }

    // MARK: search

    func testSearchThreadsThroughTheStore() {
        var s = threadsFocused()
        _ = press(&s, .char("/"))
        XCTAssertEqual(s.prompt, Prompt(purpose: .search(.threads), text: ""))
        _ = press(&s, .char("a"), .char("z"), .char("x"), .backspace)
        XCTAssertEqual(s.prompt?.text, "az")
        XCTAssertEqual(s.footerHintsAreHidden, true)
        let effects = press(&s, .enter)
        XCTAssertEqual(effects, [.loadThreads(ThreadQuery(search: "az"))])
        XCTAssertNil(s.prompt)
        // Esc on the list clears the search.
        XCTAssertEqual(press(&s, .escape), [.loadThreads(ThreadQuery())])
    }

    func testSearchPromptEscapeCancels() {
        var s = threadsFocused()
        _ = press(&s, .char("/"), .char("x"), .escape)
        XCTAssertNil(s.prompt)
        XCTAssertEqual(s.threads.query.search, "")
    }

    func testFindInThreadAndNextPrevMatch() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("/"))
        for c in "friday" { _ = press(&s, .char(c)) }
        _ = press(&s, .enter)
        XCTAssertEqual(s.chatter.cursor, .message(102))
        _ = press(&s, .char("/"), .ctrl("u"))
        for c in "invoice" { _ = press(&s, .char(c)) }
        _ = press(&s, .enter)
        XCTAssertEqual(s.chatter.cursor, .message(104), "the first match from the cursor on")
        _ = press(&s, .char("n"))
        XCTAssertEqual(s.chatter.cursor, .failedCard(104), "wraps around")
        _ = press(&s, .char("n"))
        XCTAssertEqual(s.chatter.cursor, .message(104))
        _ = press(&s, .char("N"))
        XCTAssertEqual(s.chatter.cursor, .failedCard(104))
    }

    func testNextMatchWithoutSearchSaysSo() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("n"))
        XCTAssertEqual(s.status?.text, "No search: press / first")
    }

    /// The partners are searched by the store (a search reaches every partner,
    /// not only the loaded ones); its answer fills the list, the cursor on it.
    func testPartnerSearchAsksTheStore() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("4"))
        _ = update(&s, .partnersLoaded(Fixtures.partners))
        let asked = press(&s, .char("/"), .char("d"), .char("e"), .char("c"), .char("o"), .enter)
        let top = PageRequest(.top, limit: pageSize)
        XCTAssertEqual(asked, [.loadPage(.partners(search: "deco"), top)])
        _ = update(&s, .pageLoaded(.partners(search: "deco"), top, .partners([Fixtures.partners[1]]), total: nil))
        XCTAssertEqual(s.partners.visible.map(\.id), [11])
        XCTAssertEqual(s.partners.cursor, 11)
    }

    // MARK: failed filter

    func testFailedFilterToggles() {
        var s = threadsFocused()
        XCTAssertEqual(press(&s, .char("F")), [.loadThreads(ThreadQuery(failedOnly: true))])
        XCTAssertTrue(s.threads.query.failedOnly)
        XCTAssertEqual(press(&s, .char("F")), [.loadThreads(ThreadQuery(failedOnly: false))])
    }

    // MARK: review and undo

    func testReviewInFailedPaneIsOptimisticAndUndoRestoresPosition() {
        var s = failedPane()
        _ = press(&s, .char("j"))
        XCTAssertEqual(s.failed.cursor, 201)
        let effects = press(&s, .char("r"))
        XCTAssertEqual(effects, [.review([201])])
        XCTAssertEqual(s.status?.text, "Set 1 message as reviewed (u to undo)")
        XCTAssertEqual(s.failed.cards.map(\.id), [101, 104])
        XCTAssertEqual(s.counts.failed, 2)
        XCTAssertEqual(s.failed.cursor, 104, "the cursor stays at the same position")
        XCTAssertEqual(s.threads.rows.first { $0.id == 2 }?.failedCount, 0)
        // A reload racing the write still lists it: it stays hidden.
        _ = update(&s, .failedLoaded([Fixtures.m101, Fixtures.m201, Fixtures.m104], count: 3))
        XCTAssertEqual(s.failed.cards.map(\.id), [101, 104])
        XCTAssertEqual(s.counts.failed, 2)
        // Undo: back in its place, with the cursor, and the store is told.
        XCTAssertEqual(press(&s, .char("u")), [.unreview([201])])
        XCTAssertEqual(s.failed.cards.map(\.id), [101, 201, 104])
        XCTAssertEqual(s.failed.cursor, 201)
        XCTAssertEqual(s.counts.failed, 3)
        XCTAssertEqual(s.threads.rows.first { $0.id == 2 }?.failedCount, 1)
        XCTAssertEqual(press(&s, .char("u")), [])
        XCTAssertEqual(s.status?.text, "Nothing to undo")
    }

    func testReviewDoneEndsThePendingHide() {
        var s = failedPane()
        _ = press(&s, .char("r"))
        XCTAssertTrue(s.pendingReview.contains(101))
        _ = update(&s, .reviewDone([101]))
        XCTAssertTrue(s.pendingReview.isEmpty)
    }

    func testReviewInThreadShrinksFailedSectionAndBadge() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"))
        XCTAssertEqual(s.chatter.cursor, .failedCard(101))
        XCTAssertEqual(press(&s, .char("r")), [.review([101])])
        XCTAssertEqual(s.chatter.view?.failed.map(\.id), [104])
        XCTAssertEqual(s.chatter.view?.history.first { $0.id == 101 }?.needsAction, false)
        XCTAssertEqual(s.threads.rows.first?.failedCount, 1)
        XCTAssertEqual(s.counts.failed, 2)
        XCTAssertEqual(s.chatter.cursor, .failedCard(104))
        _ = press(&s, .char("u"))
        XCTAssertEqual(s.chatter.view?.failed.map(\.id), [101, 104])
        XCTAssertEqual(s.chatter.cursor, .failedCard(101))
        XCTAssertEqual(s.threads.rows.first?.failedCount, 2)
    }

    func testReviewOnANonFailedMessageDoesNothing() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("j"), .char("j"), .char("j"))
        XCTAssertEqual(s.chatter.cursor, .message(102))
        XCTAssertEqual(press(&s, .char("r")), [])
        XCTAssertNotNil(s.status)
    }

    func testSelectionThenBulkReview() {
        var s = failedPane()
        _ = press(&s, .char(" "))
        XCTAssertEqual(s.selection, [101])
        XCTAssertEqual(s.failed.cursor, 201, "space moves down")
        _ = press(&s, .char("j"), .char(" "))
        XCTAssertEqual(s.selection, [101, 104])
        XCTAssertEqual(press(&s, .char("r")), [.review([101, 104])])
        XCTAssertEqual(s.failed.cards.map(\.id), [201])
        XCTAssertTrue(s.selection.isEmpty)
        XCTAssertEqual(press(&s, .char("u")), [.unreview([101, 104])])
        XCTAssertEqual(s.failed.cards.map(\.id), [101, 201, 104])
    }

    func testSpaceTwiceUnselects() {
        var s = failedPane()
        _ = press(&s, .char(" "), .char("k"), .char(" "))
        XCTAssertTrue(s.selection.isEmpty)
    }

    // MARK: retry

    func testRetryDialogLoadsChecksTicksAndConfirms() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"))
        XCTAssertEqual(press(&s, .char("R")), [.loadRetryPlans(messageIds: [101])])
        guard case .retry(let dialog) = s.overlay else { return XCTFail("no dialog") }
        XCTAssertEqual(dialog.items.map(\.trackingId), [1001, 1006])
        XCTAssertEqual(dialog.items.map(\.ticked), [true, false], "a row without address starts unticked")
        XCTAssertTrue(dialog.loading)
        XCTAssertTrue(dialog.items[0].error.contains("User unknown"))
        _ = update(&s, .retryPlansLoaded([Fixtures.retryPlan101]))
        guard case .retry(let checked) = s.overlay else { return XCTFail("dialog closed") }
        XCTAssertFalse(checked.loading)
        XCTAssertEqual(checked.items.map(\.verdict), [.warn, .skip])
        XCTAssertEqual(checked.items[0].check?.warnings, [.bounced(times: 3), .suppressed(.reject)])
        XCTAssertEqual(checked.count, RetryCount(queue: 1, skip: 1, warnings: 1))
        // A skipped row cannot be ticked.
        _ = press(&s, .char("j"), .char(" "))
        guard case .retry(let after) = s.overlay else { return XCTFail("dialog closed") }
        XCTAssertEqual(after.items.map(\.ticked), [true, false])
        XCTAssertEqual(after.count, RetryCount(queue: 1, skip: 1, warnings: 1))
        let effects = press(&s, .enter)
        XCTAssertEqual(effects, [.retry(messageId: 101, trackingIds: [1001])])
        XCTAssertNil(s.overlay)
        let deco = s.chatter.view?.history.first { $0.id == 101 }?.recipients.first { $0.trackingId == 1001 }
        XCTAssertEqual(deco?.marker, .waiting, "the marker turns to waiting at once")
        XCTAssertNil(deco?.state)
        XCTAssertEqual(
            s.chatter.view?.failed.map(\.id), [101, 104], "Ready Mat is left failed: the message stays in Failed")
        XCTAssertEqual(s.status?.text, "Resending to 1 recipient · 1 left failed")
        _ = update(&s, .retryQueued(messageId: 101, trackingIds: [1001], leftFailed: 1))
        XCTAssertEqual(s.status?.text, "resent 1 · 1 left failed")
        XCTAssertFalse(s.pendingReview.contains(101))
    }

    func testRetryCountFollowsTheTicks() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("R"))
        _ = update(&s, .retryPlansLoaded([Fixtures.retryPlan101]))
        _ = press(&s, .char(" "))
        guard case .retry(let dialog) = s.overlay else { return XCTFail("dialog closed") }
        XCTAssertEqual(dialog.count, RetryCount(queue: 0, skip: 2, warnings: 0))
        XCTAssertEqual(dialog.count.text(), "resend 0 · skip 2")
        XCTAssertEqual(press(&s, .enter), [], "nothing sendable ticked")
        XCTAssertNotNil(s.status)
    }

    func testRetryChecksReloadWhenTheStoreChanges() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("R"))
        _ = update(&s, .retryPlansLoaded([Fixtures.retryPlan101]))
        XCTAssertTrue(update(&s, .storeChanged).contains(.loadRetryPlans(messageIds: [101])))
        var queued = Fixtures.retryPlan101
        queued.recipients[0].pendingOutboxId = 5
        _ = update(&s, .retryPlansLoaded([queued]))
        guard case .retry(let dialog) = s.overlay else { return XCTFail("dialog closed") }
        XCTAssertEqual(dialog.count, RetryCount(queue: 0, skip: 2, warnings: 0), "queued elsewhere: now skipped")
        XCTAssertEqual(dialog.items.map(\.ticked), [false, false])
    }

    func testRetryPlanIsTheTruthAboutFailedRows() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("R"), .char("j"))
        // The store says 1001 is no longer failed and 1009 failed since the screen loaded.
        var plan = Fixtures.retryPlan101
        plan.recipients[0].trackingId = 1009
        plan.recipients[0].name = "New\u{1B}[2J Failure"
        plan.recipients[0].bounced = false
        plan.recipients[0].suppressed = nil
        plan.recipients[0].pendingOutboxId = 77
        _ = update(&s, .retryPlansLoaded([plan]))
        guard case .retry(let dialog) = s.overlay else { return XCTFail("dialog closed") }
        XCTAssertEqual(dialog.items.map(\.trackingId), [1009, 1006])
        XCTAssertEqual(dialog.items[dialog.cursor].trackingId, 1006, "the cursor stays on its row")
        XCTAssertFalse(dialog.items[0].name.contains("\u{1B}"), "store text is cleaned")
        XCTAssertEqual(dialog.items.map(\.ticked), [false, false], "already queued: skipped, unticked")
        // An answer for another dialog is dropped.
        _ = update(&s, .retryPlansLoaded([RetryPlan(messageId: 104, recipients: [])]))
        guard case .retry(let same) = s.overlay else { return XCTFail("dialog closed") }
        XCTAssertEqual(same, dialog)
        // No failed row left: the dialog closes and says so.
        _ = update(&s, .retryPlansLoaded([RetryPlan(messageId: 101, recipients: [])]))
        XCTAssertNil(s.overlay)
        XCTAssertEqual(s.status?.text, "Nothing to retry: the recipients are no longer failed")
    }

    func testRetryWithNothingTickedKeepsDialog() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("R"), .char(" "))
        XCTAssertEqual(press(&s, .enter), [])
        guard case .retry = s.overlay else { return XCTFail("dialog closed") }
        _ = press(&s, .escape)
        XCTAssertNil(s.overlay)
    }

    func testRetryWithoutFailedRecipientSaysSo() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("j"), .char("j"), .char("j"))
        XCTAssertEqual(press(&s, .char("R")), [])
        XCTAssertNil(s.overlay)
        XCTAssertNotNil(s.status)
    }

    // MARK: detail, recipients, compose, help

    func testDetailLoadsTheRecipientTimeline() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"))
        XCTAssertEqual(press(&s, .char("i")), [.loadTrackingDetail(1001)])
        _ = update(&s, .trackingDetailLoaded(Fixtures.trackingRows[0], Fixtures.decoEvents.reversed()))
        guard case .markerDetail(let d) = s.overlay else { return XCTFail("no popup") }
        XCTAssertEqual(d.statusText, "Status: Bounced")
        XCTAssertEqual(d.events.map(\.id), [1, 2, 3], "timeline oldest first")
        XCTAssertFalse(d.loading)
        // A detail for another row is dropped.
        _ = update(&s, .trackingDetailLoaded(Fixtures.trackingRows[1], []))
        guard case .markerDetail(let same) = s.overlay else { return XCTFail("popup closed") }
        XCTAssertEqual(same.trackingId, 1001)
        // Scrolling is clamped to the content.
        _ = press(&s, .char("G"), .char("j"))
        guard case .markerDetail(let scrolled) = s.overlay else { return XCTFail("popup closed") }
        XCTAssertEqual(scrolled.scroll, 0, "the popup fits: nothing to scroll")
    }

    func testNextPrevRecipientAndDetailWithoutTracking() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("j"), .char("j"))
        XCTAssertEqual(s.chatter.cursor, .message(101))
        _ = press(&s, .char("l"), .char("l"), .right)
        XCTAssertEqual(s.chatter.recipient, 3)
        _ = press(&s, .char("h"))
        XCTAssertEqual(s.chatter.recipient, 2)
        for _ in 0..<20 { _ = press(&s, .char("l")) }
        XCTAssertEqual(s.chatter.recipient, Fixtures.everyMarker.count - 1, "clamped to the last recipient")
        XCTAssertEqual(press(&s, .char("i")), [], "no tracking, no load")
        guard case .markerDetail(let d) = s.overlay else { return XCTFail("no popup") }
        XCTAssertEqual(d.marker, .noPartner)
        XCTAssertNil(d.trackingId)
        // Enter on a history message opens the same popup.
        _ = press(&s, .escape, .left)
        XCTAssertEqual(press(&s, .enter), [])
        guard case .markerDetail(let cc) = s.overlay else { return XCTFail("no popup") }
        XCTAssertEqual(cc.marker, .cc)
    }

    func testPopupsIgnoreActionsMeantForWhatIsUnderThem() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("i"))
        guard case .markerDetail = s.overlay else { return XCTFail("no popup") }
        XCTAssertEqual(press(&s, .char("r"), .char("F"), .char("c"), .tab, .char("2")), [])
        XCTAssertEqual(s.chatter.view?.failed.count, 2, "nothing reviewed behind the popup")
        XCTAssertEqual(s.mailbox, .inbox)
        XCTAssertEqual(press(&s, .ctrl("c")), [.quit])
    }

    func testComposeInOpenThread() {
        var s = Fixtures.loaded()
        XCTAssertEqual(press(&s, .char("c")), [.compose(ThreadRef(model: "res.partner", key: "12"))])
        _ = press(&s, .escape, .char("j"))
        XCTAssertEqual(press(&s, .char("c")), [.compose(ThreadRef(model: "sale.order", key: "42"))])
    }

    func testHelpToggles() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("?"))
        XCTAssertEqual(s.overlay, .help(scroll: 0))
        _ = press(&s, .char("j"), .char("j"))
        XCTAssertEqual(s.overlay, .help(scroll: 2))
        _ = press(&s, .char("G"))
        guard case .help(let end) = s.overlay else { return XCTFail("help closed") }
        _ = press(&s, .char("j"))
        XCTAssertEqual(s.overlay, .help(scroll: end), "scrolling stops at the end")
        XCTAssertGreaterThan(end, 0)
        _ = press(&s, .char("?"))
        XCTAssertNil(s.overlay)
    }

    // MARK: thread view toggles

    func testToggleOrderKeepsCursorOnTheSameMessage() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("j"), .char("j"))
        XCTAssertEqual(s.chatter.cursor, .message(101))
        _ = press(&s, .char("o"))
        XCTAssertTrue(s.chatter.oldestFirst)
        XCTAssertEqual(s.chatter.cursor, .message(101))
        XCTAssertEqual(s.chatter.items.suffix(3), [.message(104), .message(102), .message(101)])
    }

    func testCollapseFailedSectionMovesCursorToHeader() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"))
        _ = press(&s, .char("z"))
        XCTAssertTrue(s.chatter.failedCollapsed)
        XCTAssertEqual(s.chatter.cursor, .failedHeader)
        XCTAssertEqual(s.chatter.items.count, 4)
        // Enter on the header expands it again.
        _ = press(&s, .enter)
        XCTAssertFalse(s.chatter.failedCollapsed)
    }

    func testGoToMessageFromFailedCardInThread() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("j"))
        XCTAssertEqual(s.chatter.cursor, .failedCard(104))
        XCTAssertEqual(press(&s, .enter), [])
        XCTAssertEqual(s.chatter.cursor, .message(104))
    }

    func testGoToMessageFromFailedPaneOpensItsThread() {
        var s = failedPane()
        _ = press(&s, .char("j"))
        XCTAssertEqual(press(&s, .enter), [.loadThread(id: 2, around: 201)])
        XCTAssertEqual(s.mailbox, .inbox)
        XCTAssertEqual(s.threads.cursor, 2)
        let so042 = ThreadView(thread: Fixtures.threads[1], failed: [Fixtures.m201], history: [Fixtures.m201], nextCursor: nil)
        _ = update(&s, .threadLoaded(so042))
        XCTAssertEqual(s.chatter.cursor, .message(201))
    }

    // MARK: tracking lists

    func testStateFilterCyclesAndEventsToggle() {
        var s = Fixtures.loaded()
        XCTAssertEqual(press(&s, .char("3")), [.loadTrackings(TrackingQuery())])
        XCTAssertEqual(press(&s, .char("s")), [.loadTrackings(TrackingQuery(state: .failed))])
        XCTAssertEqual(press(&s, .char("s")), [.loadTrackings(TrackingQuery(state: .state(nil)))])
        XCTAssertEqual(press(&s, .char("e")), [.loadEvents(trackingId: nil)])
        XCTAssertEqual(s.tracking.tab, .events)
        _ = update(&s, .eventsLoaded(trackingId: nil, Fixtures.decoEvents))
        _ = press(&s, .char("G"))
        XCTAssertEqual(s.tracking.eventCursor, 3)
        XCTAssertEqual(press(&s, .enter), [.loadTrackingDetail(1001)])
        _ = press(&s, .escape)
        XCTAssertEqual(press(&s, .char("e")), [.loadTrackings(TrackingQuery(state: .state(nil)))])
    }

    func testEventTypeFilterIsLocal() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("3"), .char("e"))
        _ = update(&s, .eventsLoaded(trackingId: nil, Fixtures.decoEvents + Fixtures.azureEvents))
        XCTAssertEqual(press(&s, .char("s")), [], "no load: the filter is applied to the loaded events")
        XCTAssertEqual(s.tracking.eventType, EventType.allCases.first)
        XCTAssertEqual(s.tracking.visibleEvents.map(\.id), [1, 10])
        XCTAssertEqual(s.tracking.eventCursor, 1)
        _ = press(&s, .char("j"))
        XCTAssertEqual(s.tracking.eventCursor, 10)
    }

    func testOlderHistoryLoadsWhenTheCursorNearsTheOldestMessage() {
        var s = Fixtures.loaded()
        var view = Fixtures.azureView
        view.nextCursor = PageCursor(time: Fixtures.m104.date, id: 104)
        _ = update(&s, .threadLoaded(view))
        _ = press(&s, .char("j"), .char("j"))
        XCTAssertEqual(s.chatter.cursor, .failedCard(104))
        let effects = press(&s, .char("j"))
        let below = PageRequest(.after(PageCursor(time: Fixtures.m104.date, id: 104)), limit: pageSize)
        XCTAssertEqual(effects, [.loadPage(.history(threadId: 1), below)])
        XCTAssertEqual(press(&s, .char("j")), [], "asked once")
        let older = Fixtures.message(
            90, thread: Fixtures.threads[0], author: Fixtures.marc, minutesAgo: 9000, subject: "First contact",
            body: "Hi\u{1b}", needsAction: false, recipients: [])
        // A stale page (another cursor) is dropped.
        let stale = PageRequest(.after(PageCursor(time: 0, id: 1)), limit: pageSize)
        _ = update(&s, .pageLoaded(.history(threadId: 1), stale, .history([older]), total: nil))
        XCTAssertEqual(s.chatter.view?.history.count, 3)
        _ = update(&s, .pageLoaded(.history(threadId: 1), below, .history([older]), total: nil))
        XCTAssertEqual(s.chatter.view?.history.map(\.id), [101, 102, 104, 90])
        XCTAssertEqual(s.chatter.view?.history.last?.body, "Hi^[", "sanitised when applied")
        XCTAssertNil(s.chatter.view?.nextCursor)
        XCTAssertFalse(s.chatter.loadingOlder)
        // A reload reaches down to the cursor's message.
        _ = press(&s, .char("G"))
        XCTAssertEqual(update(&s, .storeChanged).last, .loadThread(id: 1, around: 90))
    }

    func testPartnerEnterShowsItsTrackings() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("4"))
        _ = update(&s, .partnersLoaded(Fixtures.partners))
        XCTAssertEqual(press(&s, .enter), [.loadTrackings(TrackingQuery(search: "azure.Interior24@example.com"))])
        XCTAssertEqual(s.mailbox, .tracking)
        _ = press(&s, .char("4"))
        _ = press(&s, .char("G"))
        XCTAssertEqual(press(&s, .enter), [])
        XCTAssertEqual(s.status?.isError, true, "no address, no list")
    }

    func testGotoMailboxes() {
        var s = Fixtures.loaded()
        XCTAssertEqual(press(&s, .char("2")), [.loadFailed])
        XCTAssertEqual(press(&s, .char("4")), [.loadPartners])
        XCTAssertEqual(press(&s, .char("1")), [.loadThread(id: 1, around: nil)])
        XCTAssertEqual(s.mailbox, .inbox)
    }

    // MARK: live data

    func testStoreChangedAndRefreshReloadWhatIsOnScreen() {
        var s = Fixtures.loaded()
        let expected: [Effect] = [.loadCounts(pending: []), .loadThreads(ThreadQuery()), .loadThread(id: 1, around: nil)]
        XCTAssertEqual(update(&s, .storeChanged), expected)
        XCTAssertEqual(press(&s, .ctrl("l")), [.redrawAll] + expected)
        _ = press(&s, .char("2"))
        XCTAssertEqual(update(&s, .storeChanged), [.loadCounts(pending: []), .loadThreads(ThreadQuery()), .loadFailed])
    }

    func testThreadReloadKeepsChatterCursorById() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("j"), .char("j"), .char("j"), .char("j"))
        XCTAssertEqual(s.chatter.cursor, .message(102))
        var view = Fixtures.azureView
        let newer = Fixtures.message(
            105, thread: Fixtures.threads[0], author: Fixtures.marc, minutesAgo: 1, subject: "New", body: "",
            needsAction: false, recipients: [])
        view.history.insert(newer, at: 0)
        _ = update(&s, .threadLoaded(view))
        XCTAssertEqual(s.chatter.cursor, .message(102))
    }

    func testEffectFailedShowsSanitisedErrorAndReloads() {
        var s = failedPane()
        _ = press(&s, .char("r"))
        let effects = update(&s, .effectFailed("disk I/O error\u{1b}[2J"))
        XCTAssertEqual(s.status, StatusLine("disk I/O error^[[2J", isError: true))
        XCTAssertTrue(s.pendingReview.isEmpty)
        XCTAssertTrue(effects.contains(.loadFailed))
        _ = press(&s, .char("j"))
        XCTAssertNil(s.status, "a key clears the notice")
    }

    func testDataIsSanitisedWhenApplied() {
        var s = Fixtures.loaded()
        var evil = Fixtures.threads
        evil[0].name = "A\u{1b}]0;title\u{07}\u{202e}B"
        _ = update(&s, .threadsLoaded(s.threads.query, Page(rows: evil, next: nil)))
        XCTAssertEqual(s.threads.rows[0].name, "A^[]0;title^G<U+202E>B")
        var view = Fixtures.azureView
        view.history[0].body = "x\r\ny\u{9b}"
        view.history[0].recipients[0].name = "N\u{0}"
        _ = update(&s, .threadLoaded(view))
        XCTAssertEqual(s.chatter.view?.history[0].body, "x\ny<U+009B>")
        XCTAssertEqual(s.chatter.view?.history[0].recipients[0].name, "N^@")
        _ = update(&s, .pollerStatus(PollerInfo(state: .failing("bad\u{1b}"), lastEventAt: nil, errors: 1, quarantined: 0, unmatched: 0)))
        XCTAssertEqual(s.header.poller, .failing("bad^["))
    }

    func testHugeUntrustedTextIsClipped() {
        var s = Fixtures.loaded()
        var view = Fixtures.azureView
        view.history[0].body = String(repeating: "x", count: 1_000_000)
        view.history[0].subject = String(repeating: "漢", count: 50_000)
        _ = update(&s, .threadLoaded(view))
        XCTAssertEqual(s.chatter.view?.history[0].body.count, maxBody + 1)
        XCTAssertEqual(s.chatter.view?.history[0].subject.count, maxLineField + 1)
        XCTAssertEqual(s.chatter.view?.history[0].subject.last, "…")
        var grid = Grid(size: s.size)
        render(s, into: &grid)
        XCTAssertTrue(grid.text.contains("漢"))
    }

    func testTickResizeAndKeymapErrors() {
        var s = Fixtures.loaded()
        _ = update(&s, .tick(5))
        XCTAssertEqual(s.now, 5)
        _ = update(&s, .resize(Size(width: 100, height: 30)))
        XCTAssertEqual(s.size, Size(width: 100, height: 30))
        _ = update(&s, .key(.resize(Size(width: 50, height: 20))))
        XCTAssertEqual(s.size, Size(width: 50, height: 20))
        _ = update(&s, .keymapErrors([KeymapError(line: 3, message: "unknown action \"x\""), KeymapError(line: 4, message: "y")]))
        XCTAssertEqual(s.status, StatusLine("keys.conf:3: unknown action \"x\" (and 1 more: help lists them)", isError: true))
    }

    func testUserKeymapDrivesUpdate() {
        var s = Fixtures.loaded()
        s.keymap = KeymapParser.parse("[thread]\nx = review\nr = none").0
        _ = press(&s, .char("j"))
        XCTAssertEqual(press(&s, .char("r")), [])
        XCTAssertEqual(press(&s, .char("x")), [.review([101])])
    }

    // MARK: mouse

    func testMouseClickOpensThreadAndWheelScrolls() {
        var s = Fixtures.loaded()
        // Row 8 is the second thread (SO042) at 80×24: header, frame, 4 mailboxes, divider, first thread.
        let effects = update(&s, .key(.mouse(MouseEvent(x: 5, y: 8, kind: .press))))
        XCTAssertEqual(effects, [.loadThread(id: 2, around: nil)])
        _ = update(&s, .key(.mouse(MouseEvent(x: 5, y: 8, kind: .scrollDown))))
        XCTAssertEqual(s.focus, .threads)
        XCTAssertEqual(s.threads.cursor, 5)
        // Mailbox click.
        XCTAssertEqual(update(&s, .key(.mouse(MouseEvent(x: 5, y: 3, kind: .press)))), [.loadFailed])
        // Releases and clicks on nothing do nothing.
        XCTAssertEqual(update(&s, .key(.mouse(MouseEvent(x: 500, y: 500, kind: .press)))), [])
        XCTAssertEqual(update(&s, .key(.mouse(MouseEvent(x: 5, y: 3, kind: .release)))), [])
    }

    func testLongThreadListShowsTheCursorAndClicksHitTheRightRow() {
        var s = threadsFocused()
        let rows = (0..<500).map {
            Fixtures.thread(Int64(1000 + $0), "Thread \($0)", failed: 0, ref: "x/\($0)", minutesAgo: Double($0))
        }
        _ = update(&s, .threadsLoaded(s.threads.query, Page(rows: rows, next: nil)))
        _ = press(&s, .char("G"))
        var grid = Grid(size: s.size)
        render(s, into: &grid)
        let cursorRow = (0..<grid.size.height).first { grid.rowText($0).hasPrefix("┃▶Thread 499") }
        XCTAssertNotNil(cursorRow, grid.text)
        guard let row = cursorRow else { return }
        XCTAssertTrue(grid.rowText(row - 1).hasPrefix("┃ Thread 498"))
        XCTAssertEqual(update(&s, .key(.mouse(MouseEvent(x: 4, y: row - 1, kind: .press)))), [.loadThread(id: 1498, around: nil)])
    }

    func testMouseClickInChatterSelectsThenOpens() {
        var s = Fixtures.loaded()
        // Row 4 of the screen is the first failed card's head line.
        XCTAssertEqual(update(&s, .key(.mouse(MouseEvent(x: 40, y: 4, kind: .press)))), [])
        XCTAssertEqual(s.chatter.cursor, .failedCard(101))
        _ = update(&s, .key(.mouse(MouseEvent(x: 40, y: 4, kind: .press))))
        XCTAssertEqual(s.chatter.cursor, .message(101), "a second click opens: go to message")
    }

    // MARK: robustness

    func testEveryKeyOnEveryScreenAtEverySizeNeverCrashes() {
        let keys: [Key] = [
            .char("j"), .char("k"), .char("G"), .char("g"), .enter, .tab, .backTab, .char("r"), .char("u"), .char("R"),
            .char(" "), .char("i"), .char("z"), .char("o"), .char("l"), .char("h"), .char("F"), .char("/"), .char("x"),
            .enter, .char("n"), .char("N"), .char("?"), .escape, .char("2"), .char("3"), .char("s"), .char("e"),
            .char("4"), .pageDown, .pageUp, .char("q"), .unknown("?"), .function(9),
        ]
        for size in [Size(width: 1, height: 1), Size(width: 40, height: 10), Size(width: 80, height: 24)] {
            var s = Fixtures.loaded(size: size)
            for (i, key) in keys.enumerated() {
                _ = update(&s, .key(key))
                if i % 5 == 0 { _ = update(&s, .failedLoaded([Fixtures.m101, Fixtures.m201], count: 2)) }
                var grid = Grid(size: size)
                render(s, into: &grid)
                XCTAssertEqual(grid.size, size)
            }
        }
    }
}

extension AppState {
    /// The prompt replaces the hints in the bottom line.
    fileprivate var footerHintsAreHidden: Bool { prompt != nil }
}
