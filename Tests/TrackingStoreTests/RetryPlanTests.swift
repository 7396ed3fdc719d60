import GRDB
import TrackingModel
import XCTest

@testable import TrackingStore

/// The Retry dry run: checks, verdicts, the count, and that `retry` queues what the plan says.
final class RetryPlanTests: XCTestCase {
    /// A message to a, b, c, d and a partner without address; every row failed in its own way.
    private func mixed(_ f: Fixture) throws -> (message: Int64, ids: [String: Int64]) {
        let nomail = try f.partner("No Mail", nil)
        let r = try f.post(to: ["a@x.org", "b@x.org", "c@x.org", "d@x.org"], partners: [nomail])
        var ids: [String: Int64] = [:]
        for t in r.trackings { ids[t.address ?? "none"] = t.id }
        try f.event(ids["a@x.org"]!, .softBounce, description: "mailbox full")
        try f.event(ids["b@x.org"]!, .hardBounce, description: "550 5.1.1 unknown")
        try f.event(ids["c@x.org"]!, .reject, description: "Unsubscribed Address")
        try f.event(
            ids["d@x.org"]!, .error, errorType: "SMTPRecipientsRefused", description: "550 5.1.1 <d@x.org>: User unknown",
            cause: .userUnknown)
        return (r.id, ids)
    }

    func testChecksAndVerdictsPerRecipient() throws {
        let f = try Fixture()
        // Earlier history of b: two hard bounces on older messages.
        for _ in 0..<2 {
            let old = try f.post(to: ["b@x.org"])
            try f.event(old.trackings[0].id, .hardBounce)
        }
        f.clock.advance(60)
        let (message, ids) = try mixed(f)
        let plan = try f.store.retryPlan(messageId: message)
        let by = Dictionary(uniqueKeysWithValues: plan.recipients.map { ($0.address ?? "none", $0) })
        XCTAssertEqual(plan.recipients.count, 5)

        let a = try XCTUnwrap(by["a@x.org"])
        XCTAssertEqual(a.verdict, .send)
        XCTAssertEqual(a.state, .softBounced)
        XCTAssertFalse(a.bounced)
        XCTAssertNil(a.suppressed)
        XCTAssertEqual(a.lastEvents.first?.type, .softBounce)
        XCTAssertEqual(a.lastEvents.first?.description, "mailbox full")
        XCTAssertEqual(a.lastEvents.first?.source, "test")

        let b = try XCTUnwrap(by["b@x.org"])
        XCTAssertEqual(b.verdict, .warn)
        XCTAssertTrue(b.bounced)
        XCTAssertEqual(b.hardFailures, 3)
        XCTAssertEqual(b.warnings, [.bounced(times: 3)])
        XCTAssertEqual(b.reasonCodes, ["address_bounced"])
        XCTAssertEqual(b.reasonTexts(), ["address bounced 3×"])
        XCTAssertEqual(b.score, 0, "three bounced rows: 50 − 75, clamped")
        XCTAssertEqual(b.errorDescription, "550 5.1.1 unknown", "the bounce text")

        let c = try XCTUnwrap(by["c@x.org"])
        XCTAssertEqual(c.verdict, .warn)
        XCTAssertEqual(c.suppressed, .reject)
        XCTAssertEqual(c.reasonCodes, ["address_bounced", "suppressed_reject"])

        let d = try XCTUnwrap(by["d@x.org"])
        XCTAssertEqual(d.verdict, .warn, "an address-side SMTP error flags the address bounced")
        XCTAssertEqual(d.errorDescription, "550 5.1.1 <d@x.org>: User unknown")
        XCTAssertEqual(d.cause, .userUnknown)
        XCTAssertNil(b.cause, "a hard bounce typed without a cause keeps none")

        let none = try XCTUnwrap(by["none"])
        XCTAssertEqual(none.verdict, .skip)
        XCTAssertEqual(none.skipReasons, [.noAddress])
        XCTAssertEqual(none.name, "No Mail")
        XCTAssertEqual(none.trackingId, ids["none"])

        XCTAssertEqual(plan.count, RetryCount(queue: 4, skip: 1, warnings: 3))
        XCTAssertEqual(plan.count.text(), "resend 4 · skip 1 · 3 warnings")
        XCTAssertEqual(
            plan.count(ticked: [ids["a@x.org"]!, ids["b@x.org"]!, ids["none"]!]), RetryCount(queue: 2, skip: 3, warnings: 1))
    }

