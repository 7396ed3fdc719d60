import Foundation
import Outbox
import TrackingModel
import TrackingStore
import XCTest

/// The sender against a scriptable SMTP peer: outcomes, retries on schedule, timeouts.
final class SMTPOutcomeTests: XCTestCase {
    func testAcceptedMailIsSentWithQueueIdAndEnvelopeExtensions() async throws {
        let f = try OutboxFixture()
        f.peer.script.final = { _ in "250 2.0.0 Ok: queued as 18591FA0D1" }
        let post = try f.post(to: ["Ann <ann@x.org>", "bob@x.org"])
        let report = try await f.worker().drainOnce()
        let errors = try f.store.outboxEntries().map(\.lastError)
        XCTAssertEqual(report.sent, 2, "\(errors) \(f.peer.commands)")
        XCTAssertEqual(try f.state("ann@x.org"), .sent)
        XCTAssertEqual(try f.state("bob@x.org"), .sent)
        let entries = try f.store.outboxEntries()
        XCTAssertEqual(entries.map(\.queueId), ["18591FA0D1", "18591FA0D1"])
        XCTAssertEqual(f.peer.mails.count, 2, "one mail per recipient")
        let ann = try f.row("ann@x.org")
        let mail = try XCTUnwrap(f.peer.mails.first { $0.recipients == ["ann@x.org"] })
        XCTAssertEqual(mail.from, "bounce+\(ann.token!)@yourcompany.example", "VERP envelope sender carries the token")
        XCTAssertTrue(mail.mailLine.contains("ENVID=chatter-\(ann.id)-"), mail.mailLine)
        XCTAssertTrue(mail.mailLine.contains("RET=HDRS"))
        XCTAssertTrue(mail.mailLine.contains("SIZE="))
        XCTAssertTrue(mail.rcptLines[0].contains("NOTIFY=FAILURE,DELAY"), mail.rcptLines[0])
        XCTAssertTrue(mail.data.contains("Message-ID: <\(post.messageId)>"))
        XCTAssertTrue(mail.data.contains("\(trackingHeaderName): \(ann.id)"))
        XCTAssertTrue(qpDecoded(mail.data).contains("<img src=\"http://pixel.test:8025/t/\(ann.id)/\(ann.token!)/blank.gif\""))
        let sent = try f.store.events(EventFilter(trackingId: ann.id, type: .sent)).rows
        XCTAssertEqual(sent.first?.details.smtpServer, "127.0.0.1:\(f.peer.port)")
    }

    func testMixedRcptRepliesGivePerRecipientOutcomes() async throws {
        let f = try OutboxFixture()
        let badPartner = try f.store.addPartner(name: "Bad", email: "bad@x.org")
        f.peer.script.rcpt = { a in
            a.hasPrefix("bad") ? "550 5.1.1 <\(a)>: User unknown" : a.hasPrefix("grey") ? "451 4.7.1 Greylisted" : "250 2.1.5 Ok"
        }
        try f.post(to: ["ok@x.org, bad@x.org, grey@x.org"])
        let report = try await f.worker().drainOnce()
        XCTAssertEqual(report.sent, 1)
        XCTAssertEqual(report.failed, 1)
        XCTAssertEqual(report.deferred, 1)
        XCTAssertEqual(try f.state("ok@x.org"), .sent)
        XCTAssertEqual(try f.state("bad@x.org"), .error)
        XCTAssertEqual(try f.state("grey@x.org"), .deferred)
        let bad = try f.row("bad@x.org")
        XCTAssertEqual(bad.errorType, "rcpt_refused")
        XCTAssertEqual(bad.errorDescription, "550 5.1.1 <bad@x.org>: User unknown")
        XCTAssertTrue(try f.store.partnerCard(id: badPartner).emailBounced, "a 5xx flags the partner bounced")
        XCTAssertEqual(f.peer.mails.count, 1)
    }

    func testTemporaryRepliesAreRetriedOnSchedule() async throws {
        for code in ["421 4.7.0 Try again later", "450 4.2.1 Mailbox busy", "451 4.3.0 Local error", "452 4.2.2 Mailbox full"] {
            let f = try OutboxFixture()
            let refusals = Counter()
            f.peer.script.rcpt = { _ in refusals.next() <= 2 ? code : "250 2.1.5 Ok" }
            try f.post(to: ["ann@x.org"])
            let worker = f.worker()
            var r = try await worker.drainOnce()
            XCTAssertEqual(r.deferred, 1, code)
            XCTAssertEqual(try f.state("ann@x.org"), .deferred, code)
            f.clock.advance(59)
            r = try await worker.drainOnce()
            XCTAssertEqual(r.deferred + r.sent, 0, "not before the 60 s backoff (\(code))")
            f.clock.advance(1)
            r = try await worker.drainOnce()
            XCTAssertEqual(r.deferred, 1, "second attempt at 60 s, refused again (\(code))")
            f.clock.advance(119)
            r = try await worker.drainOnce()
            XCTAssertEqual(r.deferred + r.sent, 0, "backoff doubled to 120 s (\(code))")
            f.clock.advance(1)
            r = try await worker.drainOnce()
            XCTAssertEqual(r.sent, 1, code)
            XCTAssertEqual(try f.state("ann@x.org"), .sent, code)
            XCTAssertEqual(try f.store.outboxEntries().first?.attempts, 3, code)
            XCTAssertEqual(try f.store.events(EventFilter(type: .deferral)).rows.count, 2, code)
            XCTAssertEqual(Set(f.peer.mails.map { $0.data.components(separatedBy: "Message-ID: ")[1].prefix(30) }).count, 1)
        }
    }

