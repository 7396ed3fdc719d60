import GRDB
import TrackingModel
import XCTest

@testable import TrackingStore

/// The listings the front pages through: read from the top, from the bottom,
/// below or above a row, every page equals the same slice of the whole list,
/// newest first; the counts equal the lists; every statement walks an index.
final class PagedListingsTests: XCTestCase {
    /// 23 messages of mine, each to two new addresses, half of them failed
    /// (a blocked failure at y.com and a user-unknown one at x.org alternate).
    private func store(_ f: Fixture) throws {
        for i in 0..<23 {
            f.clock.advance(60)
            let r = try f.post(to: ["a\(i)@x.org", "b\(i)@y.com"], subject: "Offer \(i)")
            if i % 2 == 0 {
                try f.event(r.trackings[0].id, .hardBounce, description: "550 5.1.1 unknown \(i)", cause: .userUnknown)
            } else {
                try f.event(r.trackings[1].id, .error, description: "554 5.7.1 blocked \(i)", cause: .blocked)
            }
            try f.event(r.trackings[i % 2 == 0 ? 1 : 0].id, .delivered)
        }
    }

    /// Reads a whole list through pages of `size`: down from the top, and up from the bottom.
    private func pagesDown<Row>(_ size: Int, key: (Row) -> PageCursor, _ read: (PageRequest) throws -> [Row]) rethrows
        -> [Row]
    {
        var out: [Row] = []
        var page = try read(PageRequest(.top, limit: size))
        while true {
            out += page
            guard page.count == size, let last = page.last else { return out }
            page = try read(PageRequest(.after(key(last)), limit: size))
        }
    }

    private func pagesUp<Row>(_ size: Int, key: (Row) -> PageCursor, _ read: (PageRequest) throws -> [Row]) rethrows
        -> [Row]
    {
        var out: [Row] = []
        var page = try read(PageRequest(.bottom, limit: size))
        while true {
            out = page + out
            guard page.count == size, let first = page.first else { return out }
            page = try read(PageRequest(.before(key(first)), limit: size))
        }
    }

    func testEveryListingPagesTheSameListFromEitherEnd() throws {
        let f = try Fixture()
        try store(f)
        let threads = try f.store.threads(limit: 1000).rows.map(\.id)
        XCTAssertEqual(threads.count, try f.store.threadCount(failedOnly: false, search: nil))
        let tKey = { (t: ThreadSummary) in PageCursor(time: t.lastActivity, id: t.id) }
        XCTAssertEqual(try pagesDown(4, key: tKey) { try f.store.threads(page: $0).rows }.map(\.id), threads)
        XCTAssertEqual(try pagesUp(4, key: tKey) { try f.store.threads(page: $0).rows }.map(\.id), threads)

        let failed = try f.store.failedMessages(for: f.me.id, limit: 1000).rows.map(\.id)
        XCTAssertEqual(failed.count, 23)
        let mKey = { (m: MessageView) in PageCursor(time: m.date, id: m.id) }
        let read = { (p: PageRequest) in try f.store.failedMessages(for: f.me.id, page: p).rows }
        XCTAssertEqual(try pagesDown(5, key: mKey, read).map(\.id), failed)
        XCTAssertEqual(try pagesUp(5, key: mKey, read).map(\.id), failed)
        XCTAssertEqual(try read(PageRequest(.bottom, limit: 3)).map(\.id), Array(failed.suffix(3)), "the end in one read")

        let blocked = FailureFilter(cause: .cause(.blocked), domain: "y.com")
        let group = try f.store.failedMessages(for: f.me.id, filter: blocked, limit: 1000).rows.map(\.id)
        XCTAssertEqual(group.count, 11)
        XCTAssertEqual(try f.store.failedCount(for: f.me.id, filter: blocked), 11)
        XCTAssertEqual(try f.store.failedCount(for: f.me.id, filter: nil), 23)
        XCTAssertEqual(
            try pagesUp(4, key: mKey) { try f.store.failedMessages(for: f.me.id, filter: blocked, page: $0).rows }.map(\.id),
            group)

        let trackings = try f.store.trackings(limit: 1000).rows.map(\.id)
        XCTAssertEqual(trackings.count, try f.store.trackingCount(TrackingFilter()))
        let trKey = { (t: TrackingRow) in PageCursor(time: t.createdAt, id: t.id) }
        XCTAssertEqual(try pagesUp(7, key: trKey) { try f.store.trackings(page: $0).rows }.map(\.id), trackings)
        let failedOnly = TrackingFilter(failedOnly: true)
        XCTAssertEqual(try f.store.trackingCount(failedOnly), 23)
        XCTAssertEqual(
            try pagesDown(6, key: trKey) { try f.store.trackings(failedOnly, page: $0).rows }.map(\.id),
            try f.store.trackings(failedOnly, limit: 1000).rows.map(\.id))
        XCTAssertNil(try f.store.trackingCount(TrackingFilter(search: "5.1.1")), "a search is not counted")

        let events = try f.store.events(limit: 1000).rows.map(\.id)
        XCTAssertEqual(events.count, try f.store.eventCount(trackingId: nil))
        let eKey = { (e: EventRow) in PageCursor(time: e.timestamp, id: e.id) }
        XCTAssertEqual(try pagesUp(9, key: eKey) { try f.store.events(page: $0).rows }.map(\.id), events)
        XCTAssertEqual(try pagesDown(9, key: eKey) { try f.store.events(page: $0).rows }.map(\.id), events)
    }

