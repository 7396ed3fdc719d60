import DeliverySignals
import TrackingModel
import XCTest

final class SendGridEventsTests: XCTestCase {
    /// SendGrid's documented sample batch plus the rows it lacks.
    private let batchJSON = """
        [
         {"email":"j.doe@example.net","timestamp":1764071345,"event":"processed",
          "smtp-id":"<Kp3vX0aRQ2mS7nB1cD4eFg@geopod-ismtpd-3>","sg_event_id":"cHJvY2Vzc2VkLTQ1OTk3MjE",
          "sg_message_id":"Kp3vX0aRQ2mS7nB1cD4eFg.recvd-6d9c7b5d8-2xq7l-1-6744A1B2-12.0",
          "category":["invoice"],"tracking_id":"7f3c2a9e-41d5-4c1b-9a57-1d2e3f4a5b6c"},
         {"email":"j.doe@example.net","timestamp":1764071409,"event":"deferred","attempt":"1",
          "response":"451 4.7.1 Greylisted, please try again later","ip":"149.72.10.20",
          "sg_event_id":"ZGVmZXJyZWQtMS00NTk5NzIx","tracking_id":"7f3c2a9e-41d5-4c1b-9a57-1d2e3f4a5b6c"},
         {"email":"a.smith@example.org","timestamp":1764071411,"event":"bounce","type":"bounce",
          "bounce_classification":"Invalid Address","status":"5.1.1",
          "reason":"550 5.1.1 The email account that you tried to reach does not exist.","sg_event_id":"Ym91bmNlLTAtNDU5OTcyMi0x"},
         {"email":"k.lee@example.com","timestamp":1764071420,"event":"bounce","type":"blocked",
          "bounce_classification":"Reputation","status":"5.7.1",
          "reason":"554 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org","sg_event_id":"YmxvY2tlZC0wLTQ1OTk3MjM"},
         {"email":"old@example.net","timestamp":1764071346,"event":"dropped","reason":"Bounced Address",
          "status":"5.0.0","sg_event_id":"ZHJvcHBlZC0wLTQ1OTk3MjQ"},
         {"email":"j.doe@example.net","timestamp":1764075012,"event":"open","sg_machine_open":true,
          "ip":"17.58.101.4","useragent":"Mozilla/5.0","sg_event_id":"b3Blbi0wLTQ1OTk3MjU"},
         {"email":"j.doe@example.net","timestamp":1764075013,"event":"open","sg_machine_open":false,
          "ip":"66.249.84.1","useragent":"Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)","sg_event_id":"b3Blbi1n"},
         {"email":"j.doe@example.net","timestamp":1764075014,"event":"open",
          "ip":"203.0.113.50","useragent":"Mozilla/5.0 (X11; Linux x86_64) Thunderbird/128.0","sg_event_id":"b3Blbi1o"},
         {"email":"j.doe@example.net","timestamp":1764078230,"event":"click",
          "url":"https://shop.example.com/my/invoices/42","ip":"203.0.113.50","useragent":"Mozilla/5.0 (iPhone)",
          "sg_event_id":"Y2xpY2stMC00NTk5NzI2"},
         {"email":"j.doe@example.net","timestamp":1764078300,"event":"delivered","response":"250 2.0.0 OK","sg_event_id":"ZGVsaXZlcmVk"},
         {"email":"j.doe@example.net","timestamp":1764078400,"event":"spamreport","sg_event_id":"c3BhbQ"},
         {"email":"j.doe@example.net","timestamp":1764078500,"event":"unsubscribe","sg_event_id":"dW5zdWI"},
         {"email":"j.doe@example.net","timestamp":1764078600,"event":"group_unsubscribe","asm_group_id":7,"sg_event_id":"Z3VuYw"},
         {"email":"j.doe@example.net","timestamp":1764078700,"event":"group_resubscribe","asm_group_id":7,"sg_event_id":"Z3Jlcw"},
         {"email":"j.doe@example.net","event":"open","sg_event_id":"bm90aW1l"},
         "not an object"
        ]
        """

    private var batch: IngestBatch { SendGridEvents.parse(Array(batchJSON.utf8), path: "sg.json") }

    func testEveryEventMapsToItsRow() {
        XCTAssertEqual(
            batch.events.map(\.kind),
            [
                .event(.sent), .event(.deferral), .event(.hardBounce), .event(.softBounce), .event(.reject),
                .event(.open), .event(.open), .event(.open), .event(.click), .event(.delivered), .event(.spam),
                .event(.unsub), .event(.unsub), .ignored(.record(provider: "sendgrid", type: "group_resubscribe")),
            ])
        XCTAssertEqual(batch.quarantined.map(\.position), ["[14]", "[15]"])
    }

    func testFieldsAndTieBack() throws {
        let events = batch.events
        XCTAssertEqual(events[0].key, "cHJvY2Vzc2VkLTQ1OTk3MjE")
        XCTAssertEqual(events[0].tieBack.trackingId, "7f3c2a9e-41d5-4c1b-9a57-1d2e3f4a5b6c")
        XCTAssertEqual(events[0].tieBack.messageId, "Kp3vX0aRQ2mS7nB1cD4eFg@geopod-ismtpd-3")
        XCTAssertEqual(events[0].tieBack.providerMessageId, "Kp3vX0aRQ2mS7nB1cD4eFg")
        XCTAssertEqual(events[1].cause, .greylisted)
        XCTAssertEqual(events[1].status, "4.7.1")
        XCTAssertEqual(events[2].bounceType?.rawValue, "hard")
        XCTAssertEqual(events[2].cause, .userUnknown)
        XCTAssertEqual(events[2].details.errorType, "Invalid Address")
        XCTAssertEqual(events[3].bounceType?.rawValue, "soft")
        XCTAssertEqual(events[4].description, "Bounced Address")
        XCTAssertEqual(events[8].details.url, "https://shop.example.com/my/invoices/42")
        XCTAssertEqual(events[9].details.errorDetails, "250 2.0.0 OK")
    }

    func testMachineOpensFromTheFlagAndFromImageProxies() {
        let opens = batch.events.filter { $0.kind == .event(.open) }
        XCTAssertEqual(opens.map(\.machine), [true, true, false])
        XCTAssertTrue(MachineOpen.isMachine(userAgent: nil, ip: "17.58.1.1", providerFlag: nil, networks: ["17."]))
        XCTAssertFalse(MachineOpen.isMachine(userAgent: "Mozilla/5.0 (X11)", ip: "203.0.113.1", providerFlag: false))
    }
}
