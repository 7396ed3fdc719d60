@testable import DeliverySignals
import TestSupport
import TrackingModel
import XCTest

final class PostfixCorrelatorTests: XCTestCase {
    private func captureEvents(settings: PostfixCorrelatorSettings = PostfixCorrelatorSettings()) throws
        -> (events: [ParsedEvent], ingestor: PostfixLogIngestor)
    {
        let text = try String(contentsOfFile: PostfixFixture.capturePath, encoding: .utf8)
        let ingestor = PostfixFixture.ingestor(settings: settings)
        let (events, quarantined) = try PostfixFixture.run(text, ingestor: ingestor)
        XCTAssertEqual(quarantined, [])
        return (events, ingestor)
    }

    private func only(_ events: [ParsedEvent], _ recipient: String, _ type: String, file: StaticString = #filePath, line: UInt = #line)
        -> [ParsedEvent]
    {
        events.filter { $0.recipient == recipient && $0.typeName == type }
    }

    func testEveryCapturedOutcomeIsClassified() throws {
        let (events, ingestor) = try captureEvents()
        XCTAssertEqual(events.count, 38)
        XCTAssertEqual(Set(events.map(\.key)).count, events.count, "keys are unique")
        XCTAssertEqual(ingestor.counts.lines, 135)
        XCTAssertEqual(ingestor.counts.quarantined, 0)
        XCTAssertEqual(ingestor.counts.skipped, 0)
        XCTAssertEqual(ingestor.counts.events, 38)
        XCTAssertTrue(events.allSatisfy { $0.source.rawValue == "postfix" && $0.path == "postfix.log" })

        // Local user via sendmail(1): delivered, tied to its Message-ID.
        let local = try XCTUnwrap(only(events, "root@testhost.localdomain", "delivered").first)
        XCTAssertEqual(local.tieBack.messageId, "20241125.1@app.testhost.localdomain")
        XCTAssertEqual(local.tieBack.queueId, "EAB91FA0CC")
        XCTAssertEqual(local.details.smtpServer, "local")
        XCTAssertEqual(local.timestamp, PostfixFixture.epoch(2026, 11, 25, 11, 48, 56))

        // Unknown local user: hard bounce, user_unknown.
        let nosuch = try XCTUnwrap(only(events, "nosuchuser@testhost.localdomain", "hard_bounce").first)
        XCTAssertEqual(nosuch.status, "5.1.1")
        XCTAssertEqual(nosuch.bounceType?.rawValue, "hard")
        XCTAssertEqual(nosuch.cause, .userUnknown)
        XCTAssertEqual(nosuch.description, "unknown user: \"nosuchuser\"")
        XCTAssertEqual(nosuch.details.bounceDescription, "unknown user: \"nosuchuser\"")
        XCTAssertEqual(nosuch.tieBack.messageId, "20241125.2@app.testhost.localdomain")

        // Remote 550 5.1.1 (A and B), spam 554 5.7.1.
        for rcpt in ["bad@remote.test", "bad2@remote.test"] {
            let e = try XCTUnwrap(only(events, rcpt, "hard_bounce").first, rcpt)
            XCTAssertEqual(e.cause, .userUnknown)
            XCTAssertEqual(e.details.errorDetails, "127.0.0.1[127.0.0.1]:2525")
        }
        let spam = try XCTUnwrap(only(events, "spam@remote.test", "soft_bounce").first, "spam is the receiver refusing us: soft")
        XCTAssertEqual(spam.cause, .spamContent)
        XCTAssertEqual(spam.status, "5.7.1")
        XCTAssertEqual(spam.tieBack.messageId, "A.20261125@app.testhost.localdomain")

        // 452 mailbox full: six deferrals (one per attempt, keys differ by delay), then expired → soft bounce.
        let full = only(events, "full@remote.test", "deferral")
        XCTAssertEqual(full.map { $0.key.split(separator: "/").last.map(String.init) }, ["0.04", "32", "72", "112", "152", "192"])
        XCTAssertTrue(full.allSatisfy { $0.cause == .mailboxFull && $0.status == "4.2.2" && $0.details.errorType == "4.2.2" })
        XCTAssertEqual(full.first?.details.errorDetails, "127.0.0.1[127.0.0.1]:2525")
        let fullExpired = try XCTUnwrap(only(events, "full@remote.test", "soft_bounce").first)
        XCTAssertEqual(fullExpired.cause, .expired)
        XCTAssertEqual(fullExpired.bounceType?.rawValue, "soft")
        XCTAssertEqual(fullExpired.status, "4.2.2")
        XCTAssertEqual(fullExpired.key, "vm/18591FA0D1/\(Int(PostfixFixture.epoch(2026, 11, 25, 11, 49, 10)))/full@remote.test/expired")
        XCTAssertEqual(
            fullExpired.description,
            "host 127.0.0.1[127.0.0.1] said: 452 4.2.2 <full@remote.test>: Mailbox full, try again later (in reply to RCPT TO command)")
        XCTAssertEqual(fullExpired.timestamp, PostfixFixture.epoch(2026, 11, 25, 11, 52, 22))

        // Greylisted 450 4.7.1: deferrals, then expired.
        let grey = only(events, "grey@remote.test", "deferral")
        XCTAssertEqual(grey.count, 6)
        XCTAssertTrue(grey.allSatisfy { $0.cause == .greylisted })
        XCTAssertEqual(only(events, "grey@remote.test", "soft_bounce").first?.status, "4.7.1")

        // Connection refused: deferrals with relay=none, then C expires first.
        let down = only(events, "someone@down.test", "deferral")
        XCTAssertEqual(down.count, 6)
        XCTAssertTrue(down.allSatisfy { $0.cause == .network && $0.details.errorDetails == "none" })
        let downExpired = try XCTUnwrap(only(events, "someone@down.test", "soft_bounce").first)
        XCTAssertEqual(downExpired.description, "connect to 127.0.0.1[127.0.0.1]:2526: Connection refused")
        XCTAssertEqual(downExpired.tieBack.messageId, "C.20261125@app.testhost.localdomain")

        // Successes of A and B (B also asked for a NOTIFY=SUCCESS report; its ENVID only shows in that DSN).
        let ok = try XCTUnwrap(only(events, "ok@remote.test", "delivered").first)
        XCTAssertEqual(ok.description, "250 2.0.0 Ok: queued as 1F41471326")
        let ok2 = try XCTUnwrap(only(events, "ok2@remote.test", "delivered").first)
        XCTAssertEqual(ok2.tieBack.messageId, "B.20261125@app.testhost.localdomain")
        XCTAssertEqual(ok2.tieBack.queueId, "1A654FA0D2")

        // error(8) transport refusing a blocked domain: reject.
        let blocked = try XCTUnwrap(only(events, "x@blocked.test", "reject").first)
        XCTAssertEqual(blocked.cause, .policy)
        XCTAssertEqual(blocked.status, "5.7.1")
        XCTAssertNil(blocked.bounceType)

        // Our own notifications (non-delivery, delay, success reports): nine deliveries, all ignored.
        let ignored = events.filter { $0.typeName == "ignored" }
        XCTAssertEqual(
            Set(ignored.compactMap(\.tieBack.queueId)),
            ["F025DFA0CF", "22D62FA0D9", "23457FA0D5", "23D5FFA0D6", "3ACB8FA0CE", "39639FA0CA", "5F6DFFA0D3", "5CAC6FA0CA", "5C279FA0D5"])
        XCTAssertTrue(ignored.allSatisfy { $0.kind == .ignored(.ownNotification) })
        XCTAssertEqual(only(events, "root@testhost.localdomain", "delivered").count, 1)

        // Totals per type.
        var perType: [String: Int] = [:]
        for e in events { perType[e.typeName, default: 0] += 1 }
        XCTAssertEqual(perType, ["delivered": 3, "hard_bounce": 3, "deferral": 18, "soft_bounce": 4, "reject": 1, "ignored": 9], "the spam refusal is soft")
    }

    func testNotificationLinkMarksTheNewQueueIdAsSystem() throws {
        let links = InMemoryQueueLinkStore()
        let text = try String(contentsOfFile: PostfixFixture.capturePath, encoding: .utf8)
        _ = try PostfixFixture.run(text, ingestor: PostfixFixture.ingestor(links: links))
        let child = try XCTUnwrap(links.latestLink(host: "vm", queueId: "23D5FFA0D6"))
        XCTAssertTrue(child.system)
        XCTAssertEqual(child.parentQueueId, "1A654FA0D2")
        let parent = try XCTUnwrap(links.latestLink(host: "vm", queueId: "18591FA0D1"))
        XCTAssertFalse(parent.system)
        XCTAssertEqual(parent.messageId, "A.20261125@app.testhost.localdomain")
        XCTAssertEqual(parent.sender, "root@testhost.localdomain")
        XCTAssertEqual(parent.pending, [:])
        XCTAssertEqual(parent.removedAt, PostfixFixture.epoch(2026, 11, 25, 11, 52, 22))
    }

    func testTrackingHeaderLineTiesTheDelivery() throws {
        let text = """
            Nov 25 11:54:02 vm postfix/cleanup[18809]: BDFC2FA0D2: message-id=<F.20261125@app.testhost.localdomain>
            Nov 25 11:54:02 vm postfix/cleanup[18809]: BDFC2FA0D2: info: header X-Tracking-ID: trk-F-0006 from local; from=<root@testhost.localdomain> to=<root@testhost.localdomain>
            Nov 25 11:54:02 vm postfix/qmgr[1]: BDFC2FA0D2: from=<root@testhost.localdomain>, size=400, nrcpt=1 (queue active)
            Nov 25 11:54:02 vm postfix/local[2]: BDFC2FA0D2: to=<root@testhost.localdomain>, relay=local, delay=0.01, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)
            """
        let (events, _) = try PostfixFixture.run(text, ingestor: PostfixFixture.ingestor())
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?.tieBack.trackingId, "trk-F-0006")
        XCTAssertEqual(events.first?.tieBack.messageId, "F.20261125@app.testhost.localdomain")
        XCTAssertEqual(events.first?.typeName, "delivered")
    }

