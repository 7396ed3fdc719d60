import Foundation
import GRDB
import TrackingModel
import TrackingStore
import XCTest

/// Migration `v5-causes` on a store written before causes existed: history is
/// classified from its stored texts, sender-side hard bounces become soft, rows
/// follow, and partners flagged only by a cause that no longer flags lose the flag.
final class CauseMigrationTests: XCTestCase {
    /// Turns the fixture's file back into a `v4` store: no cause columns, the
    /// `v5-causes` step not applied, and partner flags as the old rule set them.
    private func downgrade(_ path: String, flag addresses: [String]) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    DROP INDEX trackings_cause_domain;
                    ALTER TABLE events DROP COLUMN cause;
                    ALTER TABLE trackings DROP COLUMN cause;
                    DELETE FROM grdb_migrations WHERE identifier = 'v5-causes';
                    """)
            for a in addresses {
                try db.execute(sql: "UPDATE partners SET email_bounced = 1 WHERE email_normalized = ?", arguments: [a])
            }
        }
        try queue.close()
    }

    func testHistoryIsReclassifiedAndFlagsRecomputed() throws {
        let f = try Fixture()
        let blocked = try f.partner("Blocked", "blocked@x.org")
        let unknown = try f.partner("Unknown", "unknown@x.org")
        let relay = try f.partner("Relay", "relay@x.org")
        let both = try f.partner("Both", "both@x.org")
        let nomail = try f.partner("No Mail", nil)
        let r = try f.post(partners: [blocked, unknown, relay, both, nomail])
        var ids: [Int64: Int64] = [:]
        for t in r.trackings { if let p = t.partnerId { ids[p] = t.id } }
        let spamhaus = "550 5.7.1 Service unavailable; client host [192.0.2.1] blocked using zen.spamhaus.org"
        try f.event(ids[blocked]!, .hardBounce, description: spamhaus)
        try f.event(ids[unknown]!, .hardBounce, description: "550 5.1.1 <unknown@x.org>: User unknown")
        try f.event(
            ids[relay]!, .error, errorType: "SMTPAuthenticationError", description: "535 5.7.8 Error: authentication failed")
        try f.event(ids[both]!, .hardBounce, description: spamhaus)
        let older = try f.post(partners: [both]).trackings[0].id
        try f.event(older, .reject, description: "rejected")
        let complaint = try f.post(to: ["complains@x.org"]).trackings[0].id
        try f.event(complaint, .spam)
        let deferred = try f.post(to: ["slow@x.org"]).trackings[0].id
        try f.event(deferred, .deferral, errorType: "4.2.2", description: "452 4.2.2 Mailbox full")
        let failedBefore = try f.store.message(id: r.id).failedRecipients.count
        XCTAssertEqual(try f.store.tracking(id: ids[blocked]!).state, .bounced, "the old rule: every 5xx is hard")

        try downgrade(f.path, flag: ["blocked@x.org", "unknown@x.org", "relay@x.org", "both@x.org"])
        let store = try TrackingStore(path: f.path)

        let b = try store.tracking(id: ids[blocked]!)
        XCTAssertEqual(b.state, .softBounced)
        XCTAssertEqual(b.bounceType, "soft")
        XCTAssertEqual(b.cause, .blocked)
        XCTAssertEqual(b.bounceDescription, spamhaus, "the text is kept")
        XCTAssertEqual(try store.events(EventFilter(trackingId: ids[blocked]!)).rows.map(\.type), [.softBounce])
        XCTAssertFalse(try store.partnerCard(id: blocked).emailBounced, "flagged only by a sender-side bounce")
        XCTAssertEqual(try store.partnerCard(id: blocked).emailScore, 40, "score recomputed: soft-bounced −10")

        let u = try store.tracking(id: ids[unknown]!)
        XCTAssertEqual(u.state, .bounced)
        XCTAssertEqual(u.cause, .userUnknown)
        XCTAssertTrue(try store.partnerCard(id: unknown).emailBounced)

        XCTAssertEqual(try store.tracking(id: ids[relay]!).state, .error)
        XCTAssertEqual(try store.tracking(id: ids[relay]!).cause, .auth)
        XCTAssertFalse(try store.partnerCard(id: relay).emailBounced, "a wrong relay password flags nobody")

        XCTAssertEqual(try store.tracking(id: ids[both]!).state, .softBounced)
        XCTAssertTrue(try store.partnerCard(id: both).emailBounced, "an older reject still flags")

        XCTAssertNil(try store.tracking(id: ids[nomail]!).cause, "no_recipient is no delivery failure")
        XCTAssertEqual(try store.tracking(id: ids[nomail]!).errorType, noRecipientErrorType)
        XCTAssertNil(try store.tracking(id: complaint).cause, "a complaint without text: nothing to read")
        XCTAssertEqual(try store.tracking(id: complaint).state, .spam)
        XCTAssertEqual(try store.tracking(id: deferred).state, .deferred)
        XCTAssertEqual(try store.tracking(id: deferred).cause, .mailboxFull)

        let message = try store.message(id: r.id)
        XCTAssertEqual(message.failedRecipients.count, failedBefore, "every failed row is still failed")
        XCTAssertTrue(message.needsAction)
        XCTAssertEqual(
            message.failedRecipients.first { $0.partnerId == blocked }?.cause, .blocked, "the front reads the cause")
    }

    func testCausesAreQueryableBySideAndDomain() throws {
        let f = try Fixture()
        let r = try f.post(to: ["a@one.org", "b@two.org"])
        try f.event(r.trackings[0].id, .softBounce, description: "blocked", cause: .blocked)
        try f.event(r.trackings[1].id, .hardBounce, description: "unknown", cause: .userUnknown)
        let queue = try DatabaseQueue(path: f.path)
        defer { try? queue.close() }
        try queue.read { db in
            let sender = try String.fetchAll(
                db,
                sql: "SELECT \(CauseSQL.receivingDomain) FROM trackings WHERE \(CauseSQL.side(.sender))")
            XCTAssertEqual(sender, ["one.org"])
            let detail = try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN QUERY PLAN SELECT COUNT(*) FROM trackings
                    WHERE cause = 'user_unknown' AND \(CauseSQL.receivingDomain) = 'two.org'
                    """
            ).map { $0["detail"] as String }.joined(separator: " ")
            XCTAssertTrue(detail.contains("trackings_cause_domain"), detail)
        }
    }
}
