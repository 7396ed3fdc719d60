import DeliverySignals
import TrackingModel
import XCTest

final class MailgunEventsTests: XCTestCase {
    /// An `event-data` object shaped like Mailgun's documented one, with the fields a test changes.
    private func eventData(_ event: String, extra: String = "") -> String {
        """
        {"id":"Xq3nT0pKS1mWz9bY4cVd2A","timestamp":1764071350.912345,"event":"\(event)",
         "recipient":"J.Doe@example.net",
         "message":{"headers":{"message-id":"20251125114910.1.7F3C2A9E41D54C1B@mg.shop.example.com","to":"j.doe@example.net"}},
         "user-variables":{"tracking_id":"7f3c2a9e-41d5-4c1b-9a57-1d2e3f4a5b6c","db":"prod"}\(extra)}
        """
    }

    private func one(_ json: String, file: StaticString = #filePath, line: UInt = #line) throws -> ParsedEvent {
        let batch = MailgunEvents.parse(Array(json.utf8), path: "mg.json")
        XCTAssertEqual(batch.quarantined, [], file: file, line: line)
        XCTAssertEqual(batch.events.count, 1, file: file, line: line)
        return try XCTUnwrap(batch.events.first, file: file, line: line)
    }

    func testWebhookFailedPermanentIsHardBounce() throws {
        let body = """
            {"signature":{"timestamp":"1764071351","token":"a8c1f0e2","signature":"5f95"},
             "event-data":\(eventData("failed", extra: #","severity":"permanent","reason":"bounce","delivery-status":{"code":550,"message":"5.1.1 The email account that you tried to reach does not exist.","description":"","mx-host":"mx1.example.net"}"#))}
            """
        let event = try one(body)
        XCTAssertEqual(event.source.rawValue, "mailgun")
        XCTAssertEqual(event.kind, .event(.hardBounce))
        XCTAssertEqual(event.recipient, "j.doe@example.net")
        XCTAssertEqual(event.status, "5.1.1")
        XCTAssertEqual(event.bounceType?.rawValue, "hard")
        XCTAssertEqual(event.cause, .userUnknown)
        XCTAssertEqual(event.description, "5.1.1 The email account that you tried to reach does not exist.")
        XCTAssertEqual(event.details.smtpServer, "mx1.example.net")
        XCTAssertEqual(event.details.errorType, "550")
        XCTAssertEqual(event.tieBack.trackingId, "7f3c2a9e-41d5-4c1b-9a57-1d2e3f4a5b6c")
        XCTAssertEqual(event.tieBack.messageId, "20251125114910.1.7F3C2A9E41D54C1B@mg.shop.example.com")
        XCTAssertEqual(event.key, "Xq3nT0pKS1mWz9bY4cVd2A|failed|j.doe@example.net|1764071350.912345")
        XCTAssertEqual(event.timestamp, 1_764_071_350.912345, accuracy: 0.000001)
    }

    func testFailedTemporaryIsDeferral() throws {
        let event = try one(eventData("failed", extra: #","severity":"temporary","reason":"greylisted","delivery-status":{"code":450,"message":"","description":"Recipient address rejected: Greylisted","attempt-no":3}"#))
        XCTAssertEqual(event.kind, .event(.deferral))
        XCTAssertNil(event.bounceType)
        XCTAssertEqual(event.cause, .greylisted)
    }

    func testEachMappingRow() throws {
        let rows: [(String, String, ParsedEvent.Kind)] = [
            ("accepted", "", .event(.sent)),
            ("delivered", #","delivery-status":{"code":250,"message":"OK"}"#, .event(.delivered)),
            ("rejected", #","reject":{"reason":"Sandbox subdomains are for test purposes only.","description":""}"#, .event(.reject)),
            ("opened", #","ip":"203.0.113.50","client-info":{"user-agent":"Mozilla/5.0 (X11)","client-os":"Linux","device-type":"desktop"}"#, .event(.open)),
            ("clicked", #","url":"https://shop.example.com/x","ip":"203.0.113.50""#, .event(.click)),
            ("unsubscribed", "", .event(.unsub)),
            ("complained", "", .event(.spam)),
            ("stored", "", .ignored(.record(provider: "mailgun", type: "stored"))),
        ]
        for (name, extra, kind) in rows {
            XCTAssertEqual(try one(eventData(name, extra: extra)).kind, kind, name)
        }
        let reject = try one(eventData("rejected", extra: #","reject":{"reason":"Sandbox only","description":"d"}"#))
        XCTAssertEqual(reject.description, "Sandbox only")
        XCTAssertEqual(reject.details.errorType, "rejected")
        let click = try one(eventData("clicked", extra: #","url":"https://shop.example.com/x""#))
        XCTAssertEqual(click.details.url, "https://shop.example.com/x")
        let open = try one(eventData("opened", extra: #","ip":"1.2.3.4","client-info":{"user-agent":"Mozilla/5.0","device-type":"mobile"},"geolocation":{"country":"DE"}"#))
        XCTAssertTrue(open.machine, "Apple MPP's bare user agent")
        XCTAssertEqual(open.details.mobile, true)
        XCTAssertEqual(open.details.country, "DE")
    }

    func testRejectedWithoutRecipientUsesTheToHeader() throws {
        let json = #"{"id":"r1","timestamp":1764071350,"event":"rejected","message":{"headers":{"to":"Someone <Some.One@example.org>"}}}"#
        XCTAssertEqual(try one(json).recipient, "some.one@example.org")
    }

    func testEventsApiPageReturnsNextUrlAndQuarantinesBadItems() {
        let page = """
            {"items":[\(eventData("delivered")), {"event":"opened"}, 42, \(eventData("clicked"))],
             "paging":{"next":"https://api.mailgun.net/v3/mg.example.com/events/W3siYiI6","first":"f"}}
            """
        let batch = MailgunEvents.parse(Array(page.utf8), path: "page.json")
        XCTAssertEqual(batch.events.map(\.kind), [.event(.delivered), .event(.click)])
        XCTAssertEqual(batch.nextPage, "https://api.mailgun.net/v3/mg.example.com/events/W3siYiI6")
        XCTAssertEqual(batch.quarantined.map(\.position), ["items[1]", "items[2]"])
        XCTAssertEqual(batch.quarantined.map(\.reason), ["missing or bad timestamp", "item is not an object"])
    }

    func testMalformedDocumentIsQuarantined() {
        let batch = MailgunEvents.parse(Array(#"{"signature": {"#.utf8), path: "bad.json")
        XCTAssertEqual(batch.events.count, 0)
        XCTAssertEqual(batch.quarantined.map(\.reason), ["not JSON"])
        XCTAssertEqual(batch.quarantined.first?.source, "mailgun")
    }
}