    /// 2,500 partners, names repeating (the id orders a name's partners), read
    /// page by page from the top and from the bottom, equal the whole list in
    /// name order; a search (name or address, any case) pages the same way, the
    /// end is one read, and the count is the table's.
    func testPartnersPageTheSameListFromEitherEnd() throws {
        let f = try Fixture()
        for i in 0..<2_500 {
            _ = try f.partner("Partner \(i % 997)", i % 5 == 0 ? nil : "p\(i)@Host\(i % 7).example")
        }
        let all = try f.store.partners(limit: 10_000).map(\.id)
        XCTAssertEqual(all.count, 2_501, "2,500 and me")
        XCTAssertEqual(try f.store.partnerCount(search: nil), all.count)
        let key = { (p: PartnerCard) in PageCursor(text: p.name, id: p.id) }
        XCTAssertEqual(try pagesDown(200, key: key) { try f.store.partners(page: $0).rows }.map(\.id), all)
        XCTAssertEqual(try pagesUp(200, key: key) { try f.store.partners(page: $0).rows }.map(\.id), all)
        XCTAssertEqual(try f.store.partners(page: PageRequest(.bottom, limit: 3)).rows.map(\.id), Array(all.suffix(3)))
        XCTAssertEqual(
            try f.store.partners(page: PageRequest(.top, limit: 200)).next, key(try f.store.partners(limit: 200)[199]))

        // The search matches as the front's filter did: name or address, case-insensitive.
        let cards = try f.store.partners(limit: 10_000)
        for search in ["HOST3", "partner 99", "p12"] {
            let expected = cards.filter {
                $0.name.range(of: search, options: .caseInsensitive) != nil
                    || ($0.email ?? "").range(of: search, options: .caseInsensitive) != nil
            }.map(\.id)
            XCTAssertFalse(expected.isEmpty)
            let read = { (p: PageRequest) in try f.store.partners(search: search, page: p).rows }
            XCTAssertEqual(try pagesDown(50, key: key, read).map(\.id), expected, search)
            XCTAssertEqual(try pagesUp(50, key: key, read).map(\.id), expected, search)
        }
        XCTAssertNil(try f.store.partnerCount(search: "p12"), "a search is not counted")
        // A window away from the top is read again from its first row, inclusive.
        let third = try f.store.partners(page: PageRequest(.top, limit: 3)).rows[2]
        XCTAssertEqual(try f.store.partners(page: .from(key(third), limit: 2)).rows.map(\.id), Array(all[2..<4]))
    }

