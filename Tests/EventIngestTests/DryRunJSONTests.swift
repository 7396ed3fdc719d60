import DeliverySignals
import EventIngest
import MailFormat
import TestSupport
import TrackingModel
import XCTest

final class DryRunJSONTests: XCTestCase {
    func testEventLineHasTheContractKeysInOrder() throws {
        let mbox = try IngestFixtures.sample("bounces.mbox")
        let entry = try XCTUnwrap(MimeMbox.split(mbox).dropFirst(2).first)
        let event = try XCTUnwrap(try DsnParser.parse(entry.bytes, path: "bounces.mbox").first)
        XCTAssertEqual(
            DryRunJSON.line(for: event),
            #"{"source":"dsn","path":"bounces.mbox","type":"hard_bounce","reason":"user_unknown","cause":"user_unknown","side":"address","recipient":"bad@remote.test","final_recipient":null,"status":"5.1.1","bounce_type":"hard","description":"550 5.1.1 <bad@remote.test>: Recipient address rejected: User unknown in virtual mailbox table","message_id":"A.20261125@app.testhost.localdomain","tracking_id":"trk-A-0001","timestamp":"2026-11-25T11:49:10Z"}"#
        )
    }

    func testIgnoredLineCarriesTheIgnoreReasonAndNulls() throws {
        let event = ParsedEvent(
            source: .dsn, path: "m/\"x\"", kind: .ignored(.autoReply), key: "k", timestamp: 0,
            description: "tab\there\nnew \u{1}")
        let line = DryRunJSON.line(for: event)
        XCTAssertEqual(
            line,
            #"{"source":"dsn","path":"m/\"x\"","type":"ignored","reason":"auto-reply","cause":null,"side":null,"recipient":null,"final_recipient":null,"status":null,"bounce_type":null,"description":"tab\there\nnew \u0001","message_id":null,"tracking_id":null,"timestamp":null}"#
        )
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(object["description"] as? String, "tab\there\nnew \u{1}")
    }

    func testQuarantineLine() {
        let line = DryRunJSON.line(
            for: QuarantineItem(source: "sendgrid", path: "sg.json", position: "[3]", reason: "missing event", excerpt: "{}"))
        XCTAssertEqual(line, #"{"quarantined":true,"source":"sendgrid","path":"sg.json","position":"[3]","reason":"missing event"}"#)
    }

    func testFractionalTimestampKeepsMilliseconds() {
        let event = ParsedEvent(source: .ses, path: "p", kind: .event(.open), key: "k", timestamp: 1_764_072_843.118)
        XCTAssertTrue(DryRunJSON.line(for: event).hasSuffix(#""timestamp":"2025-11-25T12:14:03.118Z"}"#))
    }
}