    func testSmarthostHandOffIsSentNotDelivered() throws {
        let text = """
            Nov 25 10:00:00 vm postfix/smtp[2]: AAAAAA0001: to=<u@example.org>, relay=smtp.esp.example[198.51.100.2]:587, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X1)
            Nov 25 10:00:00 vm postfix/smtp[2]: AAAAAA0001: to=<v@example.org>, relay=mx.example.org[203.0.113.5]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 ok)
            """
        let settings = PostfixCorrelatorSettings(smarthosts: ["[smtp.esp.example]:587"])
        let (events, _) = try PostfixFixture.run(text, ingestor: PostfixFixture.ingestor(settings: settings))
        XCTAssertEqual(events.map(\.typeName), ["sent", "delivered"])
        XCTAssertEqual(events.first?.details.smtpServer, "smtp.esp.example[198.51.100.2]:587")
        let byIP = PostfixCorrelatorSettings(smarthosts: ["198.51.100.2"])
        let (again, _) = try PostfixFixture.run(text, ingestor: PostfixFixture.ingestor(settings: byIP))
        XCTAssertEqual(again.map(\.typeName), ["sent", "delivered"])
    }

    func testReusedShortQueueIdStartsANewLife() throws {
        let text = """
            Nov 25 10:00:00 vm postfix/cleanup[1]: ABCDEF0001: message-id=<first@x>
            Nov 25 10:00:01 vm postfix/local[2]: ABCDEF0001: to=<a@x>, relay=local, delay=1, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)
            Nov 25 10:00:01 vm postfix/qmgr[3]: ABCDEF0001: removed
            Nov 25 10:30:00 vm postfix/cleanup[1]: ABCDEF0001: message-id=<second@x>
            Nov 25 10:30:01 vm postfix/local[2]: ABCDEF0001: to=<a@x>, relay=local, delay=1, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)
            """
        let links = InMemoryQueueLinkStore()
        let ingestor = PostfixFixture.ingestor(links: links)
        let (events, _) = try PostfixFixture.run(text, ingestor: ingestor)
        XCTAssertEqual(events.map(\.tieBack.messageId), ["first@x", "second@x"])
        XCTAssertNotEqual(events[0].key, events[1].key, "same qid, recipient, status and delay: only the epoch differs")
        // Reading the same lines again (a re-ingest) gives the same keys: the store dedupes them.
        let (again, _) = try PostfixFixture.run(text, ingestor: PostfixFixture.ingestor(links: InMemoryQueueLinkStore()))
        XCTAssertEqual(again.map(\.key), events.map(\.key))
    }