    /// A thread's history read from either end, 4 messages a page, is the
    /// whole history newest first, the same as the thread view reads it.
    func testAThreadsHistoryPagesTheSameFromEitherEnd() throws {
        let f = try Fixture()
        for i in 0..<23 {
            f.clock.advance(i % 5 == 0 ? 0 : 60)  // some messages share a second: the id breaks the tie
            _ = try f.post(thread: "res.partner/77", to: ["h@x.org"], subject: "Re: one thread \(i)")
        }
        _ = try f.post(to: ["other@x.org"], subject: "Elsewhere")
        let thread = try f.store.thread(ThreadRef(parsing: "res.partner/77")!).thread.id
        let whole = try f.store.thread(id: thread, limit: 1000).history.map(\.id)
        XCTAssertEqual(whole.count, 23)
        XCTAssertEqual(try f.store.thread(id: thread).thread.messageCount, 23, "the kept counter counts it")
        let key = { (m: MessageView) in PageCursor(time: m.date, id: m.id) }
        XCTAssertEqual(try pagesDown(4, key: key) { try f.store.threadHistory(id: thread, page: $0).rows }.map(\.id), whole)
        XCTAssertEqual(try pagesUp(4, key: key) { try f.store.threadHistory(id: thread, page: $0).rows }.map(\.id), whole)
        XCTAssertEqual(try f.store.threadHistory(id: thread, page: PageRequest(.bottom, limit: 1)).rows.map(\.id), [whole.last!])
    }

    /// The ids of a whole filtered Failed list (what a bulk action covers) equal
    /// its pages; a domain refusing our mail shows once its recent failures reach
    /// the threshold, and old ones do not count.
    func testBulkIdsAndRefusalSurges() throws {
        let f = try Fixture()
        try store(f)
        let blocked = FailureFilter(cause: .cause(.blocked), domain: "y.com")
        XCTAssertEqual(
            try f.store.failedMessageIds(for: f.me.id, filter: blocked, search: nil),
            try f.store.failedMessages(for: f.me.id, filter: blocked, limit: 1000).rows.map(\.id))
        XCTAssertEqual(
            try f.store.failedMessageIds(for: f.me.id, filter: nil, search: "5.1.1"),
            try f.store.failedMessages(for: f.me.id, search: "5.1.1", limit: 1000).rows.map(\.id))
        XCTAssertEqual(try f.store.failedMessageIds(for: f.me.id, filter: nil, search: "5.1.1").count, 12)
        // 11 blocked failures at y.com, one a minute over the last 23 minutes.
        XCTAssertEqual(try f.store.refusalSurges(threshold: 11, window: 3600).map(\.domain), ["y.com"])
        XCTAssertEqual(try f.store.refusalSurges(threshold: 11, window: 3600).first?.count, 11)
        XCTAssertEqual(try f.store.refusalSurges(threshold: 12, window: 3600), [], "below the threshold")
        f.clock.advance(7200)
        XCTAssertEqual(try f.store.refusalSurges(threshold: 1, window: 3600), [], "older than the window")
    }

    /// The banner watches every sender-side cause, each (cause, domain) on its
    /// own: 12 `policy` refusals at z.net surge, 4 `auth` ones there do not reach
    /// a threshold of 10, and 12 `user_unknown` at w.org (an address-side cause,
    /// the contacts' fault, not a refusal of us) never count.
    func testRefusalSurgesWatchEverySenderSideCause() throws {
        let f = try Fixture()
        for i in 0..<12 {
            f.clock.advance(60)
            let r = try f.post(to: ["p\(i)@z.net", "u\(i)@w.org"], subject: "Note \(i)")
            try f.event(r.trackings[0].id, .error, description: "550 5.7.1 policy \(i)", cause: .policy)
            try f.event(r.trackings[1].id, .hardBounce, description: "550 5.1.1 unknown \(i)", cause: .userUnknown)
            if i < 4 {
                let a = try f.post(to: ["a\(i)@z.net"], subject: "Auth \(i)")
                try f.event(a.trackings[0].id, .error, description: "530 5.7.0 auth \(i)", cause: .auth)
            }
        }
        let surges = try f.store.refusalSurges(threshold: 10, window: 3600)
        XCTAssertEqual(surges.map { "\($0.cause.rawValue)/\($0.domain)/\($0.count)" }, ["policy/z.net/12"])
        let low = try f.store.refusalSurges(threshold: 4, window: 3600)
        XCTAssertEqual(low.map { "\($0.cause.rawValue)/\($0.domain)/\($0.count)" }, ["policy/z.net/12", "auth/z.net/4"])
        XCTAssertEqual(try f.store.refusalSurges(causes: [.blocked], threshold: 1, window: 3600), [])
        XCTAssertEqual(FailureCause.senderSide.count, 11)
        XCTAssertFalse(FailureCause.senderSide.contains(.userUnknown))
    }