    func testSenderSideSMTPErrorNeitherFlagsNorWarns() throws {
        let f = try Fixture()
        let r = try f.post(to: ["e@x.org", "g@x.org"])
        try f.event(
            r.trackings[0].id, .error, errorType: "SMTPAuthenticationError",
            description: "535 5.7.8 Error: authentication failed", cause: .auth)
        try f.event(r.trackings[1].id, .error, errorType: "SMTPException", description: "connection refused", cause: .network)
        let plan = try f.store.retryPlan(messageId: r.id)
        XCTAssertEqual(plan.recipients.count, 2)
        for rec in plan.recipients {
            XCTAssertEqual(rec.verdict, .send, "a wrong relay password or a network error says nothing about \(rec.name)")
            XCTAssertFalse(rec.bounced)
            XCTAssertEqual(rec.hardFailures, 0)
        }
        XCTAssertEqual(plan.recipients.map(\.cause), [.auth, .network])
    }

    func testSuppressionRule() throws {
        let f = try Fixture()
        // reject, then a later delivery to the same address: no longer suppressed.
        let old = try f.post(to: ["r@x.org", "s@x.org", "u@x.org"])
        try f.event(old.trackings[0].id, .reject)
        try f.event(old.trackings[1].id, .spam)
        try f.event(old.trackings[2].id, .unsub)
        f.clock.advance(10)
        let later = try f.post(to: ["r@x.org", "s@x.org", "u@x.org"])
        for t in later.trackings { try f.event(t.id, .delivered) }
        f.clock.advance(10)
        let now = try f.post(to: ["r@x.org", "s@x.org", "u@x.org"])
        for t in now.trackings { try f.event(t.id, .softBounce) }
        let plan = try f.store.retryPlan(messageId: now.id)
        let by = Dictionary(uniqueKeysWithValues: plan.recipients.map { ($0.address!, $0) })
        XCTAssertNil(by["r@x.org"]?.suppressed, "a delivery after the reject lifts it")
        XCTAssertEqual(by["s@x.org"]?.suppressed, .spam, "a complaint stays")
        XCTAssertEqual(by["u@x.org"]?.suppressed, .unsub, "an opt-out stays")
        // A new reject after the delivery suppresses again.
        f.clock.advance(10)
        let again = try f.post(to: ["r@x.org"])
        try f.event(again.trackings[0].id, .reject)
        XCTAssertEqual(try f.store.retryPlan(messageId: again.id).recipients.first?.suppressed, .reject)
    }

    func testAlreadyQueuedIsSkippedAndNotDuplicated() throws {
        let f = try Fixture()
        let r = try f.post(to: ["a@x.org", "b@x.org"])
        for t in r.trackings { try f.event(t.id, .softBounce) }
        f.clock.advance(5)
        let first = try f.store.retry(messageId: r.id, by: f.me.id)
        XCTAssertEqual(first.trackingIds.count, 2)
        // A late bounce (timed after the retry) fails a row again while its resend is still queued.
        f.clock.advance(5)
        try f.event(r.trackings[0].id, .hardBounce)
        let plan = try f.store.retryPlan(messageId: r.id)
        XCTAssertEqual(plan.recipients.map(\.trackingId), [r.trackings[0].id])
        XCTAssertEqual(plan.recipients[0].skipReasons, [.alreadyQueued])
        XCTAssertEqual(plan.recipients[0].pendingOutboxId, first.outboxIds[0])
        XCTAssertEqual(plan.count, RetryCount(queue: 0, skip: 1, warnings: 0))
        let second = try f.store.retry(messageId: r.id, by: f.me.id)
        XCTAssertEqual(second.trackingIds, [])
        XCTAssertEqual(second.skippedAlreadyQueued, [r.trackings[0].id])
        XCTAssertEqual(try f.store.stats(for: nil).outboxQueued, 2, "no duplicate entry")
    }

    /// The count shown is the count queued, for several set-ups and selections.
    func testPlanCountIsWhatRetryQueues() throws {
        typealias Setup = (Fixture) throws -> (Int64, RetrySelection)
        let setups: [Setup] = [
            { f in
                let (m, _) = try self.mixed(f)
                return (m, .all)
            },
            { f in
                let (m, _) = try self.mixed(f)
                return (m, .addresses(["B@x.org", "a@x.org"]))
            },
            { f in
                let (m, ids) = try self.mixed(f)
                return (m, .trackings([ids["c@x.org"]!, ids["none"]!]))
            },
            { f in
                let r = try f.post(to: ["a@x.org", "b@x.org"])
                for t in r.trackings { try f.event(t.id, .hardBounce) }
                _ = try f.store.retry(messageId: r.id, by: f.me.id)
                f.clock.advance(5)
                try f.event(r.trackings[1].id, .hardBounce)
                try f.event(r.trackings[0].id, .spam)
                return (r.id, .all)
            },
        ]
        for (i, setup) in setups.enumerated() {
            let f = try Fixture()
            let (message, selection) = try setup(f)
            let plan = try f.store.retryPlan(messageId: message, selection: selection)
            let queuedBefore = try f.store.stats(for: nil).outboxQueued
            let result = try f.store.retry(messageId: message, selection: selection, by: f.me.id)
            XCTAssertEqual(result.trackingIds.count, plan.count.queue, "set-up \(i)")
            XCTAssertEqual(result.trackingIds, plan.sendable.map(\.trackingId), "set-up \(i)")
            XCTAssertEqual(
                result.skippedNoAddress.count + result.skippedAlreadyQueued.count + result.skippedSuppressed.count,
                plan.count.skip, "set-up \(i)")
            XCTAssertEqual(try f.store.stats(for: nil).outboxQueued - queuedBefore, plan.count.queue, "set-up \(i)")
            XCTAssertEqual(result.plan, plan, "set-up \(i): the same plan, executed")
        }
    }

