import DeliverySignals
import TrackingModel
import XCTest

final class PostmarkEventsTests: XCTestCase {
    private func one(_ json: String, file: StaticString = #filePath, line: UInt = #line) throws -> ParsedEvent {
        let batch = PostmarkEvents.parse(Array(json.utf8), path: "pm.json")
        XCTAssertEqual(batch.quarantined, [], file: file, line: line)
        return try XCTUnwrap(batch.events.first, file: file, line: line)
    }

    private func bounce(_ type: String) -> String {
        """
        {"RecordType":"Bounce","ID":4323372036,"Type":"\(type)","TypeCode":1,"MessageID":"9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
         "Description":"The server was unable to deliver your message (ex: unknown user, mailbox not found).",
         "Details":"smtp;550 5.1.1 The email account that you tried to reach does not exist.",
         "Email":"A.Smith@example.org","BouncedAt":"2025-11-25T12:14:09.5527801Z",
         "Metadata":{"tracking_id":"0b8e6d1c-22aa-4e0f-8d3b-5c6d7e8f9a01"}}
        """
    }

    func testEveryBounceTypeRow() throws {
        // The fixture's text says "does not exist": types that name their own cause keep it.
        let rows: [(String, ParsedEvent.Kind, FailureCause?)] = [
            ("HardBounce", .event(.hardBounce), .userUnknown), ("BadEmailAddress", .event(.hardBounce), .userUnknown),
            ("AddressChange", .event(.hardBounce), .hasMoved),
            ("SoftBounce", .event(.softBounce), .other), ("Unknown", .event(.softBounce), .other),
            ("Transient", .event(.deferral), .userUnknown), ("DnsError", .event(.deferral), .network),
            ("Blocked", .event(.softBounce), .blocked), ("DMARCPolicy", .event(.softBounce), .auth),
            ("SpamNotification", .event(.softBounce), .spamContent), ("VirusNotification", .event(.softBounce), .virus),
            ("ManuallyDeactivated", .event(.reject), .onHold), ("Unsubscribe", .event(.unsub), nil),
            ("SMTPApiError", .event(.error), .syntaxError), ("TemplateRenderingFailed", .event(.error), .contentError),
            ("AutoResponder", .ignored(.autoReply), nil),
            ("ChallengeVerification", .ignored(.record(provider: "postmark", type: "ChallengeVerification")), nil),
            ("OpenRelayTest", .ignored(.record(provider: "postmark", type: "OpenRelayTest")), nil),
            ("Subscribe", .ignored(.record(provider: "postmark", type: "Subscribe")), nil),
            ("InboundError", .ignored(.record(provider: "postmark", type: "InboundError")), nil),
        ]
        for (type, kind, cause) in rows {
            let event = try one(bounce(type))
            XCTAssertEqual(event.kind, kind, type)
            XCTAssertEqual(event.cause, cause, type)
        }
        let hard = try one(bounce("HardBounce"))
        XCTAssertEqual(hard.recipient, "a.smith@example.org")
        XCTAssertEqual(hard.bounceType?.rawValue, "hard")
        XCTAssertEqual(hard.status, "5.1.1")
        XCTAssertEqual(hard.cause, .userUnknown)
        XCTAssertEqual(hard.key, "4323372036")
        XCTAssertEqual(hard.tieBack.providerMessageId, "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b")
        XCTAssertEqual(hard.tieBack.trackingId, "0b8e6d1c-22aa-4e0f-8d3b-5c6d7e8f9a01")
        XCTAssertEqual(hard.timestamp, 1_764_072_849.5527801, accuracy: 0.00001)
    }

