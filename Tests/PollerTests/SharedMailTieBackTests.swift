@testable import DeliverySignals
import Foundation
import TrackingModel
import TrackingStore
import XCTest

@testable import EventIngest

/// A bounce of one recipient of a shared mail (one mail to all, `--one-mail`):
/// the mail names the message (VERP token, tracking header, ENVID = its shared
/// token), the DSN names the recipient, and the event lands on that recipient's row.
final class SharedMailTieBackTests: XCTestCase {
    private func sharedMail(_ fx: PollerFixture) throws -> (rows: [String: Int64], token: String, messageId: String) {
        let post = try fx.store.postAndQueue(
            PostRequest(
                thread: ThreadRef(model: "test", key: "shared"), authorId: fx.me.id,
                to: ["a@x.test, b@x.test, c@x.test"], subject: "all of you", body: "body", messageId: "shared.1@app.test"),
            sharedMail: true
        ).post
        let jobs = try fx.store.claimDueMail()
        let token = try XCTUnwrap(jobs.first?.sharedToken)
        _ = try fx.store.recordOutcomes(
            jobs.map { ($0, .accepted(server: "mx", queueId: "Q7", reply: "250 ok")) }, policy: RetryPolicy())
        var rows: [String: Int64] = [:]
        for row in post.trackings { rows[row.address ?? ""] = row.id }
        return (rows, token, post.messageId)
    }

    private func resolve(_ fx: PollerFixture, _ keys: TieBackKeys) throws -> TieBackResolution {
        try fx.store.ingest { tx in try tx.resolve(keys) }
    }

    func testEachSharedKeyPicksTheRecipientsRow() throws {
        let fx = try PollerFixture()
        let (rows, token, _) = try sharedMail(fx)
        let b = try XCTUnwrap(rows["b@x.test"])
        XCTAssertEqual(try resolve(fx, TieBackKeys(trackingId: token, recipient: "B@x.test")), .tracking(b, via: .trackingId))
        XCTAssertEqual(try resolve(fx, TieBackKeys(verpToken: token, recipient: "b@x.test")), .tracking(b, via: .verpToken))
        XCTAssertEqual(try resolve(fx, TieBackKeys(envelopeId: token, recipient: "b@x.test")), .tracking(b, via: .envelopeId))
        // Without a recipient the shared token cannot choose among three rows: never a guess.
        guard case .unresolved = try resolve(fx, TieBackKeys(verpToken: token)) else {
            return XCTFail("a shared token without recipient resolved")
        }
        guard case .unresolved = try resolve(fx, TieBackKeys(verpToken: token, recipient: "z@x.test")) else {
            return XCTFail("a recipient outside the mail resolved")
        }
    }

    func testADsnForOneRecipientOfASharedMailLandsOnThatRecipientsRow() throws {
        let fx = try PollerFixture()
        // No Message-ID in the returned headers: only the shared token can tie this one back.
        let (rows, token, _) = try sharedMail(fx)
        // The bounce comes after the submission (the state rule orders events by time).
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let date = format.string(from: Date().addingTimeInterval(60))
        let dsn = """
            From: MAILER-DAEMON@mx.x.test (Mail Delivery System)
            To: bounce+\(token)@app.testhost.localdomain
            Subject: Undelivered Mail Returned to Sender
            Date: \(date)
            Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

            --B1
            Content-Type: text/plain

            I'm sorry to have to inform you that your message could not be delivered to one of its recipients.
            --B1
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.x.test
            Original-Envelope-Id: \(token)

            Final-Recipient: rfc822; b@x.test
            Original-Recipient: rfc822;b@x.test
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 <b@x.test>: Recipient address rejected: User unknown
            --B1
            Content-Type: text/rfc822-headers

            X-Chatter-Tracking-ID: \(token)
            To: a@x.test, b@x.test, c@x.test
            --B1--
            """
        let events = try DsnParser.parse(Array(dsn.replacingOccurrences(of: "\n", with: "\r\n").utf8), path: "dsn.eml")
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?.tieBack.trackingId, token)
        var report = PollReport()
        try fx.store.ingest { tx in
            for event in events { try IngestApplier.apply(event, in: tx, report: &report) }
        }
        XCTAssertEqual(report.unmatched, 0)
        XCTAssertEqual(try fx.store.tracking(id: try XCTUnwrap(rows["b@x.test"])).state, .bounced)
        XCTAssertEqual(try fx.store.tracking(id: try XCTUnwrap(rows["a@x.test"])).state, .sent)
        XCTAssertEqual(try fx.store.tracking(id: try XCTUnwrap(rows["c@x.test"])).state, .sent)
    }
}
