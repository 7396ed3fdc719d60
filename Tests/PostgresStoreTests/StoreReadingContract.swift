import Foundation
import PostgresStore
import StoreCopy
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// The read side's contract, from one source for both stores: every listing read page
/// by page, down from the top and up from the bottom, equals the whole list as the
/// SQLite store reads it from the same demo data (row for row: ids, texts, times,
/// recipients, markers); counts, groups, lookups and single rows are the same too.
/// A subclass says how to open the store under test on that data and runs the checks
/// (the base class has no `test` methods of its own, so it runs nothing by itself).
class StoreReadingContract: XCTestCase {
    /// The store under test, holding the demo data of `demoPath`.
    func makeStore(demoPath: String) throws -> any StoreReading { fatalError("a subclass says how to open its store") }

    /// The demo store (built once per process) and the SQLite store reading it: the reference.
    static let demo = Result { () throws -> String in
        let dir = NSTemporaryDirectory() + "reading-contract-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Assets/demo/dataset.json")
        var options = DemoOptions()
        options.size = 400
        options.now = 1_780_000_000.25
        let path = dir + "/demo.sqlite"
        _ = try TrackingStore.buildDemo(at: path, try DemoDataset.load(from: Data(contentsOf: assets)), options: options)
        return path
    }

    var reference: TrackingStore!
    var store: (any StoreReading)!
    var me: Int64 = 0

    override func setUpWithError() throws {
        let path = try Self.demo.get()
        var options = StoreOptions()
        options.readOnly = true
        reference = try TrackingStore(path: path, options: options)
        store = try makeStore(demoPath: path)
        let email = try XCTUnwrap(try reference.setting("default_user"))
        me = try XCTUnwrap(try reference.findUser(email: email)).id
    }

    override func tearDown() {
        reference = nil
        store = nil
    }

    // MARK: Paging

    /// A whole list read through pages of `size`: down from the top, then up from the
    /// bottom; both must equal `whole`. (Callers check that the demo fills their lists.)
    func checkPages<Row: Equatable>(
        _ whole: [Row], size: Int, key: (Row) -> PageCursor, _ what: String, file: StaticString = #filePath,
        line: UInt = #line, read: (PageRequest) throws -> [Row]
    ) throws {
        var down: [Row] = []
        var page = try read(PageRequest(.top, limit: size))
        while true {
            down += page
            guard page.count == size, let last = page.last else { break }
            page = try read(PageRequest(.after(key(last)), limit: size))
        }
        XCTAssertEqual(down, whole, "\(what): pages down from the top", file: file, line: line)
        var up: [Row] = []
        page = try read(PageRequest(.bottom, limit: size))
        while true {
            up = page + up
            guard page.count == size, let first = page.first else { break }
            page = try read(PageRequest(.before(key(first)), limit: size))
        }
        XCTAssertEqual(up, whole, "\(what): pages up from the bottom", file: file, line: line)
    }

    static let all = 1_000_000
    static func messageKey(_ m: MessageView) -> PageCursor { PageCursor(time: m.date, id: m.id) }

    // MARK: Checks

    func checkFailedMailboxPagesCountsAndGroups() throws {
        let groups = try reference.failureGroups(for: me)
        XCTAssertGreaterThan(groups.count, 2, "the demo has several failure groups")
        XCTAssertEqual(try store.failureGroups(for: me, filter: FailureFilter()), groups)
        XCTAssertEqual(try store.failedCount(for: me), try reference.failedCount(for: me))
        let filters: [FailureFilter?] =
            [nil, FailureFilter(cause: groups[0].cause), FailureFilter(domain: groups[0].domain)]
            + groups.prefix(4).map { FailureFilter(cause: $0.cause, domain: $0.domain) }
        var read: [String: Int] = [:]
        for filter in filters {
            for search in [nil, "5.1", "example.com"] as [String?] {
                let whole = try reference.failedMessages(for: me, filter: filter, search: search, page: PageRequest(.top, limit: Self.all)).rows
                read[search ?? "", default: 0] += whole.count
                try checkPages(whole, size: 7, key: Self.messageKey, "failed \(filter?.description ?? "all") \(search ?? "")") {
                    try store.failedMessages(for: me, filter: filter, search: search, page: $0).rows
                }
                XCTAssertEqual(try store.failedMessageIds(for: me, filter: filter, search: search), whole.map(\.id))
            }
            XCTAssertEqual(try store.failedCount(for: me, filter: filter), try reference.failedCount(for: me, filter: filter))
            if let filter {
                XCTAssertEqual(try store.failureGroups(for: me, filter: filter), try reference.failureGroups(for: me, filter: filter))
            }
        }
        XCTAssertTrue(read.values.allSatisfy { $0 > 0 }, "every search finds failed messages: \(read)")
        let some = try reference.failedMessageIds(for: me, filter: nil, search: nil).prefix(3) + [1, 2, 3]
        let tally = try store.failedTally(for: me, pending: Array(some))
        let expected = try reference.failedTally(for: me, pending: Array(some))
        XCTAssertEqual(tally.count, expected.count)
        XCTAssertEqual(tally.stillFailed, expected.stillFailed)
        XCTAssertFalse(tally.stillFailed.isEmpty)
        let surges = try reference.refusalSurges(threshold: 1, window: 1e10)
        XCTAssertFalse(surges.isEmpty, "the demo refuses some of our mail")
        XCTAssertEqual(try store.refusalSurges(causes: FailureCause.senderSide, threshold: 1, window: 1e10), surges)
        XCTAssertEqual(try store.refusalSurges(causes: [.blocked], threshold: 2, window: 1e10),
                       try reference.refusalSurges(causes: [.blocked], threshold: 2, window: 1e10))
    }

    func checkThreadsAndTheirHistoryPageTheSame() throws {
        let key = { (t: ThreadSummary) in PageCursor(time: t.lastActivity, id: t.id) }
        for (failedOnly, search) in [(false, nil), (true, nil), (false, "E"), (true, "a")] as [(Bool, String?)] {
            let whole = try reference.threads(failedOnly: failedOnly, search: search, page: PageRequest(.top, limit: Self.all)).rows
            XCTAssertGreaterThan(whole.count, 3, "more than a page of threads \(failedOnly) \(search ?? "")")
            try checkPages(whole, size: 3, key: key, "threads \(failedOnly) \(search ?? "")") {
                try store.threads(failedOnly: failedOnly, search: search, page: $0).rows
            }
            XCTAssertEqual(try store.threadCount(failedOnly: failedOnly, search: search),
                           try reference.threadCount(failedOnly: failedOnly, search: search))
        }
        let threads = try reference.threads(page: PageRequest(.top, limit: Self.all)).rows
        let biggest = threads.sorted { ($0.messageCount, $0.id) > ($1.messageCount, $1.id) }.prefix(3)
        let failing = threads.filter { $0.failedCount > 0 }.prefix(3)
        for t in biggest + failing {
            let whole = try reference.threadHistory(id: t.id, page: PageRequest(.top, limit: Self.all)).rows
            XCTAssertEqual(whole.count, t.messageCount)
            try checkPages(whole, size: 2, key: Self.messageKey, "history of \(t.ref)") {
                try store.threadHistory(id: t.id, page: $0).rows
            }
            var after: PageCursor? = nil
            repeat {
                let view = try store.thread(id: t.id, after: after, limit: 2)
                XCTAssertEqual(view, try reference.thread(id: t.id, after: after, limit: 2))
                after = view.nextCursor
            } while after != nil
            XCTAssertEqual(try store.thread(t.ref, after: nil, limit: 50), try reference.thread(t.ref, after: nil, limit: 50))
            for m in whole.prefix(3) { XCTAssertEqual(try store.message(id: m.id), m) }
        }
        XCTAssertThrowsError(try store.thread(id: 999_999, after: nil, limit: 5))
        XCTAssertThrowsError(try store.message(id: 999_999))
        let latest = try reference.latestMessageId()
        XCTAssertEqual(try store.latestMessageId(), latest)
        for (from, to) in [(0, Int64.max), (latest / 2, latest), (latest, Int64.max)] as [(Int64, Int64)] {
            XCTAssertEqual(try store.inboxCount(for: me, afterId: from, throughId: to),
                           try reference.inboxCount(for: me, afterId: from, throughId: to))
        }
    }

    func checkTrackingsAndEventsPageTheSame() throws {
        let key = { (t: TrackingRow) in PageCursor(time: t.createdAt, id: t.id) }
        let some = try reference.trackings(TrackingFilter(failedOnly: true), page: PageRequest(.top, limit: 1)).rows[0]
        let filters = [
            TrackingFilter(), TrackingFilter(failedOnly: true), TrackingFilter(state: .some(.bounced)),
            TrackingFilter(state: .some(nil)), TrackingFilter(recipient: some.address?.uppercased()),
            TrackingFilter(search: "5.1.1"), TrackingFilter(search: "EXAMPLE", failedOnly: true),
        ]
        for filter in filters {
            let whole = try reference.trackings(filter, page: PageRequest(.top, limit: Self.all)).rows
            XCTAssertFalse(whole.isEmpty, "trackings \(filter)")
            try checkPages(whole, size: 11, key: key, "trackings \(filter)") { try store.trackings(filter, page: $0).rows }
            XCTAssertEqual(try store.trackingCount(filter), try reference.trackingCount(filter))
        }
        XCTAssertEqual(try store.tracking(id: some.id), some)
        XCTAssertThrowsError(try store.tracking(id: 999_999))

        let eKey = { (e: EventRow) in PageCursor(time: e.timestamp, id: e.id) }
        for filter in [EventFilter(), EventFilter(trackingId: some.id), EventFilter(type: .delivered), EventFilter(type: .hardBounce)] {
            let whole = try reference.events(filter, page: PageRequest(.top, limit: Self.all)).rows
            XCTAssertFalse(whole.isEmpty, "events \(filter)")
            try checkPages(whole, size: 13, key: eKey, "events \(filter)") { try store.events(filter, page: $0).rows }
        }
        XCTAssertEqual(try store.eventCount(trackingId: nil), try reference.eventCount(trackingId: nil))
        XCTAssertEqual(try store.eventCount(trackingId: some.id), try reference.eventCount(trackingId: some.id))
        let counts = try store.ingestCounts()
        let expected = try reference.ingestCounts()
        XCTAssertEqual([counts.quarantined, counts.unmatched], [expected.quarantined, expected.unmatched])
    }

    func checkPartnersAndLookupsAreTheSame() throws {
        let key = { (p: PartnerCard) in PageCursor(text: p.name, id: p.id) }
        for search in [nil, "a", "EXAMPLE", "zzz-none"] as [String?] {
            let whole = try reference.partners(search: search, page: PageRequest(.top, limit: Self.all)).rows
            if search == "zzz-none" {
                XCTAssertEqual(try store.partners(search: search, page: PageRequest(.top, limit: 5)).rows, [])
                continue
            }
            XCTAssertGreaterThan(whole.count, 17, "more than a page of partners \(search ?? "")")
            try checkPages(whole, size: 17, key: key, "partners \(search ?? "")") { try store.partners(search: search, page: $0).rows }
            XCTAssertEqual(try store.partnerCount(search: search), try reference.partnerCount(search: search))
        }
        let first = try reference.partners(bouncedOnly: false, after: nil, afterId: nil, limit: 10)
        XCTAssertEqual(try store.partners(bouncedOnly: false, after: nil, afterId: nil, limit: 10), first)
        XCTAssertEqual(try store.partners(bouncedOnly: false, after: first[4].name, afterId: first[4].id, limit: 10),
                       try reference.partners(bouncedOnly: false, after: first[4].name, afterId: first[4].id, limit: 10))
        XCTAssertEqual(try store.partners(bouncedOnly: true, after: nil, afterId: nil, limit: 1000),
                       try reference.partners(bouncedOnly: true, after: nil, afterId: nil, limit: 1000))
        let email = try XCTUnwrap(try reference.setting("default_user"))
        XCTAssertEqual(try store.setting("default_user"), email)
        XCTAssertNil(try store.setting("no such setting"))
        XCTAssertEqual(try store.findUser(email: email.uppercased())?.id, me)
        XCTAssertNil(try store.findUser(email: "nobody@nowhere.example"))
        XCTAssertThrowsError(try store.findUser(email: "not an address"))
    }
}