    func testDeliveryOpenClickComplaintAndSubscriptionChange() throws {
        let delivery = try one(#"{"RecordType":"Delivery","MessageID":"3f9c","Recipient":"j.doe@example.net","DeliveredAt":"2025-11-25T12:14:07.1234567Z","Details":"smtp;250 2.0.0 OK","Metadata":{"tracking_id":"7f3c"}}"#)
        XCTAssertEqual(delivery.kind, .event(.delivered))
        XCTAssertEqual(delivery.key, "3f9c|j.doe@example.net|Delivery")
        XCTAssertEqual(delivery.tieBack.trackingId, "7f3c")

        let open = try one(#"{"RecordType":"Open","FirstOpen":true,"MessageID":"3f9c","Recipient":"j.doe@example.net","ReceivedAt":"2016-04-27T16:28:50.3963933-04:00","Platform":"Mobile","UserAgent":"Mozilla/5.0 (iPhone)","Client":{"Family":"Apple Mail"},"OS":{"Family":"iOS"},"Geo":{"CountryISOCode":"DE","IP":"203.0.113.50"}}"#)
        XCTAssertEqual(open.kind, .event(.open))
        XCTAssertFalse(open.machine)
        XCTAssertEqual(open.details.ip, "203.0.113.50")
        XCTAssertEqual(open.details.mobile, true)
        XCTAssertEqual(open.details.uaFamily, "Apple Mail")
        XCTAssertEqual(open.details.osFamily, "iOS")
        XCTAssertEqual(open.details.country, "DE")
        XCTAssertEqual(open.timestamp, 1_461_788_930.3963933, accuracy: 0.00001, "offset -04:00 applied")
        XCTAssertEqual(open.key, "3f9c|j.doe@example.net|2016-04-27T16:28:50.3963933-04:00")

        let click = try one(#"{"RecordType":"Click","OriginalLink":"https://shop.example.com/my/invoices/42","MessageID":"3f9c","Recipient":"j.doe@example.net","ReceivedAt":"2025-11-25T13:03:10.7730012Z","Platform":"Desktop","UserAgent":"Mozilla/5.0 (Macintosh)"}"#)
        XCTAssertEqual(click.kind, .event(.click))
        XCTAssertEqual(click.details.url, "https://shop.example.com/my/invoices/42")
        XCTAssertTrue(click.key.hasSuffix("|https://shop.example.com/my/invoices/42"))

        let complaint = try one(#"{"RecordType":"SpamComplaint","ID":4323372999,"Type":"SpamComplaint","MessageID":"3f9c","Email":"j.doe@example.net","BouncedAt":"2025-11-26T08:40:12.0000000Z","Details":""}"#)
        XCTAssertEqual(complaint.kind, .event(.spam))
        XCTAssertEqual(complaint.key, "4323372999")

        let manual = try one(#"{"RecordType":"SubscriptionChange","MessageID":"3f9c","ChangedAt":"2025-11-26T09:00:00Z","Recipient":"j.doe@example.net","SuppressSending":true,"SuppressionReason":"ManualSuppression"}"#)
        XCTAssertEqual(manual.kind, .event(.unsub))
        XCTAssertEqual(manual.key, "3f9c|j.doe@example.net|2025-11-26T09:00:00Z|true")
        let covered = try one(#"{"RecordType":"SubscriptionChange","MessageID":"3f9c","ChangedAt":"2025-11-26T09:00:00Z","Recipient":"j.doe@example.net","SuppressSending":true,"SuppressionReason":"HardBounce"}"#)
        XCTAssertEqual(covered.kind, .ignored(.suppression(reason: "HardBounce")))
        let resubscribed = try one(#"{"RecordType":"SubscriptionChange","MessageID":"3f9c","ChangedAt":"2025-11-27T09:00:00Z","Recipient":"j.doe@example.net","SuppressSending":false}"#)
        XCTAssertEqual(resubscribed.kind, .ignored(.resubscribed))
    }

    func testMissingFieldsAreQuarantined() {
        let batch = PostmarkEvents.parse(
            Array(#"[{"RecordType":"Bounce","Type":"HardBounce"},{"Recipient":"x@y.z"},{"RecordType":"Open","MessageID":"m"}]"#.utf8),
            path: "pm.json")
        XCTAssertEqual(batch.events.count, 0)
        XCTAssertEqual(batch.quarantined.map(\.position), ["[0]", "[1]", "[2]"])
        XCTAssertEqual(batch.quarantined.map(\.reason), ["missing ID", "missing RecordType", "missing or bad ReceivedAt"])
    }
}
