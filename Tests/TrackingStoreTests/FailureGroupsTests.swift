import GRDB
import TrackingModel
import XCTest

@testable import TrackingStore

/// Failure groups of the Failed mailbox: grouping, filters, group review and group retry.
final class FailureGroupsTests: XCTestCase {
    /// Known failures: user_unknown at x.org on three messages (one of them also
    /// blocked at y.com), blocked at y.com on two, a cause-less hard bounce at
    /// z.net, and a recipient without an address.
    private func backlog(_ f: Fixture) throws -> [Int64] {
        var ids: [Int64] = []
        for i in 0..<3 {
            f.clock.advance(60)
            let r = try f.post(to: ["u\(i)@x.org", "b\(i)@y.com"])
            try f.event(r.trackings[0].id, .hardBounce, description: "550 5.1.1 unknown \(i)", cause: .userUnknown)
            if i < 2 {
                try f.event(r.trackings[1].id, .error, errorType: "SMTPDataError", description: "554 blocked \(i)", cause: .blocked)
            }
            ids.append(r.id)
        }
        f.clock.advance(60)
        let plain = try f.post(to: ["c@Z.net"])
        try f.event(plain.trackings[0].id, .hardBounce, description: "no cause")
        ids.append(plain.id)
        f.clock.advance(60)
        let nomail = try f.post(partners: [try f.partner("No Mail", nil)])
        ids.append(nomail.id)
        return ids
    }

    func testGroupsCountCausesAndDomainsNewestFirst() throws {
        let f = try Fixture()
        _ = try backlog(f)
        let groups = try f.store.failureGroups(for: f.me.id)
        let byKey = Dictionary(uniqueKeysWithValues: groups.map { ($0.key, $0) })
        XCTAssertEqual(Set(byKey.keys), ["user_unknown/x.org", "blocked/y.com", "unknown/z.net", "unknown/"], "\(groups)")
        XCTAssertEqual(byKey["user_unknown/x.org"]?.count, 3)
        XCTAssertEqual(byKey["blocked/y.com"]?.count, 2)
        XCTAssertEqual(byKey["unknown/z.net"]?.count, 1)
        let uu = try XCTUnwrap(byKey["user_unknown/x.org"])
        XCTAssertLessThan(uu.first, uu.last)
        XCTAssertEqual(uu.sample, "550 5.1.1 unknown 2", "the newest failure's text")
        XCTAssertEqual(groups.map(\.last), groups.map(\.last).sorted(by: >), "newest activity first")
        XCTAssertEqual(groups.first?.key, "unknown/", "the no-address failure is the newest")

        let onlyX = try f.store.failureGroups(for: f.me.id, filter: FailureFilter(domain: "X.ORG"))
        XCTAssertEqual(onlyX.map(\.key), ["user_unknown/x.org"])
        let blocked = try f.store.failureGroups(for: f.me.id, filter: FailureFilter(cause: .cause(.blocked)))
        XCTAssertEqual(blocked.map(\.key), ["blocked/y.com"])
    }

    func testFilteredMailboxAndKeyParsing() throws {
        let f = try Fixture()
        let ids = try backlog(f)
        let filter = try FailureFilter(group: "blocked/y.com")
        let page = try f.store.failedMessages(for: f.me.id, filter: filter)
        XCTAssertEqual(page.rows.map(\.id), [ids[1], ids[0]], "newest first, only messages of the group")
        let unknown = try f.store.failedMessages(for: f.me.id, filter: FailureFilter(cause: .unknown))
        XCTAssertEqual(Set(unknown.rows.map(\.id)), [ids[3], ids[4]])
        XCTAssertThrowsError(try FailureFilter(group: "nonsense/x.org"))
        XCTAssertThrowsError(try FailureFilter(group: "blocked"))
    }

