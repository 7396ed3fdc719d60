import DeliverySignals
import EventIngest
import Foundation
import TestSupport
import XCTest

final class FormatDetectTests: XCTestCase {
    private func detect(_ text: String, path: String = "/nonexistent/input") -> FormatDetect.Format? {
        FormatDetect.detect(path: path, firstBytes: Array(text.utf8))
    }

    func testSamplesAndFixtures() throws {
        XCTAssertEqual(FormatDetect.detect(path: "bounces.mbox", firstBytes: try IngestFixtures.sample("bounces.mbox")), .mbox)
        XCTAssertEqual(FormatDetect.detect(path: "postfix.log", firstBytes: try IngestFixtures.sample("postfix.log")), .postfixLog)
        XCTAssertEqual(detect("2026-11-25T11:48:56.123+00:00 vm postfix/smtp[1]: x"), .postfixLog)
        XCTAssertEqual(FormatDetect.detect(path: "/var/log/postfix.log.1.gz", firstBytes: [0x1F, 0x8B, 8, 0]), .postfixLog)
        XCTAssertEqual(detect("Return-Path: <>\nFrom: MAILER-DAEMON\n\nbody"), .mail)
        XCTAssertEqual(detect(#"{"signature":{},"event-data":{"event":"failed"}}"#), .mailgun)
        XCTAssertEqual(detect(#"{"items":[],"paging":{"next":"u"}}"#), .mailgun)
        XCTAssertEqual(detect(#"[{"email":"a@b","timestamp":1,"event":"open","sg_event_id":"x"}]"#), .sendgrid)
        XCTAssertEqual(detect(#"{"Type":"Notification","Message":"{\"eventType\":\"Bounce\"}","TopicArn":"arn"}"#), .ses)
        XCTAssertEqual(detect(#"{"eventType":"Open","mail":{}}"#), .ses)
        XCTAssertEqual(detect(#"{"RecordType":"Delivery"}"#), .postmark)
        XCTAssertEqual(detect("{\"type\":\"open\",\"timestamp\":1}\n{\"type\":\"click\",\"timestamp\":2}\n"), .jsonLines)
        XCTAssertNil(detect("\u{0}\u{1}binary"))
    }

    func testMaildirFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("cur"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        XCTAssertEqual(FormatDetect.detect(path: root.path, firstBytes: []), .maildir)
        XCTAssertNil(FormatDetect.detect(path: root.appendingPathComponent("cur").path, firstBytes: []))
    }
}
