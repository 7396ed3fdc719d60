import DeliverySignals
import TrackingModel
import XCTest

final class JsonLinesEventsTests: XCTestCase {
    func testLinesParseAndBadLinesAreQuarantinedWithLineNumbers() {
        let text = """
            # exported from the shop
            {"type":"hard_bounce","timestamp":"2026-11-25T11:49:10Z","tracking_id":"7f3c","recipient":"Bad@Example.net","status":"5.1.1","description":"550 5.1.1 no such user"}
            {"type":"open","timestamp":1795607400,"tracking_id":"7f3c","ip":"203.0.113.50","user_agent":"Mozilla/5.0 (X11; Linux x86_64)","key":"pixel-42"}

            {"type":"open","timestamp":"1795607401.5","message_id":"<m1@x>","user_agent":"GoogleImageProxy"}
            {"type":"click","timestamp":1795607402,"tracking_id":"7f3c","url":"https://x.example/a","machine":true}
            {"type":"hard-bounce","timestamp":1795607403,"tracking_id":"7f3c","bounce_type":"hard","reason":"policy"}
            {"type":"bogus","timestamp":1}
            {"type":"sent"}
            [1,2]
            {"type":"retry","timestamp":1}
            """
        let batch = JsonLinesEvents.parse(Array(text.utf8), path: "events.jsonl")
        XCTAssertEqual(batch.events.map(\.kind), [.event(.hardBounce), .event(.open), .event(.open), .event(.click), .event(.hardBounce)])
        let bounce = batch.events[0]
        XCTAssertEqual(bounce.source.rawValue, "jsonl")
        XCTAssertEqual(bounce.recipient, "bad@example.net")
        XCTAssertEqual(bounce.bounceType?.rawValue, "hard")
        XCTAssertEqual(bounce.cause, .userUnknown)
        XCTAssertEqual(bounce.timestamp, 1_795_607_350)
        XCTAssertEqual(bounce.tieBack.trackingId, "7f3c")
        XCTAssertTrue(bounce.key.hasPrefix("sha:"))
        XCTAssertEqual(batch.events[1].key, "pixel-42")
        XCTAssertFalse(batch.events[1].machine)
        XCTAssertTrue(batch.events[2].machine)
        XCTAssertEqual(batch.events[2].tieBack.messageId, "m1@x")
        XCTAssertEqual(batch.events[2].timestamp, 1_795_607_401.5)
        XCTAssertFalse(batch.events[3].machine, "only opens are machine opens")
        XCTAssertEqual(batch.events[4].cause, .policy)
        XCTAssertEqual(batch.quarantined.map(\.position), ["line 8", "line 9", "line 10", "line 11"])
        XCTAssertEqual(
            batch.quarantined.map(\.reason),
            ["unknown type bogus", "missing or bad timestamp", "not a JSON object", "unknown type retry"])
    }

    /// `bounce_type` is `hard` or `soft` (README, "our JSON lines"): another word is quarantined like an unknown
    /// cause, and a line without one takes the type's.
    func testBounceTypeIsHardOrSoft() {
        let text = """
            {"type":"soft_bounce","timestamp":1795607403,"tracking_id":"7f3c","bounce_type":"hard"}
            {"type":"soft_bounce","timestamp":1795607404,"tracking_id":"7f3c"}
            {"type":"hard_bounce","timestamp":1795607405,"tracking_id":"7f3c","bounce_type":"permanent"}
            """
        let batch = JsonLinesEvents.parse(Array(text.utf8), path: "events.jsonl")
        XCTAssertEqual(batch.events.map(\.bounceType), [.hard, .soft])
        XCTAssertEqual(batch.quarantined.map(\.position), ["line 3"])
        XCTAssertEqual(batch.quarantined.map(\.reason), ["unknown bounce_type permanent"])
    }

    func testSameLineGivesSameKey() {
        let line = #"{"type":"delivered","timestamp":1,"recipient":"a@b.c"}"#
        let first = JsonLinesEvents.parse(Array(line.utf8), path: "a").events.first?.key
        let again = JsonLinesEvents.parse(Array("\n\(line)\r\n".utf8), path: "b").events.first?.key
        XCTAssertNotNil(first)
        XCTAssertEqual(first, again)
    }
}