    func testGroupReviewLeavesFailedAndIsAudited() throws {
        let f = try Fixture()
        let ids = try backlog(f)
        let before = try f.store.failedCount(for: f.me.id)
        let filter = try FailureFilter(group: "user_unknown/x.org")
        let preview = try f.store.reviewPreview(.group(filter), by: f.me.id)
        XCTAssertEqual(Set(preview), Set(ids[0..<3]))
        XCTAssertEqual(try f.store.failedCount(for: f.me.id), before, "the preview writes nothing")
        XCTAssertTrue(try f.store.auditLog(messageId: ids[0]).isEmpty)

        let reviewed = try f.store.review(.group(filter), by: f.me.id)
        XCTAssertEqual(Set(reviewed), Set(ids[0..<3]))
        XCTAssertEqual(try f.store.failedCount(for: f.me.id), before - 3)
        XCTAssertEqual(try f.store.recountFailed(for: f.me.id), before - 3)
        XCTAssertFalse(try f.store.failureGroups(for: f.me.id).contains { $0.key == "user_unknown/x.org" })
        for id in ids[0..<3] { XCTAssertEqual(try f.store.auditLog(messageId: id).map(\.action), ["review"]) }
        XCTAssertTrue(try f.store.reviewPreview(.group(filter), by: f.me.id).isEmpty)
    }

    func testGroupRetryMatchesThePerMessagePlans() throws {
        let f = try Fixture()
        let ids = try backlog(f)
        let filter = try FailureFilter(group: "blocked/y.com")
        let plans = try f.store.retryPlans(for: f.me.id, filter: filter)
        XCTAssertEqual(plans.map(\.messageId), [ids[1], ids[0]])
        for plan in plans {
            let blockedRow = try XCTUnwrap(plan.recipients.first)
            XCTAssertEqual(plan.recipients.count, 1, "only the group's row, not the user_unknown one")
            // The same checks as `retry MESSAGE_ID` (nobody named the row: a suppressed one stays unticked).
            let single = try f.store.retryPlan(messageId: plan.messageId, selection: .all)
            XCTAssertEqual(plan.recipients, single.recipients.filter { $0.trackingId == blockedRow.trackingId })
            XCTAssertFalse(blockedRow.chosen)
        }
        let results = try f.store.retry(filter: filter, by: f.me.id)
        XCTAssertEqual(results.map(\.plan), plans)
        XCTAssertEqual(results.reduce(0) { $0 + $1.outboxIds.count }, plans.reduce(0) { $0 + $1.count.queue })
        XCTAssertTrue(try f.store.retryPlans(for: f.me.id, filter: filter).isEmpty, "the group left Failed")
    }

    /// Groups, group filters, group review and retry previews go through indexes: the
    /// failed mailbox's index, or `trackings_cause_domain` for a group key; no full scan.
    func testGroupQueriesUseIndexes() throws {
        let f = try Fixture()
        _ = try backlog(f)
        let group = try FailureFilter(group: "blocked/y.com")
        _ = try f.store.failureGroups(for: f.me.id)  // warm-up: a fresh reader reads the schema first
        f.sql.recording = true
        _ = try f.store.failureGroups(for: f.me.id)
        _ = try f.store.failureGroups(for: f.me.id, filter: FailureFilter(domain: "y.com"))
        _ = try f.store.failedMessages(for: f.me.id, filter: FailureFilter(cause: .unknown))
        _ = try f.store.reviewPreview(.group(group), by: f.me.id)
        _ = try f.store.retryPlans(for: f.me.id, filter: group)
        f.sql.recording = false
        let statements = f.sql.take().filter { $0.hasPrefix("SELECT") }
        XCTAssertGreaterThan(statements.count, 4)
        var usedGroupIndex = false
        try f.store.pool.read { db in
            for sql in statements {
                let steps = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
                for step in steps {
                    let scansTable = step.hasPrefix("SCAN ") && !step.contains("USING") && !step.contains("CONSTANT ROW")
                        && !step.contains("(subquery-") && !step.contains("VIRTUAL TABLE")  // a bound id list
                    XCTAssertFalse(scansTable, "full scan in \(sql)\n\(steps)")
                    if step.contains("trackings_cause_domain") { usedGroupIndex = true }
                }
            }
        }
        XCTAssertTrue(usedGroupIndex, "a group key is looked up by its index")
    }
}
