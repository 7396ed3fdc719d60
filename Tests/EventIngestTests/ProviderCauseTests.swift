import DeliverySignals
import EventIngest
import Foundation
import TrackingModel
import XCTest

/// Provider records keep their own classification first (SES sub-types, SendGrid
/// classifications, Mailgun severity / reason); code and text decide only where
/// the provider says nothing more.
final class ProviderCauseTests: XCTestCase {
    private func one(_ batch: IngestBatch, file: StaticString = #filePath, line: UInt = #line) throws -> ParsedEvent {
        XCTAssertEqual(batch.quarantined, [], file: file, line: line)
        XCTAssertEqual(batch.events.count, 1, file: file, line: line)
        return try XCTUnwrap(batch.events.first, file: file, line: line)
    }

    private let sesMail = #""mail":{"timestamp":"2025-11-25T12:13:58.402Z","messageId":"m-1","destination":["a@example.org"]}"#

    private func sesBounce(_ type: String, _ subType: String, status: String, text: String) throws -> ParsedEvent {
        let json = #"{"eventType":"Bounce","bounce":{"bounceType":"\#(type)","bounceSubType":"\#(subType)","bouncedRecipients":[{"emailAddress":"a@example.org","status":"\#(status)","diagnosticCode":"smtp; \#(text)"}],"timestamp":"2025-11-25T12:14:03.118Z","feedbackId":"fb"},\#(sesMail)}"#
        return try one(SesEvents.parse(Array(json.utf8), path: "ses.json"))
    }

    func testSesSubTypesNameTheCause() throws {
        let rows: [(String, String, String, String, EventType, FailureCause)] = [
            ("Permanent", "NoEmail", "5.0.0", "550 rejected", .hardBounce, .userUnknown),
            ("Permanent", "General", "5.7.1", "554 5.7.1 blocked using zen.spamhaus.org", .softBounce, .blocked),
            ("Permanent", "General", "5.1.1", "550 5.1.1 no such user", .hardBounce, .userUnknown),
            ("Permanent", "General", "5.0.0", "550 nope", .hardBounce, .userUnknown),
            ("Transient", "MailboxFull", "5.0.0", "550 nope", .softBounce, .mailboxFull),
            ("Transient", "MessageTooLarge", "5.0.0", "552 nope", .softBounce, .tooLarge),
            ("Transient", "ContentRejected", "5.7.1", "550 5.7.1 message looks like spam", .softBounce, .spamContent),
            ("Transient", "AttachmentRejected", "5.7.1", "550 attachment refused", .softBounce, .filtered),
            ("Transient", "General", "4.4.7", "451 4.4.7 message expired", .softBounce, .expired),
            ("Undetermined", "Undetermined", "5.1.1", "550 5.1.1 user unknown", .softBounce, .other),
        ]
        for (type, subType, status, text, event, cause) in rows {
            let e = try sesBounce(type, subType, status: status, text: text)
            XCTAssertEqual(e.kind, .event(event), "\(type)/\(subType)")
            XCTAssertEqual(e.cause, cause, "\(type)/\(subType)")
        }
    }

    func testSesDelayTypeNamesTheCause() throws {
        let json = #"{"eventType":"DeliveryDelay","deliveryDelay":{"delayType":"IPFailure","delayedRecipients":[{"emailAddress":"a@example.org","status":"4.0.0","diagnosticCode":"smtp; 421 try later"}],"timestamp":"2025-11-25T12:14:03.118Z"},\#(sesMail)}"#
        let e = try one(SesEvents.parse(Array(json.utf8), path: "ses.json"))
        XCTAssertEqual(e.kind, .event(.deferral))
        XCTAssertEqual(e.cause, .blocked)
    }

    func testSesInsideSnsWithoutItsOwnTimestampTakesTheEnvelopes() throws {
        let record = #"{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"NoEmail","bouncedRecipients":[{"emailAddress":"a@example.org"}],"feedbackId":"fb"},"mail":{"messageId":"m-1","destination":["a@example.org"]}}"#
        let envelope: [String: Any] = [
            "Type": "Notification", "MessageId": "sns-1", "Message": record, "Timestamp": "2025-11-25T12:14:03.561Z",
        ]
        let data = try JSONSerialization.data(withJSONObject: envelope)
        let e = try one(SesEvents.parse(Array(data), path: "sns.json"))
        XCTAssertEqual(e.timestamp, 1_764_072_843.561, accuracy: 0.001)
        XCTAssertEqual(e.cause, .userUnknown)
    }

    private func sendGrid(_ fields: String) throws -> ParsedEvent {
        let json = #"[{"email":"a@example.org","timestamp":1764072843,"event":"bounce","sg_event_id":"e1",\#(fields)}]"#
        return try one(SendGridEvents.parse(Array(json.utf8), path: "sg.json"))
    }

