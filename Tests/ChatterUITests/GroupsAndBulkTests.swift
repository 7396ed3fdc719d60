import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// The Groups view of the Failed pane and the bulk actions: a group opens as a
/// filtered list and Esc comes back; a whole group is reviewed or retried after
/// a preview of its counts, in one action; one `u` undoes a whole bulk review;
/// `*` selects a whole filtered list; `r` and Space in the thread list.
final class GroupsAndBulkTests: XCTestCase {
    private let blocked = GroupRow(
        key: GroupKey(cause: .blocked, domain: "outlook.com"), count: 23, first: Fixtures.now - 3000,
        last: Fixtures.now - 60, sample: "550 5.7.1 Service unavailable; client host blocked\u{1b}[2J")
    private let unknown = GroupRow(
        key: GroupKey(cause: .userUnknown, domain: "example.org"), count: 4, first: Fixtures.now - 9000,
        last: Fixtures.now - 600, sample: "550 5.1.1 User unknown")

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

    private func groupsView() -> AppState {
        var s = Fixtures.loaded(size: Size(width: 120, height: 40))
        _ = press(&s, .char("2"))
        _ = update(&s, .failedLoaded([Fixtures.m101, Fixtures.m201, Fixtures.m104], count: 3))
        XCTAssertEqual(press(&s, .char("v")), [.loadGroups])
        _ = update(&s, .groupsLoaded([blocked, unknown]))
        return s
    }

    func testGroupsViewShowsOneLinePerCauseAndDomainAndIsLive() {
        var s = groupsView()
        let text = screen(s)
        XCTAssertTrue(text.contains("Failure groups (2)"), text)
        XCTAssertTrue(text.contains("receiver"), "the side")
        XCTAssertTrue(text.contains("our IP is on a block list"), "the cause in words")
        XCTAssertTrue(text.contains("outlook.com"))
        XCTAssertTrue(text.contains("550 5.7.1 Service unavailable"), "the sample reply")
        XCTAssertFalse(text.contains("\u{1b}"), "the sample is cleaned")
        XCTAssertTrue(text.contains("1 / 2"))
        XCTAssertEqual(update(&s, .storeChanged).first { $0 == .loadGroups }, .loadGroups, "live like the rest")
        // The cursor stays on its group when the order changes.
        _ = press(&s, .char("j"))
        _ = update(&s, .groupsLoaded([unknown, blocked]))
        XCTAssertEqual(s.failed.groups.current?.key, unknown.key)
    }

    func testEnterOpensTheGroupsMessagesAndEscComesBack() {
        var s = groupsView()
        let group = FailedQuery(group: blocked.key)
        XCTAssertEqual(press(&s, .enter), [.loadPage(.failed(group), PageRequest(.top, limit: pageSize))])
        XCTAssertFalse(s.failed.showGroups)
        _ = update(&s, .pageLoaded(.failed(group), PageRequest(.top, limit: pageSize), .failed([Fixtures.m201]), total: 1))
        XCTAssertEqual(s.failed.cards.map(\.id), [201])
        XCTAssertTrue(screen(s).contains("group blocked/outlook.com"), "the frame says the list is a group")
        let back = press(&s, .escape)
        XCTAssertEqual(back.first, .loadGroups)
        XCTAssertTrue(s.failed.showGroups)
        XCTAssertEqual(s.failed.list.query, FailedQuery())
        XCTAssertEqual(s.focus, .main)
    }

    func testGroupReviewIsPreviewedDoneInOneActionAndUndoneWhole() {
        var s = groupsView()
        let target = BulkTarget.failedList(FailedQuery(group: blocked.key))
        XCTAssertEqual(press(&s, .char("r")), [.previewBulk(.review, target)])
        XCTAssertEqual(press(&s, .enter), [], "nothing before the counts are in")
        _ = update(&s, .bulkPreviewed(.review, target, BulkSummary(messages: 1_000)))
        XCTAssertTrue(screen(s).contains("set 1000 messages as reviewed"), screen(s))
        XCTAssertEqual(press(&s, .enter), [.runBulk(.review, target)])
        XCTAssertNil(s.overlay)
        let ids = (1...1_000).map(Int64.init) + [201]
        _ = update(&s, .bulkDone(.review, target, ids, BulkSummary(messages: ids.count)))
        XCTAssertFalse(s.failed.cards.contains { $0.id == 201 }, "a loaded card of the group leaves at once")
        XCTAssertTrue(s.status?.text.contains("Set 1001 messages as reviewed") ?? false)
        XCTAssertEqual(press(&s, .char("u")), [.unreview(ids)], "one u undoes the whole bulk review")
        XCTAssertTrue(s.failed.cards.contains { $0.id == 201 })
    }