    func testQueueIdUnseenForTooLongStartsANewLife() throws {
        let text = """
            Nov 10 10:00:00 vm postfix/cleanup[1]: ABCDEF0002: message-id=<old@x>
            Nov 25 10:00:00 vm postfix/local[2]: ABCDEF0002: to=<a@x>, relay=local, delay=1, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)
            """
        let (events, _) = try PostfixFixture.run(text, ingestor: PostfixFixture.ingestor())
        XCTAssertNil(events.first?.tieBack.messageId)
    }

    func testLinksSurviveARestartThroughTheStore() throws {
        // The cleanup line is read by one ingestor, the outcome by another sharing the store (a restart).
        let links = InMemoryQueueLinkStore()
        _ = try PostfixFixture.run(
            """
            Nov 25 10:00:00 vm postfix/cleanup[1]: ABCDEF0003: message-id=<m@x>
            Nov 25 10:00:00 vm postfix/smtp[2]: ABCDEF0003: to=<a@x>, relay=mx[1.2.3.4]:25, delay=1, delays=0/0/0/0, dsn=4.4.1, status=deferred (connect to mx[1.2.3.4]:25: Connection timed out)
            """, ingestor: PostfixFixture.ingestor(links: links))
        let (events, _) = try PostfixFixture.run(
            "Nov 25 11:00:00 vm postfix/qmgr[3]: ABCDEF0003: from=<s@x>, status=expired, returned to sender",
            ingestor: PostfixFixture.ingestor(links: links))
        XCTAssertEqual(events.map(\.typeName), ["soft_bounce"])
        XCTAssertEqual(events.first?.tieBack.messageId, "m@x")
        XCTAssertEqual(events.first?.description, "connect to mx[1.2.3.4]:25: Connection timed out")
    }