    func testSelectionErrorsAndMissingMessage() throws {
        let f = try Fixture()
        let (message, ids) = try mixed(f)
        XCTAssertThrowsError(try f.store.retryPlan(messageId: message, addresses: ["zz@x.org"])) { e in
            guard case StoreError.invalidInput = e else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try f.store.retryPlan(messageId: message, addresses: ["not an address"])) { e in
            guard case StoreError.invalidInput = e else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try f.store.retryPlan(messageId: message, selection: .trackings([999]))) { e in
            guard case StoreError.invalidInput = e else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try f.store.retryPlan(messageId: 999)) { e in
            guard case StoreError.notFound = e else { return XCTFail("\(e)") }
        }
        // By address: the row without an address is still listed, as skipped.
        let plan = try f.store.retryPlan(messageId: message, addresses: ["a@x.org"])
        XCTAssertEqual(Set(plan.recipients.map(\.trackingId)), [ids["a@x.org"]!, ids["none"]!])
        // A message without failed rows has an empty plan (retry refuses it).
        let fine = try f.post(to: ["ok@x.org"])
        XCTAssertEqual(try f.store.retryPlan(messageId: fine.id).recipients, [])
    }

    func testDryRunWritesNothing() throws {
        let f = try Fixture()
        let (message, _) = try mixed(f)
        f.sql.recording = true
        _ = try f.store.retryPlan(messageId: message)
        f.sql.recording = false
        let statements = f.sql.take()
        XCTAssertFalse(statements.isEmpty)
        for sql in statements {
            let verb = sql.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            XCTAssertTrue(
                verb.hasPrefix("SELECT") || verb.hasPrefix("BEGIN") || verb.hasPrefix("COMMIT")
                    || verb.hasPrefix("PRAGMA") || verb.hasPrefix("ROLLBACK"), "dry run wrote: \(sql)")
        }
    }

    /// One plan costs the same number of statements whatever the number of recipients (no per-row query).
    func testStatementCountDoesNotGrowWithRecipients() throws {
        let f = try Fixture()
        func planCost(recipients n: Int) throws -> Int {
            let r = try f.post(to: (0..<n).map { "p\(n)-\($0)@x.org" })
            for t in r.trackings {
                try f.event(t.id, .hardBounce)
                try f.event(t.id, .reject)
            }
            _ = try f.store.retryPlan(messageId: r.id)  // warm-up: a fresh reader reads the schema first
            f.sql.recording = true
            let plan = try f.store.retryPlan(messageId: r.id)
            f.sql.recording = false
            XCTAssertEqual(plan.recipients.count, n)
            XCTAssertTrue(plan.recipients.allSatisfy { $0.lastEvents.count == 2 })
            let statements = f.sql.take().filter { $0.hasPrefix("SELECT") }
            // Every statement goes through an index: no full scan of a table.
            try f.store.pool.read { db in
                for sql in statements {
                    let steps = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
                    for step in steps {
                        let scansTable = step.hasPrefix("SCAN ") && !step.contains("USING") && !step.contains("CONSTANT ROW")
                            && !step.contains("(subquery-")
                        XCTAssertFalse(scansTable, "full scan in \(sql)\n\(steps)")
                    }
                }
            }
            return statements.count
        }
        let small = try planCost(recipients: 1)
        let large = try planCost(recipients: 40)
        XCTAssertEqual(small, large)
        XCTAssertLessThanOrEqual(large, 6)
    }

    func testLastEventsAreTheNewestFew() throws {
        let f = try Fixture()
        let r = try f.post(to: ["a@x.org"])
        let tid = r.trackings[0].id
        try f.event(tid, .sent)
        f.clock.advance(1)
        try f.event(tid, .deferral)
        f.clock.advance(1)
        try f.event(tid, .deferral)
        f.clock.advance(1)
        try f.event(tid, .hardBounce, description: "gone")
        let events = try XCTUnwrap(try f.store.retryPlan(messageId: r.id).recipients.first?.lastEvents)
        XCTAssertEqual(events.map(\.type), [.hardBounce, .deferral, .deferral])
        XCTAssertEqual(events.count, RetryRecipient.eventLimit)
        XCTAssertEqual(events[0].description, "gone")
        XCTAssertGreaterThan(events[0].timestamp, events[1].timestamp)
    }
}
