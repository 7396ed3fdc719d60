@testable import DeliverySignals
import TestSupport
import XCTest

/// The line scanned as another kind than a delivery (thrown: the test fails with it).
private struct NotADelivery: Error {
    var kind: String
}

final class PostfixLineParserTests: XCTestCase {
    private var parser = PostfixLineParser(referenceTime: PostfixFixture.captureReference)

    private func line(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ScannedLine? {
        let (result, scanned) = parser.scan(text: text)
        if scanned == nil { XCTFail("not scanned: \(result)", file: file, line: line) }
        return scanned
    }

    /// The delivery of a scanned line, its spans as text, and its fields as the correlator copies them out.
    private func delivery(_ l: ScannedLine) throws -> (scan: PostfixLineScan.Delivery, copied: PostfixDelivery) {
        guard case .delivery(let d) = l.scan.kind else { throw NotADelivery(kind: l.kind) }
        let copied = l.bytes.withUnsafeBufferPointer { PostfixDelivery(d, PostfixBytes(base: $0.baseAddress!, count: $0.count)) }
        return (d, copied)
    }

    func testDeliveryLineFields() throws {
        let l = try XCTUnwrap(
            line(
                "Nov 25 11:49:10 vm postfix/smtp[13266]: 18591FA0D1: to=<bad@remote.test>, relay=127.0.0.1[127.0.0.1]:2525, delay=0.03, delays=0.01/0.01/0/0, dsn=5.1.1, status=bounced (host 127.0.0.1[127.0.0.1] said: 550 5.1.1 <bad@remote.test>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))"
            ))
        XCTAssertEqual(l.scan.timestamp, PostfixFixture.epoch(2026, 11, 25, 11, 49, 10))
        XCTAssertEqual(l.text(l.scan.host), "vm")
        XCTAssertEqual(l.scan.service, .smtp)
        XCTAssertEqual(l.text(l.scan.serviceName), "smtp")
        XCTAssertEqual(l.scan.pid, 13266)
        XCTAssertEqual(l.text(l.scan.queueId), "18591FA0D1")
        let (d, copied) = try delivery(l)
        XCTAssertEqual(l.text(d.to), "bad@remote.test")
        XCTAssertNil(l.text(d.origTo))
        XCTAssertEqual(l.text(d.relay), "127.0.0.1[127.0.0.1]:2525")
        XCTAssertEqual(copied.relayHost, "127.0.0.1")
        XCTAssertEqual(l.text(d.delay), "0.03")
        XCTAssertEqual(l.text(d.delays), "0.01/0.01/0/0")
        XCTAssertEqual(l.text(d.dsn), "5.1.1")
        XCTAssertEqual(d.status, .bounced)
        XCTAssertEqual(copied.to, "bad@remote.test")
        XCTAssertEqual(copied.status, .bounced)
        XCTAssertEqual(
            l.text(d.text),
            "host 127.0.0.1[127.0.0.1] said: 550 5.1.1 <bad@remote.test>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)"
        )
    }

    func testOrigToConnUseAndRenamedServiceAndLongQueueId() throws {
        let l = try XCTUnwrap(
            line(
                "Nov  5 01:02:03 mx1 postfix-out/submission/smtp[9]: 3Pt2mN2VXxznjll: to=<Jo@Example.net>, orig_to=<jo@alias.example>, relay=mx.example.net[203.0.113.7]:25, conn_use=2, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 OK)"
            ))
        XCTAssertEqual(l.scan.service, .smtp)
        XCTAssertEqual(l.text(l.scan.serviceName), "smtp")
        XCTAssertEqual(l.text(l.scan.queueId), "3Pt2mN2VXxznjll")
        XCTAssertEqual(l.scan.timestamp, PostfixFixture.epoch(2026, 11, 5, 1, 2, 3))
        let (d, copied) = try delivery(l)
        XCTAssertEqual(l.text(d.origTo), "jo@alias.example")
        XCTAssertEqual(copied.recipient, "jo@alias.example")
        XCTAssertEqual(copied.relayHost, "mx.example.net")
        XCTAssertEqual(l.text(d.text), "250 2.0.0 OK")
    }

    func testOtherLineKinds() throws {
        XCTAssertEqual(
            line("Nov 25 11:48:56 vm postfix/cleanup[13047]: EAB91FA0CC: message-id=<20241125.1@app.testhost.localdomain>")?
                .kind, "messageId(20241125.1@app.testhost.localdomain)")
        XCTAssertEqual(
            line(
                "Nov 25 11:54:02 vm postfix/cleanup[18809]: BDFC2FA0D2: info: header X-Tracking-ID: trk-F-0006 from local; from=<root@testhost.localdomain> to=<root@testhost.localdomain>"
            )?.kind, "header(X-Tracking-ID, trk-F-0006)")
        XCTAssertEqual(
            line("Nov 25 11:48:56 vm postfix/qmgr[11644]: F025DFA0CF: from=<>, size=2181, nrcpt=1 (queue active)")?.kind,
            "queueActive(, 2181, 1)")
        XCTAssertEqual(
            line("Nov 25 11:52:22 vm postfix/qmgr[11644]: 18591FA0D1: from=<root@testhost.localdomain>, status=expired, returned to sender")?
                .kind, "expired(root@testhost.localdomain)")
        XCTAssertEqual(line("Nov 25 11:48:56 vm postfix/qmgr[11644]: EAB91FA0CC: removed")?.kind, "removed")
        XCTAssertEqual(line("Nov 25 11:48:56 vm postfix/postsuper[1]: EAB91FA0CC: removed")?.kind, "removed")
        XCTAssertEqual(
            line("Nov 25 11:48:56 vm postfix/bounce[13054]: ECD18FA0CA: sender non-delivery notification: F025DFA0CF")?.kind,
            "notification(sender non-delivery notification, F025DFA0CF)")
        XCTAssertEqual(
            line("Nov 25 11:49:10 vm postfix/bounce[13275]: 1A654FA0D2: sender delivery status notification: 23D5FFA0D6")?.kind,
            "notification(sender delivery status notification, 23D5FFA0D6)")
        XCTAssertEqual(
            line("Nov 25 11:50:22 vm postfix/bounce[13274]: 1BFAAFA0D3: sender delay notification: 39639FA0CA")?.kind,
            "notification(sender delay notification, 39639FA0CA)")
        XCTAssertEqual(
            line("Nov 25 11:49:10 vm postfix/smtpd[13263]: 18591FA0D1: client=unknown[127.0.0.1]")?.kind,
            "client(unknown[127.0.0.1])")
        XCTAssertEqual(
            line("Nov 25 11:48:56 vm postfix/pickup[11643]: EAB91FA0CC: uid=0 from=<root>")?.kind, "pickup(root)")
        let noqueue = try XCTUnwrap(
            line(
                "Nov 25 11:52:56 vm postfix/smtpd[17482]: NOQUEUE: reject: RCPT from unknown[127.0.0.1]: 550 5.1.1 <nosuchuser@testhost.localdomain>: Recipient address rejected: User unknown in local recipient table; from=<root@testhost.localdomain> to=<nosuchuser@testhost.localdomain> proto=ESMTP helo=<app.testhost.localdomain>"
            ))
        XCTAssertNil(noqueue.text(noqueue.scan.queueId))
        XCTAssertEqual(
            noqueue.kind,
            "reject(RCPT, 550 5.1.1 <nosuchuser@testhost.localdomain>: Recipient address rejected: User unknown in local recipient table, root@testhost.localdomain, nosuchuser@testhost.localdomain)")
        // Lines without tracking use, including ones whose first word ends in ':' but is no queue id.
        for text in [
            "Nov 25 11:50:22 vm postfix/bounce[13274]: warning: for instructions see the bounce(5) manual",
            "Nov 25 11:49:10 vm postfix/smtp[13271]: connect to 127.0.0.1[127.0.0.1]:2526: Connection refused",
            "Nov 25 11:48:42 vm postfix/master[11642]: daemon started -- version 3.7.11, configuration /etc/postfix",
            "Nov 25 11:49:10 vm postfix/smtpd[13263]: disconnect from unknown[127.0.0.1] ehlo=1 mail=3 rcpt=8 data=3 quit=1 commands=16",
            "Nov 25 11:48:42 vm postfix/postfix-script[11636]: starting the Postfix mail system",
        ] {
            let l = try XCTUnwrap(line(text))
            XCTAssertEqual(l.kind, "other", text)
            XCTAssertNil(l.text(l.scan.queueId), text)
        }
    }

    func testRFC3339Timestamps() throws {
        let a = try XCTUnwrap(line("2026-11-25T11:48:56.250000+01:00 vm postfix/qmgr[1]: EAB91FA0CC: removed"))
        XCTAssertEqual(a.scan.timestamp, PostfixFixture.epoch(2026, 11, 25, 10, 48, 56) + 0.25, accuracy: 1e-6)
        let b = try XCTUnwrap(line("2024-02-29T23:59:59Z vm postfix/qmgr[1]: EAB91FA0CC: removed"))
        XCTAssertEqual(b.scan.timestamp, PostfixFixture.epoch(2024, 2, 29, 23, 59, 59))
        let c = try XCTUnwrap(line("2026-01-01T00:00:00-05:30 vm postfix/qmgr[1]: EAB91FA0CC: removed"))
        XCTAssertEqual(c.scan.timestamp, PostfixFixture.epoch(2026, 1, 1, 5, 30, 0))
    }

    func testYearInferenceAcrossNewYear() throws {
        // Read on 2 Jan 2027: a December line is from 2026, a January line from 2027.
        parser.referenceTime = PostfixFixture.epoch(2027, 1, 2, 8, 0, 0)
        XCTAssertEqual(line("Dec 31 23:59:59 vm postfix/qmgr[1]: EAB91FA0CC: removed")?.scan.timestamp, PostfixFixture.epoch(2026, 12, 31, 23, 59, 59))
        XCTAssertEqual(line("Jan  1 00:00:01 vm postfix/qmgr[1]: EAB91FA0CC: removed")?.scan.timestamp, PostfixFixture.epoch(2027, 1, 1, 0, 0, 1))
        // Read on 31 Dec 2026 23:59 with the MTA clock a little ahead: "Jan 1" is tomorrow, not eleven months ago.
        parser.referenceTime = PostfixFixture.epoch(2026, 12, 31, 23, 59, 0)
        XCTAssertEqual(line("Jan  1 00:00:30 vm postfix/qmgr[1]: EAB91FA0CC: removed")?.scan.timestamp, PostfixFixture.epoch(2027, 1, 1, 0, 0, 30))
        // Up to a day ahead stays in the reference year; further ahead is last year's.
        parser.referenceTime = PostfixFixture.epoch(2026, 6, 10, 12, 0, 0)
        XCTAssertEqual(line("Jun 11 11:00:00 vm postfix/qmgr[1]: EAB91FA0CC: removed")?.scan.timestamp, PostfixFixture.epoch(2026, 6, 11, 11, 0, 0))
        XCTAssertEqual(line("Jun 12 12:00:00 vm postfix/qmgr[1]: EAB91FA0CC: removed")?.scan.timestamp, PostfixFixture.epoch(2025, 6, 12, 12, 0, 0))
    }

    func testLocalZones() throws {
        var fixed = PostfixLineParser(referenceTime: PostfixFixture.captureReference, zone: .fixed(seconds: 3600))
        let a = try XCTUnwrap(fixed.scan(text: "Nov 25 11:48:56 vm postfix/qmgr[1]: EAB91FA0CC: removed").line)
        XCTAssertEqual(a.scan.timestamp, PostfixFixture.epoch(2026, 11, 25, 10, 48, 56))
        // tzdata is installed by `make deps`.
        let paris = try XCTUnwrap(TimeZone(identifier: "Europe/Paris"), "no tzdata: run make deps")
        var named = PostfixLineParser(referenceTime: PostfixFixture.epoch(2026, 8, 1, 0, 0, 0), zone: .named(paris))
        let summer = try XCTUnwrap(named.scan(text: "Jul 14 12:00:00 vm postfix/qmgr[1]: EAB91FA0CC: removed").line)
        XCTAssertEqual(summer.scan.timestamp, PostfixFixture.epoch(2026, 7, 14, 10, 0, 0))
        let winter = try XCTUnwrap(named.scan(text: "Jan 14 12:00:00 vm postfix/qmgr[1]: EAB91FA0CC: removed").line)
        XCTAssertEqual(winter.scan.timestamp, PostfixFixture.epoch(2026, 1, 14, 11, 0, 0))
    }

    func testOtherProgramsAndBlankLinesAreSkipped() {
        XCTAssertEqual(parser.scan(text: "Nov 25 11:48:56 vm dovecot[123]: imap-login: Login: user=<a>").result, .notPostfix)
        XCTAssertEqual(parser.scan(text: "Nov 25 11:48:56 vm CRON[5]: (root) CMD (true)").result, .notPostfix)
        XCTAssertEqual(parser.scan(text: "").result, .notPostfix)
        XCTAssertEqual(parser.scan(text: "   \n").result, .notPostfix)
    }

    func testMalformedLinesAreReported() {
        for text in [
            "garbage that is not a log line at all",
            "Nov 25 11:48",
            "Foo 25 11:48:56 vm postfix/qmgr[1]: EAB91FA0CC: removed",
            "Nov 25 25:48:56 vm postfix/qmgr[1]: EAB91FA0CC: removed",
            "Nov 25 11:48:56 vm",
            "Nov 25 11:48:56 vm postfix/qmgr[x1]: EAB91FA0CC: removed",
            "Nov 25 11:48:56 vm postfix/smtp[1]: 18591FA0D1: to=<bad@remote.test, relay=none",
            "Nov 25 11:48:56 vm postfix/smtp[1]: 18591FA0D1: to=<bad@remote.test>, relay=none, delay=1",
            "Nov 25 11:48:56 vm postfix/smtp[1]: 18591FA0D1: to=<bad@remote.test>, relay=none, status=exploded (x)",
            "Nov 25 11:48:56 vm postfix/smtp[1]: 18591FA0D1: to=<bad@remote.test>; relay=none, status=sent (x)",
            "Nov 25 11:48:56 vm postfix/qmgr[1]: 18591FA0D1: from=<root, size=1, nrcpt=1 (queue active)",
            "\u{0}\u{1}\u{2}\u{ff}",
        ] {
            guard case .malformed(let reason) = parser.scan(text: text).result else {
                XCTFail("not reported as malformed: \(text) → \(parser.scan(text: text).result)")
                continue
            }
            XCTAssertFalse(reason.isEmpty)
        }
    }

    func testEveryCapturedLineParses() throws {
        let text = try String(contentsOfFile: PostfixFixture.capturePath, encoding: .utf8)
        var deliveries = 0
        for raw in text.split(separator: "\n") {
            guard let l = parser.scan(text: String(raw)).line else { return XCTFail("not scanned: \(raw)") }
            XCTAssertEqual(l.text(l.scan.host), "vm")
            XCTAssertGreaterThanOrEqual(l.scan.timestamp, PostfixFixture.epoch(2026, 11, 25, 11, 48, 42))
            XCTAssertLessThanOrEqual(l.scan.timestamp, PostfixFixture.epoch(2026, 11, 25, 11, 53, 2))
            if case .delivery = l.scan.kind { deliveries += 1 }
        }
        XCTAssertEqual(deliveries, 35)
    }
}