    func testGroupRetryShowsTheChecksCounts() {
        var s = groupsView()
        let target = BulkTarget.failedList(FailedQuery(group: blocked.key))
        XCTAssertEqual(press(&s, .char("R")), [.previewBulk(.retry, target)])
        _ = update(&s, .bulkPreviewed(.retry, target, BulkSummary(messages: 200, resend: 212, suppressed: 9, alreadyQueued: 3)))
        XCTAssertTrue(screen(s).contains("resend 212 · skip 9 suppressed · 3 already queued"), screen(s))
        XCTAssertEqual(press(&s, .enter), [.runBulk(.retry, target)])
        // A preview for another group (the popup moved on) is dropped.
        _ = press(&s, .char("R"))
        _ = update(&s, .bulkPreviewed(.retry, .failedList(FailedQuery(group: unknown.key)), BulkSummary(messages: 1)))
        guard case .bulk(let p) = s.overlay else { return XCTFail("no preview") }
        XCTAssertNil(p.summary)
    }

    func testSelectAllReviewsTheWholeFilteredList() {
        var s = Fixtures.loaded()
        _ = press(&s, .char("2"))
        _ = update(&s, .failedLoaded([Fixtures.m101, Fixtures.m201, Fixtures.m104], count: 4_340))
        _ = press(&s, .char("*"))
        XCTAssertTrue(s.selectAll)
        XCTAssertTrue(s.status?.text.contains("4340 messages") ?? false, s.status?.text ?? "")
        XCTAssertEqual(press(&s, .char("r")), [.previewBulk(.review, .failedList(FailedQuery()))])
    }

    func testThreadListReviewsTheThreadsFailedMessagesAndSpaceSelects() {
        var s = Fixtures.loaded()
        _ = press(&s, .escape)
        XCTAssertEqual(s.focus, .threads)
        XCTAssertEqual(press(&s, .char("r")), [.runBulk(.review, .threads([Fixtures.threads[0].ref]))])
        XCTAssertTrue(s.status?.text.contains("2 failed messages of Azure Interior") ?? false, s.status?.text ?? "")
        _ = press(&s, .char(" "), .char(" "))
        XCTAssertEqual(s.threadSelection, [1, 2])
        XCTAssertEqual(s.threads.cursor, 3, "space moves down")
        let effects = press(&s, .char("r"))
        guard case .runBulk(.review, .threads(let refs))? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(Set(refs), Set([Fixtures.threads[0].ref, Fixtures.threads[1].ref]))
        _ = update(&s, .bulkDone(.review, .threads(refs), [101, 104, 201], BulkSummary(messages: 3)))
        XCTAssertEqual(s.threadSelection, [])
    }

    func testBannerNamesAReceiverRefusingOurMail() {
        var s = Fixtures.loaded()
        XCTAssertFalse(screen(s).contains("refusing"))
        _ = update(&s, .refusalsLoaded([Refusal(domain: "outlook.com", cause: .blocked, count: 23, since: Fixtures.now - 3180)]))
        XCTAssertTrue(screen(s).contains("outlook.com is refusing our mail (blocked · 23 since 09:12)"), screen(s))
        _ = update(&s, .refusalsLoaded([Refusal(domain: "gmx.de", cause: .spamContent, count: 12, since: Fixtures.now - 3180)]))
        XCTAssertTrue(screen(s).contains("gmx.de is refusing our mail (spam_content · 12 since 09:12)"), screen(s))
        _ = update(&s, .refusalsLoaded([]))
        XCTAssertFalse(screen(s).contains("refusing"), "gone when the surge is over")
    }
}
