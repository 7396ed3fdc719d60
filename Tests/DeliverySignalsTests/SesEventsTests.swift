import DeliverySignals
import Foundation
import TrackingModel
import XCTest

final class SesEventsTests: XCTestCase {
    private let mail = """
        "mail":{"timestamp":"2025-11-25T12:13:58.402Z","source":"billing@shop.example.com",
         "messageId":"0102019ab3c4c1f2-7d6e5f4a-000000","destination":["full@example.org","two@example.org"],
         "headersTruncated":false,
         "headers":[{"name":"Message-ID","value":"<20251125.3@app.shop.example.com>"},{"name":"X-Tracking-ID","value":"5d1e8a20"}],
         "commonHeaders":{"messageId":"<ses-rewritten@eu-west-1.amazonses.com>"},
         "tags":{"ses:configuration-set":["tracking"],"tracking_id":["from-tag"]}}
        """

    private func record(_ type: String, _ body: String) -> String {
        "{\"eventType\":\"\(type)\"\(body.isEmpty ? "" : ",")\(body),\(mail)}"
    }

    private func events(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> [ParsedEvent] {
        let batch = SesEvents.parse(Array(json.utf8), path: "ses.json")
        XCTAssertEqual(batch.quarantined, [], file: file, line: line)
        return batch.events
    }

    /// Wraps a record in an SNS notification envelope (its Message is the record as a string).
    private func sns(_ record: String, id: String = "4b2f0c8e-6a1d-5e3f-9b7a-2c1d0e9f8a7b") throws -> String {
        let envelope: [String: Any] = [
            "Type": "Notification", "MessageId": id, "TopicArn": "arn:aws:sns:eu-west-1:123456789012:ses-events-prod",
            "Message": record, "Timestamp": "2025-11-25T12:14:03.561Z", "SignatureVersion": "2",
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: envelope), as: UTF8.self)
    }

