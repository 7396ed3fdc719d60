import Foundation
import PostgresNIO
import TestSupport
import TrackingModel
import XCTest

@testable import PostgresStore

/// Every statement the PostgreSQL store runs for the front's listings and counts (from
/// either end and beside a row, every filter) can be served by an index in list order:
/// EXPLAIN with sequential scans and sorts priced out shows no sequential scan of a
/// listed table and no sort of its rows (a grouped statement sorts its few groups), and
/// a keyset page's position is an index bound, so the end of a long list costs what
/// its start costs. (The demo is small: with real statistics on it the planner would
/// read it whole; pricing the alternatives out asks whether an index path exists.)
final class PostgresListingPlanTests: XCTestCase {
    func testEveryListingStatementWalksAnIndex() throws {
        let settings = try PostgresStoreReadingTests.copied.get()
        let store = try BlockingCall.run { try await PostgresStore.open(settings, migrate: false) }
        let me = try XCTUnwrap(try store.findUser(email: try XCTUnwrap(try store.setting("default_user")))).id
        let group = try XCTUnwrap(try store.failureGroups(for: me, filter: FailureFilter()).first)
        let blocked = FailureFilter(cause: group.cause, domain: group.domain)
        let any = PageCursor(time: 1_775_000_000, id: 50)
        let someTracking = try store.trackings(TrackingFilter(), page: PageRequest(.top, limit: 1)).rows[0]
        store.readTrace.start()
        for start in [PageRequest.Start.top, .bottom, .after(any), .before(any)] {
            let page = PageRequest(start, limit: 10)
            _ = try store.threads(failedOnly: false, search: nil, page: page)
            _ = try store.threads(failedOnly: true, search: nil, page: page)
            _ = try store.threads(failedOnly: false, search: "re", page: page)
            _ = try store.failedMessages(for: me, filter: nil, search: nil, page: page)
            _ = try store.failedMessages(for: me, filter: blocked, search: nil, page: page)
            _ = try store.failedMessages(for: me, filter: nil, search: "5.1.1", page: page)
            _ = try store.trackings(TrackingFilter(), page: page)
            _ = try store.trackings(TrackingFilter(failedOnly: true), page: page)
            _ = try store.trackings(TrackingFilter(state: .some(.bounced)), page: page)
            _ = try store.trackings(TrackingFilter(recipient: someTracking.address), page: page)
            _ = try store.trackings(TrackingFilter(search: "5.1.1"), page: page)
            _ = try store.events(EventFilter(), page: page)
            _ = try store.events(EventFilter(trackingId: someTracking.id), page: page)
            _ = try store.events(EventFilter(type: .delivered), page: page)
            _ = try store.threadHistory(id: 1, page: page)
            let partnerPage: PageRequest
            switch start {
            case .top, .bottom: partnerPage = page
            case .after(let c): partnerPage = PageRequest(.after(PageCursor(text: "M", id: c.id)), limit: 10)
            case .before(let c): partnerPage = PageRequest(.before(PageCursor(text: "M", id: c.id)), limit: 10)
            }
            _ = try store.partners(search: nil, page: partnerPage)
            _ = try store.partners(search: "a0", page: partnerPage)
        }
        _ = try store.thread(id: 1, after: any, limit: 10)
        _ = try store.partnerCount(search: nil)
        _ = try store.threadCount(failedOnly: true, search: nil)
        _ = try store.failedCount(for: me, filter: blocked)
        _ = try store.failedCount(for: me)
        _ = try store.trackingCount(TrackingFilter(failedOnly: true))
        _ = try store.trackingCount(TrackingFilter(state: .some(nil)))
        _ = try store.eventCount(trackingId: someTracking.id)
        _ = try store.failedMessageIds(for: me, filter: blocked, search: nil)
        _ = try store.failedTally(for: me, pending: [1, 2, 3])
        _ = try store.failureGroups(for: me, filter: blocked)
        _ = try store.refusalSurges(causes: FailureCause.senderSide, threshold: 1, window: 1e10)
        _ = try store.inboxCount(for: me, afterId: 10, throughId: 100)
        _ = try store.latestMessageId()
        let statements = store.readTrace.stop()
        XCTAssertGreaterThan(statements.count, 120)

        let listed = ["messages", "trackings", "events", "threads", "partners", "message_recipients"]
        var problems: [String] = []
        var keysetPages = 0
        for query in statements {
            let plan = try BlockingCall.run {
                try await store.exclusive {
                    try await store.transaction {
                        try await store.run("SET LOCAL enable_seqscan = off")
                        try await store.run("SET LOCAL enable_sort = off")
                        return try await store.rows(PostgresQuery(unsafeSQL: "EXPLAIN " + query.sql, binds: query.binds))
                            .map { try $0.decode(String.self) }
                    }
                }
            }
            let text = plan.joined(separator: "\n")
            for table in listed where plan.contains(where: { $0.contains("Seq Scan on \(table) ") }) {
                problems.append("sequential scan of \(table):\n\(query.sql)\n\(text)")
            }
            // One tracking row's events (a handful) are read along `events_tracking`
            // (tracking_id, timestamp), as on SQLite, whose indexes end in the rowid; here
            // the few rows of one timestamp are put in id order by an incremental sort.
            let oneTracking = query.sql.contains("FROM events WHERE tracking_id = ")
            let grouped = query.sql.contains("GROUP BY")
            if !grouped, !oneTracking, plan.contains(where: { $0.contains("Sort ") && !$0.contains("Sort Key") }) {
                problems.append("rows sorted:\n\(query.sql)\n\(text)")
            }
            if query.sql.contains(") < ($") || query.sql.contains(") > ($") {
                keysetPages += 1
                let bound = oneTracking ? "\"timestamp\" " : "ROW("
                if !plan.contains(where: { $0.contains("Index Cond: ") && $0.contains(bound) }) {
                    problems.append("keyset position not an index bound:\n\(query.sql)\n\(text)")
                }
            }
        }
        XCTAssertGreaterThan(keysetPages, 30)
        XCTAssertEqual(problems, [], problems.joined(separator: "\n\n"))
        try BlockingCall.run { await store.close() }
    }
}