    func testPermanentRepliesAreTriedOnceAndFail() async throws {
        for (stage, code) in [("rcpt", "550 5.1.1 User unknown"), ("rcpt", "553 5.1.3 Bad address syntax"),
                              ("rcpt", "554 5.7.1 Relay access denied"), ("final", "554 5.7.1 Message rejected as spam")]
        {
            let f = try OutboxFixture()
            if stage == "rcpt" { f.peer.script.rcpt = { _ in code } } else { f.peer.script.final = { _ in code } }
            try f.post(to: ["ann@x.org"])
            let worker = f.worker()
            let r = try await worker.drainOnce()
            XCTAssertEqual(r.failed, 1, code)
            f.clock.advance(100_000)
            let again = try await worker.drainOnce()
            XCTAssertEqual(again.sent + again.deferred + again.failed, 0, "never tried again (\(code))")
            XCTAssertEqual(f.peer.commands.filter { $0.hasPrefix("RCPT") }.count, 1, code)
            let row = try f.row("ann@x.org")
            XCTAssertEqual(row.state, .error, code)
            XCTAssertEqual(row.errorDescription, code)
            XCTAssertEqual(row.errorType, stage == "rcpt" ? "rcpt_refused" : "message_refused")
        }
    }

    func testSlowGreetingTimesOutAsATemporaryFailure() async throws {
        let f = try OutboxFixture()
        f.timeouts = .all(0.3)
        f.peer.script.greetingDelay = 1.5
        try f.post(to: ["ann@x.org"])
        let start = Date()
        let r = try await f.worker().drainOnce()
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.4)
        XCTAssertEqual(r.deferred, 1)
        let entry = try XCTUnwrap(try f.store.outboxEntries().first)
        XCTAssertTrue(entry.lastError?.contains("greeting") == true, entry.lastError ?? "")
        XCTAssertFalse(entry.possibleDuplicate, "nothing was sent")
    }

    func testSlowFinalReplyTimesOutAndFlagsAPossibleDuplicate() async throws {
        let f = try OutboxFixture()
        f.timeouts = .all(0.3)
        f.peer.script.finalDelay = 1.5
        try f.post(to: ["ann@x.org"])
        let r = try await f.worker().drainOnce()
        XCTAssertEqual(r.deferred, 1)
        let entry = try XCTUnwrap(try f.store.outboxEntries().first)
        XCTAssertTrue(entry.possibleDuplicate, "the data went out: the server may have it")
        XCTAssertTrue(entry.lastError?.contains("end of data") == true, entry.lastError ?? "")
    }

    func testAuthNeverGoesOutInClearUnlessSecurityIsNoneAndRequiredStartTLS() async throws {
        // The peer offers AUTH but no STARTTLS. With the default (opportunistic) the password
        // must not go out in clear: the attempt fails on our side, the recipient is not bounced.
        let f = try OutboxFixture()
        f.user = "sender"
        let pid = try f.store.addPartner(name: "Ann", email: "ann@x.org")
        try f.post(to: ["ann@x.org"])
        var r = try await f.worker().drainOnce()
        XCTAssertEqual(r.deferred, 1)
        XCTAssertFalse(f.peer.commands.contains { $0.uppercased().hasPrefix("AUTH") }, "\(f.peer.commands)")
        XCTAssertFalse(f.peer.commands.contains { $0.hasPrefix("MAIL FROM") })
        XCTAssertEqual(try f.state("ann@x.org"), .deferred)
        XCTAssertFalse(try f.store.partnerCard(id: pid).emailBounced)
        let error = try XCTUnwrap(try f.store.outboxEntries().first?.lastError)
        XCTAssertTrue(error.contains("clear text") && error.contains("STARTTLS"), error)

        // Chosen explicitly: `none` sends it (the CLI prints the warning, see SendCommandTests).
        f.clock.advance(120)
        f.security = .none
        XCTAssertNotNil(f.smtpConfig.clearTextAuthWarning)
        r = try await f.worker().drainOnce()
        XCTAssertEqual(r.sent, 1)
        let auth = try XCTUnwrap(f.peer.commands.first { $0.hasPrefix("AUTH PLAIN") })
        XCTAssertEqual(auth, "AUTH PLAIN " + Data("\0sender\0s3cret".utf8).base64EncodedString())
        f.security = .opportunistic
        XCTAssertNil(f.smtpConfig.clearTextAuthWarning)

        f.security = .starttls
        try f.post(to: ["bob@x.org"], thread: "sale.order/43")
        r = try await f.worker().drainOnce()
        XCTAssertEqual(r.deferred, 1, "STARTTLS required and not offered: nothing goes out in clear")
        XCTAssertTrue(try f.store.outboxEntries().first { $0.recipient == "bob@x.org" }?.lastError?.contains("STARTTLS") == true)
        XCTAssertEqual(try f.state("bob@x.org"), .deferred)
    }
}

/// Quoted-printable decoding of a whole mail (soft breaks joined, =HH decoded), for "contains" checks.
func qpDecoded(_ text: String) -> String {
    let joined = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
    var out: [UInt8] = []
    var i = 0
    while i < joined.count {
        if joined[i] == UInt8(ascii: "="), i + 2 < joined.count,
            let v = UInt8(String(decoding: joined[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
        {
            out.append(v)
            i += 3
        } else {
            out.append(joined[i])
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// A thread-safe counter for scripts.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.withLock { n += 1; return n } }
}