    func testSendGridClassificationNamesTheCause() throws {
        let rows: [(String, EventType, FailureCause)] = [
            (#""bounce_classification":"Invalid Address","type":"bounce","reason":"550 5.1.1 unknown","status":"5.1.1""#, .hardBounce, .userUnknown),
            (#""bounce_classification":"Reputation","type":"blocked","reason":"550 5.7.1 rejected","status":"5.7.1""#, .softBounce, .blocked),
            (#""bounce_classification":"Content","type":"bounce","reason":"550 5.7.1 rejected","status":"5.7.1""#, .softBounce, .spamContent),
            (#""bounce_classification":"Frequency or Volume","type":"blocked","reason":"421 slow down","status":"4.7.0""#, .softBounce, .rateLimited),
            (#""bounce_classification":"Mailbox Unavailable","type":"bounce","reason":"552 5.2.2 mailbox full","status":"5.2.2""#, .softBounce, .mailboxFull),
            (#""bounce_classification":"Mailbox Unavailable","type":"bounce","reason":"550 unavailable","status":"5.0.0""#, .softBounce, .suspended),
            (#""bounce_classification":"Technical","type":"bounce","reason":"554 5.3.0 internal error","status":"5.3.0""#, .softBounce, .systemError),
            (#""bounce_classification":"Unclassified","type":"bounce","reason":"550 5.1.1 no such user","status":"5.1.1""#, .hardBounce, .userUnknown),
            (#""type":"blocked","reason":"554 5.7.1 SPF fail","status":"5.7.1""#, .softBounce, .auth),
            (#""type":"bounce","reason":"554 5.7.1 listed at spamhaus","status":"5.7.1""#, .softBounce, .blocked),
        ]
        for (fields, event, cause) in rows {
            let e = try sendGrid(fields)
            XCTAssertEqual(e.kind, .event(event), fields)
            XCTAssertEqual(e.cause, cause, fields)
        }
    }

    private func mailgun(_ fields: String) throws -> ParsedEvent {
        let json = #"{"event-data":{"event":"failed","id":"f1","timestamp":1764072843.1,"recipient":"a@example.org",\#(fields),"message":{"headers":{"message-id":"m1@x.test"}}}}"#
        return try one(MailgunEvents.parse(Array(json.utf8), path: "mg.json"))
    }

    func testMailgunSeverityReasonAndDeliveryStatus() throws {
        let rows: [(String, EventType, FailureCause)] = [
            (#""severity":"permanent","reason":"bounce","delivery-status":{"code":550,"message":"5.1.1 no such user"}"#, .hardBounce, .userUnknown),
            (#""severity":"permanent","reason":"bounce","delivery-status":{"code":554,"message":"5.7.1 rejected as spam"}"#, .softBounce, .spamContent),
            (#""severity":"temporary","reason":"generic","delivery-status":{"code":452,"message":"4.2.2 mailbox full"}"#, .deferral, .mailboxFull),
            (#""severity":"temporary","reason":"greylisted","delivery-status":{"code":451,"message":"try again"}"#, .deferral, .greylisted),
            (#""severity":"permanent","reason":"suppress-bounce","delivery-status":{"code":605,"message":"Not delivering to previously bounced address"}"#, .reject, .userUnknown),
            (#""severity":"permanent","reason":"suppress-complaint","delivery-status":{"code":607,"message":"complained"}"#, .reject, .onHold),
            (#""severity":"permanent","reason":"old","delivery-status":{"code":421,"message":"too old"}"#, .softBounce, .expired),
            (#""severity":"permanent","reason":"espblock","delivery-status":{"code":550,"message":"denied"}"#, .softBounce, .blocked),
        ]
        for (fields, event, cause) in rows {
            let e = try mailgun(fields)
            XCTAssertEqual(e.kind, .event(event), fields)
            XCTAssertEqual(e.cause, cause, fields)
        }
    }

    func testMailgunEventOfAKindWeDoNotTrackIsIgnoredAndTheFileGoesOn() throws {
        let page = #"{"items":[{"event":"stored","id":"s1","timestamp":1764072843.1,"storage":{"url":"https://x"}},{"event":"failed","id":"f1","timestamp":1764072844.1,"recipient":"b@example.org","severity":"permanent","delivery-status":{"code":550,"message":"5.1.1 unknown user"}}],"paging":{}}"#
        let batch = MailgunEvents.parse(Array(page.utf8), path: "page.json")
        XCTAssertEqual(batch.quarantined, [])
        XCTAssertEqual(batch.events.map(\.kind), [.ignored(.record(provider: "mailgun", type: "stored")), .event(.hardBounce)])
    }

    func testJsonLinesCauseField() throws {
        let lines = """
            {"type":"soft_bounce","timestamp":1,"tracking_id":"t","cause":"blocked"}
            {"type":"deferral","timestamp":2,"tracking_id":"t","description":"421 4.7.0 rate limit exceeded"}
            {"type":"hard_bounce","timestamp":3,"tracking_id":"t"}
            {"type":"soft_bounce","timestamp":4,"tracking_id":"t","reason":"mailbox-full"}
            {"type":"soft_bounce","timestamp":5,"tracking_id":"t","cause":"nonsense"}
            """
        let batch = JsonLinesEvents.parse(Array(lines.utf8), path: "x.jsonl")
        XCTAssertEqual(batch.events.map(\.cause), [.blocked, .rateLimited, .userUnknown, .mailboxFull])
        XCTAssertEqual(batch.quarantined.map(\.reason), ["unknown cause nonsense"])
    }

    func testDryRunJsonCarriesCauseSideAndReason() throws {
        var event = ParsedEvent(
            source: .jsonLines, path: "x", kind: .event(.softBounce), key: "k", timestamp: 0, recipient: "a@example.org",
            finalRecipient: "b@example.net")
        event.cause = .blocked
        let object = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(DryRunJSON.line(for: event).utf8)) as? [String: Any])
        XCTAssertEqual(object["reason"] as? String, "blocked")
        XCTAssertEqual(object["cause"] as? String, "blocked")
        XCTAssertEqual(object["side"] as? String, "sender")
        XCTAssertEqual(object["final_recipient"] as? String, "b@example.net")
    }
}
