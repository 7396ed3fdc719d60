import DeliverySignals
import Foundation
import EventIngest
import MailFormat
import TestSupport
import TrackingModel
import XCTest

/// Every mail of the real Postfix captures (`bounces.mbox`) through `DsnParser`.
final class DsnSampleTests: XCTestCase {
    private var events: [ParsedEvent] = []

    override func setUpWithError() throws {
        let mbox = try IngestFixtures.sample("bounces.mbox")
        let entries = MimeMbox.split(mbox)
        XCTAssertEqual(entries.count, 10, "mails in bounces.mbox")
        events = []
        for entry in entries {
            events += try DsnParser.parse(entry.bytes, path: "bounces.mbox", position: String(entry.offset))
        }
    }

    private func event(_ recipient: String, _ type: EventType, file: StaticString = #filePath, line: UInt = #line)
        throws -> ParsedEvent
    {
        let found = events.filter { $0.recipient == recipient && $0.kind == .event(type) }
        XCTAssertEqual(found.count, 1, "\(recipient) \(type)", file: file, line: line)
        return try XCTUnwrap(found.first, file: file, line: line)
    }

    func testPlainLocalMailIsNotABounce() {
        XCTAssertEqual(events.first?.kind, .ignored(.notABounce))
        XCTAssertEqual(events.count, 13)
    }

    func testUnknownRemoteUserIsHardUserUnknown() throws {
        let bad = try event("bad@remote.test", .hardBounce)
        XCTAssertEqual(bad.source.rawValue, "dsn")
        XCTAssertEqual(bad.status, "5.1.1")
        XCTAssertEqual(bad.bounceType?.rawValue, "hard")
        XCTAssertEqual(bad.cause, .userUnknown)
        XCTAssertEqual(
            bad.description, "550 5.1.1 <bad@remote.test>: Recipient address rejected: User unknown in virtual mailbox table")
        XCTAssertEqual(bad.details.smtpServer, "127.0.0.1")
        XCTAssertEqual(bad.details.errorDetails, "127.0.0.1")
        XCTAssertEqual(bad.tieBack.trackingId, "trk-A-0001")
        XCTAssertEqual(bad.tieBack.messageId, "A.20261125@app.testhost.localdomain")
        XCTAssertEqual(bad.tieBack.queueId, "18591FA0D1")
        XCTAssertEqual(bad.key, "20261125114910.22D62FA0D9@vm|bad@remote.test|failed")
        XCTAssertEqual(bad.timestamp, 1_795_607_350)
    }

    func testSpamRejectionIsSoftSpamContent() throws {
        let spam = try event("spam@remote.test", .softBounce)
        XCTAssertEqual(spam.status, "5.7.1")
        XCTAssertEqual(spam.bounceType?.rawValue, "soft")
        XCTAssertEqual(spam.cause, .spamContent)
    }

    func testMailboxFullIsDeferredThenSoftBounced() throws {
        let delayed = try event("full@remote.test", .deferral)
        XCTAssertEqual(delayed.status, "4.2.2")
        XCTAssertNil(delayed.bounceType)
        XCTAssertEqual(delayed.cause, .mailboxFull)
        XCTAssertEqual(delayed.details.errorDetails, "127.0.0.1; will retry until Wed, 25 Nov 2026 11:52:10 +0000 (UTC)")
        let failed = try event("full@remote.test", .softBounce)
        XCTAssertEqual(failed.status, "4.2.2")
        XCTAssertEqual(failed.bounceType?.rawValue, "soft")
        XCTAssertNotEqual(delayed.key, failed.key, "delay and failure are two events")
        XCTAssertGreaterThan(failed.timestamp, delayed.timestamp)
    }

    func testLocalUnknownUserWithPostfixDiagnostic() throws {
        let local = try event("nosuchuser@testhost.localdomain", .hardBounce)
        XCTAssertEqual(local.cause, .userUnknown)
        XCTAssertEqual(local.description, "unknown user: \"nosuchuser\"")
        XCTAssertNil(local.details.smtpServer)
        XCTAssertEqual(local.tieBack.trackingId, "0b8e6d1c-22aa-4e0f-8d3b-5c6d7e8f9a01")
    }

    func testRelayedSuccessReportCarriesEnvelopeId() throws {
        let relayed = try event("ok2@remote.test", .delivered)
        XCTAssertEqual(relayed.status, "2.0.0")
        XCTAssertEqual(relayed.tieBack.envelopeId, "trk-B-0002")
        XCTAssertEqual(relayed.tieBack.trackingId, "trk-B-0002", "tracking header from text/rfc822-headers")
        XCTAssertEqual(relayed.tieBack.messageId, "B.20261125@app.testhost.localdomain")
        XCTAssertTrue(relayed.key.hasSuffix("|relayed"))
    }

    func testExpiredConnectionFailureCarriesEnvelopeIdOfC() throws {
        let delayed = try event("someone@down.test", .deferral)
        let failed = try event("someone@down.test", .softBounce)
        for item in [delayed, failed] {
            XCTAssertEqual(item.tieBack.envelopeId, "trk-C-0003")
            XCTAssertEqual(item.tieBack.trackingId, "trk-C-0003")
            XCTAssertEqual(item.status, "4.4.1")
        }
    }

    func testGreylistedAndBlockedDomain() throws {
        XCTAssertEqual(try event("grey@remote.test", .deferral).cause, .greylisted)
        XCTAssertEqual(try event("grey@remote.test", .softBounce).bounceType?.rawValue, "soft")
        let blocked = try event("x@blocked.test", .softBounce)
        XCTAssertEqual(blocked.cause, .policy)
        XCTAssertEqual(blocked.tieBack.trackingId, "trk-E-0005")
    }

    func testKeysAreUniqueAndStable() throws {
        XCTAssertEqual(Set(events.map(\.key)).count, events.count)
        let again = try MimeMbox.split(IngestFixtures.sample("bounces.mbox")).flatMap {
            try DsnParser.parse($0.bytes, path: "bounces.mbox")
        }
        XCTAssertEqual(again.map(\.key), events.map(\.key))
    }
}

/// The mailbox-level entry points: mbox, single mail, Maildir.
final class DsnMailboxTests: XCTestCase {
    func testMboxBatchHasEveryEventAndOffsetsForQuarantine() throws {
        var mbox = try IngestFixtures.sample("bounces.mbox")
        mbox += Array("\nFrom junk Wed Nov 25 12:00:00 2026\n\u{1}\u{2} no headers here\n".utf8)
        let batch = DsnMailbox.parseMbox(mbox, path: "bounces.mbox")
        XCTAssertEqual(batch.events.count, 13)
        XCTAssertEqual(batch.quarantined.count, 1)
        XCTAssertEqual(batch.quarantined.first?.reason, "not a mail: no header fields")
        XCTAssertTrue(batch.quarantined.first?.position.hasPrefix("offset ") == true)
    }

    func testMaildirMailsUseTheDeliveryTimeOfTheirNameAsFallbackDate() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dsn-maildir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("new"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let dateless = "From: MAILER-DAEMON@x.example\nX-Failed-Recipients: a@b.example\nSubject: failure notice\n\n550 5.1.1 no such user\n"
        try Data(dateless.utf8).write(to: root.appendingPathComponent("new/1795607350.M1P2.vm"))
        let results = try DsnMailbox.parseMaildir(MaildirReader(root: root.path), seen: [])
        XCTAssertEqual(results.count, 1)
        XCTAssertEqual(results.first?.mail.identity, "1795607350.M1P2.vm")
        XCTAssertEqual(results.first?.batch.events.first?.timestamp, 1_795_607_350)
        XCTAssertEqual(results.first?.batch.events.first?.kind, .event(.hardBounce))
        XCTAssertEqual(try DsnMailbox.parseMaildir(MaildirReader(root: root.path), seen: ["1795607350.M1P2.vm"]).count, 0)
    }
}