    func testGarbageIsQuarantinedWithPositionAndOtherProgramsSkipped() throws {
        let text = """
            Nov 25 10:00:00 vm postfix/qmgr[3]: ABCDEF0004: removed
            this is not a log line
            Nov 25 10:00:00 vm dovecot[9]: imap(a): Logged out
            Nov 25 10:00:00 vm postfix/smtp[2]: ABCDEF0004: to=<a@x>, relay=mx, status=weird (x)
            """
        let ingestor = PostfixFixture.ingestor()
        let (events, quarantined) = try PostfixFixture.run(text, ingestor: ingestor, path: "/var/log/mail.log")
        XCTAssertEqual(events, [])
        XCTAssertEqual(quarantined.map(\.position), ["56", "130"])
        XCTAssertEqual(quarantined.first?.excerpt, "this is not a log line")
        XCTAssertEqual(quarantined.first?.path, "/var/log/mail.log")
        XCTAssertEqual(quarantined.first?.source, "postfix")
        XCTAssertEqual(quarantined.last?.reason, "delivery line with unknown status")
        XCTAssertEqual(ingestor.counts.skipped, 1)
        XCTAssertEqual(ingestor.counts.quarantined, 2)
    }

    /// Mutated capture lines through parser and correlator: no crash, no hang. 20k in the suite;
    /// `CHATTER_FUZZ_ITERATIONS=1000000` for the full million-input run.
    func testMutatedLinesNeverCrash() throws {
        let iterations = ProcessInfo.processInfo.environment["CHATTER_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 20_000
        var rng = SeededGenerator(seed: 42)
        let seeds = try String(contentsOfFile: PostfixFixture.capturePath, encoding: .utf8).split(separator: "\n").map {
            Array($0.utf8)
        } + [
            Array("Nov 25 11:54:02 vm postfix/cleanup[18809]: BDFC2FA0D2: info: header X-Tracking-ID: trk-F-0006 from local; from=<root@t> to=<root@t>".utf8),
            Array("2026-11-25T11:48:56.123+00:00 vm postfix/qmgr[1]: 3Pt2mN2VXxznjll: from=<root@t>, size=549, nrcpt=5 (queue active)".utf8),
        ]
        let ingestor = PostfixFixture.ingestor()
        var outcomes = [0, 0, 0]
        for i in 0..<iterations {
            var bytes = seeds[i % seeds.count]
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0..<max(1, bytes.count), using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: if !bytes.isEmpty { bytes[at] = UInt8.random(in: 0...255, using: &rng) }
                case 1: if !bytes.isEmpty { bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...20, using: &rng))) }
                case 2: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: min(at, bytes.count))
                default:
                    // Splice a piece of another line in: keeps the shape plausible, breaks the grammar.
                    let other = seeds[Int.random(in: 0..<seeds.count, using: &rng)]
                    let from = Int.random(in: 0..<other.count, using: &rng)
                    bytes.insert(contentsOf: other[from..<min(other.count, from + 30)], at: min(at, bytes.count))
                }
            }
            switch try bytes.withUnsafeBytes({ try ingestor.ingest($0, offset: Int64(i), path: "fuzz") }) {
            case .events: outcomes[0] += 1
            case .quarantined: outcomes[1] += 1
            case .skipped: outcomes[2] += 1
            }
        }
        XCTAssertEqual(outcomes.reduce(0, +), iterations)
        XCTAssertGreaterThan(outcomes[0], 0)
        XCTAssertGreaterThan(outcomes[1], 0)
    }
}