    func testBouncePermanentTransientAndSuppressed() {
        let permanent = events(record("Bounce", #""bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"Full@example.org","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"timestamp":"2025-11-25T12:14:03.118Z","feedbackId":"fb-1","reportingMTA":"dns; b224-13.smtp-out.eu-west-1.amazonses.com"}"#))
        XCTAssertEqual(permanent.count, 1)
        XCTAssertEqual(permanent[0].kind, .event(.hardBounce))
        XCTAssertEqual(permanent[0].recipient, "full@example.org")
        XCTAssertEqual(permanent[0].bounceType?.rawValue, "hard")
        XCTAssertEqual(permanent[0].cause, .userUnknown)
        XCTAssertEqual(permanent[0].description, "550 5.1.1 user unknown")
        XCTAssertEqual(permanent[0].details.errorType, "Permanent/General")
        XCTAssertEqual(permanent[0].details.smtpServer, "b224-13.smtp-out.eu-west-1.amazonses.com")
        XCTAssertEqual(permanent[0].key, "fb-1|full@example.org")
        XCTAssertEqual(permanent[0].timestamp, 1_764_072_843.118, accuracy: 0.001)
        XCTAssertEqual(permanent[0].tieBack.providerMessageId, "0102019ab3c4c1f2-7d6e5f4a-000000")
        XCTAssertEqual(permanent[0].tieBack.trackingId, "5d1e8a20", "the tracking header wins over the tag")
        XCTAssertEqual(permanent[0].tieBack.messageId, "20251125.3@app.shop.example.com", "the submitted Message-ID")

        let transient = events(record("Bounce", #""bounce":{"bounceType":"Transient","bounceSubType":"MailboxFull","bouncedRecipients":[{"emailAddress":"full@example.org","status":"5.2.2","diagnosticCode":"smtp; 552 5.2.2 Mailbox full"}],"timestamp":"2025-11-25T12:14:03.118Z","feedbackId":"fb-2"}"#))
        XCTAssertEqual(transient.map(\.kind), [.event(.softBounce)])
        XCTAssertEqual(transient[0].cause, .mailboxFull)

        for (subType, cause) in [("Suppressed", FailureCause.userUnknown), ("OnAccountSuppressionList", .onHold)] {
            let suppressed = events(record("Bounce", "\"bounce\":{\"bounceType\":\"Permanent\",\"bounceSubType\":\"\(subType)\",\"bouncedRecipients\":[{\"emailAddress\":\"full@example.org\"}],\"feedbackId\":\"fb-3\"}"))
            XCTAssertEqual(suppressed.map(\.kind), [.event(.reject)], subType)
            XCTAssertEqual(suppressed[0].cause, cause, subType)
        }
    }

    func testComplaintDeliveryDelayAndOthersFanOutPerRecipient() {
        let complaint = events(record("Complaint", #""complaint":{"complainedRecipients":[{"emailAddress":"full@example.org"}],"timestamp":"2025-11-26T08:40:12Z","feedbackId":"c-1","complaintFeedbackType":"abuse"}"#))
        XCTAssertEqual(complaint.map(\.kind), [.event(.spam)])
        let notSpam = events(record("Complaint", #""complaint":{"complainedRecipients":[{"emailAddress":"full@example.org"}],"feedbackId":"c-2","complaintFeedbackType":"not-spam"}"#))
        XCTAssertEqual(notSpam.map(\.kind), [.ignored(.complaintNotSpam)])

        let delivery = events(record("Delivery", #""delivery":{"timestamp":"2025-11-25T12:14:05Z","recipients":["full@example.org","two@example.org"],"smtpResponse":"250 2.6.0 Message received","reportingMTA":"a8-1.smtp-out.amazonses.com"}"#))
        XCTAssertEqual(delivery.map(\.kind), [.event(.delivered), .event(.delivered)])
        XCTAssertEqual(delivery.map(\.recipient), ["full@example.org", "two@example.org"])
        XCTAssertEqual(delivery[0].details.errorDetails, "250 2.6.0 Message received")
        XCTAssertEqual(delivery[0].key, "0102019ab3c4c1f2-7d6e5f4a-000000|Delivery|full@example.org|1764072845.0")

        let delay = events(record("DeliveryDelay", #""deliveryDelay":{"timestamp":"2025-11-25T12:23:58.095Z","delayType":"TransientCommunicationFailure","expirationTime":"2025-11-26T02:13:58.914Z","delayedRecipients":[{"emailAddress":"slow@example.com","status":"4.4.1","diagnosticCode":"smtp; 421 4.4.1 Unable to connect to remote host"}]}"#))
        XCTAssertEqual(delay.map(\.kind), [.event(.deferral)])
        XCTAssertEqual(delay[0].status, "4.4.1")
        XCTAssertEqual(delay[0].details.errorType, "TransientCommunicationFailure")

        let open = events(record("Open", #""open":{"ipAddress":"66.249.84.1","timestamp":"2025-11-25T13:00:00Z","userAgent":"Mozilla/5.0 (via ggpht.com GoogleImageProxy)"}"#))
        XCTAssertEqual(open.map(\.kind), [.event(.open), .event(.open)], "every destination")
        XCTAssertTrue(open.allSatisfy(\.machine))
        let click = events(record("Click", #""click":{"ipAddress":"203.0.113.50","timestamp":"2025-11-25T13:01:00Z","userAgent":"Mozilla/5.0 (X11)","link":"https://shop.example.com/a"}"#))
        XCTAssertEqual(click.first?.details.url, "https://shop.example.com/a")
        XCTAssertEqual(click.first?.machine, false)
        let reject = events(record("Reject", #""reject":{"reason":"Bad content"}"#))
        XCTAssertEqual(reject.map(\.kind), [.event(.reject), .event(.reject)])
        XCTAssertEqual(reject.first?.description, "Bad content")
        XCTAssertEqual(events(record("Send", #""send":{}"#)).map(\.kind), [.event(.sent), .event(.sent)])
        XCTAssertEqual(
            events(record("Rendering Failure", #""failure":{"templateName":"t","errorMessage":"Attribute 'x' is not present"}"#)).first?.kind,
            .event(.error))
        XCTAssertEqual(
            events(record("Subscription", #""subscription":{"newTopicPreferences":{"unsubscribeAll":true}}"#)).first?.kind,
            .event(.unsub))
    }

    func testNotificationTypeOfIdentityFeedback() {
        let json = "{\"notificationType\":\"Delivery\",\"delivery\":{\"timestamp\":\"2025-11-25T12:14:05Z\",\"recipients\":[\"full@example.org\"]},\(mail)}"
        XCTAssertEqual(events(json).map(\.kind), [.event(.delivered)])
    }

    func testInsideSnsEnvelopeKeyedBySnsMessageId() throws {
        let inner = record("Bounce", #""bounce":{"bounceType":"Transient","bounceSubType":"MailboxFull","bouncedRecipients":[{"emailAddress":"full@example.org","status":"5.2.2","diagnosticCode":"smtp; 552 5.2.2 Mailbox full"}],"timestamp":"2025-11-25T12:14:03.118Z","feedbackId":"fb-9"}"#)
        let parsed = events(try sns(inner))
        XCTAssertEqual(parsed.map(\.kind), [.event(.softBounce)])
        XCTAssertEqual(parsed.first?.key, "4b2f0c8e-6a1d-5e3f-9b7a-2c1d0e9f8a7b|full@example.org")
        XCTAssertEqual(parsed.first?.tieBack.trackingId, "5d1e8a20")
        let confirmation = #"{"Type":"SubscriptionConfirmation","MessageId":"m1","Message":"You have chosen to subscribe","SubscribeURL":"https://sns.example/x"}"#
        XCTAssertEqual(events(confirmation).map(\.kind), [.ignored(.record(provider: "sns", type: "SubscriptionConfirmation"))])
    }

    func testBrokenRecordsAreQuarantinedWithTheirLine() throws {
        let lines = [
            record("Delivery", #""delivery":{"timestamp":"2025-11-25T12:14:05Z","recipients":["a@example.org"]}"#)
                .replacingOccurrences(of: "\n", with: ""),
            #"{"Type":"Notification","MessageId":"m2","Message":"{not json"}"#,
            #"{"eventType":"Bounce"}"#,
            "{oops",
        ].joined(separator: "\n")
        let batch = SesEvents.parse(Array(lines.utf8), path: "firehose.jsonl")
        XCTAssertEqual(batch.events.map(\.kind), [.event(.delivered)])
        XCTAssertEqual(batch.quarantined.map(\.position), ["line 2", "line 3", "line 4"])
        XCTAssertEqual(batch.quarantined.map(\.reason), ["SNS Message is not a JSON object", "missing mail", "not JSON"])
    }
}