    /// The front's paging and counting statements never scan a table: each
    /// walks an index (forwards or backwards), so the end of a long list costs
    /// what its start costs.
    func testPagingAndCountsUseIndexes() throws {
        let f = try Fixture()
        try store(f)
        let any = PageCursor(time: f.clock.now, id: 5)
        let blocked = FailureFilter(cause: .cause(.blocked), domain: "y.com")
        _ = try f.store.threads(limit: 1)  // warm-up: a fresh reader reads the schema first
        f.sql.recording = true
        for start in [PageRequest.Start.top, .bottom, .after(any), .before(any)] {
            let page = PageRequest(start, limit: 10)
            _ = try f.store.threads(page: page)
            _ = try f.store.threads(failedOnly: true, page: page)
            _ = try f.store.failedMessages(for: f.me.id, page: page)
            _ = try f.store.failedMessages(for: f.me.id, filter: blocked, page: page)
            _ = try f.store.trackings(page: page)
            _ = try f.store.trackings(TrackingFilter(failedOnly: true), page: page)
            _ = try f.store.trackings(TrackingFilter(state: .some(.bounced)), page: page)
            _ = try f.store.events(page: page)
            _ = try f.store.events(EventFilter(trackingId: 3), page: page)
            let partnerPage = PageRequest(PageRequest.Start.partner(start), limit: 10)
            _ = try f.store.partners(page: partnerPage)
            _ = try f.store.partners(search: "a0", page: partnerPage)
            _ = try f.store.threadHistory(id: 1, page: page)
        }
        _ = try f.store.partnerCount(search: nil)
        _ = try f.store.threadCount(failedOnly: true, search: nil)
        _ = try f.store.failedCount(for: f.me.id, filter: blocked)
        _ = try f.store.trackingCount(TrackingFilter(failedOnly: true))
        _ = try f.store.trackingCount(TrackingFilter(state: .some(nil)))
        _ = try f.store.eventCount(trackingId: 3)
        _ = try f.store.failedMessageIds(for: f.me.id, filter: blocked, search: nil)
        _ = try f.store.refusalSurges(threshold: 10, window: 3600)
        _ = try f.store.refusalSurges(causes: [.blocked], threshold: 10, window: 3600)
        f.sql.recording = false
        // The listings and counts themselves (the recipients of a page's messages are
        // read by their ids, as every message listing does).
        let statements = f.sql.take().filter {
            $0.hasPrefix("SELECT") && ($0.contains(" LIMIT ") || $0.contains("COUNT(") || $0.hasPrefix("SELECT m.id FROM"))
        }
        XCTAssertGreaterThan(statements.count, 45)
        var sorted: [String] = []
        try f.store.pool.read { db in
            for sql in statements {
                let steps = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
                for step in steps {
                    let scansTable = step.hasPrefix("SCAN ") && !step.contains("USING") && !step.contains("CONSTANT ROW")
                    XCTAssertFalse(scansTable, "full scan in \(sql)\n\(steps)")
                    // (A grouped statement sorts its few groups, not the rows.)
                    if step.contains("TEMP B-TREE FOR ORDER BY") && !sql.contains("GROUP BY") { sorted.append(sql) }
                }
            }
        }
        XCTAssertEqual(sorted, [], "a page is read in its index's order, never sorted whole")
    }
}

extension PageRequest.Start {
    /// The same start for the partners' name order (a cursor's name instead of its time).
    static func partner(_ start: Self) -> Self {
        switch start {
        case .top, .bottom: return start
        case .after(let c): return .after(PageCursor(text: "Bob", id: c.id))
        case .before(let c): return .before(PageCursor(text: "Bob", id: c.id))
        }
    }
}
