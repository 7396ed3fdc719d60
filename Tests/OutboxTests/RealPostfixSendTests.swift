import Foundation
import Outbox
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// Our SMTP client against a real Postfix on loopback (a private instance the
/// test starts): accepted mail is `sent` with Postfix's queue id and relayed
/// onwards with our headers and VERP sender; a recipient Postfix refuses at RCPT
/// time is an `error`. Needs root and Postfix (`make deps`): fails, not skips, without them.
final class RealPostfixSendTests: XCTestCase {
    func testSubmissionToRealPostfix() async throws {
        guard PrivatePostfix.usable() else { return }

        let f = try OutboxFixture(realClock: true)
        let postfix = try PrivatePostfix.relaying(to: f)
        defer { postfix.stop() }
        XCTAssertTrue(PrivatePostfix.canConnect(port: postfix.smtpPort), postfix.log)

        let post = try f.post(to: ["Ann <ann@remote.test>, bad@remote.test"])
        let worker = OutboxWorker(
            store: f.store,
            transport: SMTPTransport(
                config: SMTPConfig(host: "127.0.0.1", port: postfix.smtpPort, security: .opportunistic, timeouts: .all(10),
                                   verifyCertificate: false)),
            settings: f.settings, policy: f.policy)
        let report = try await worker.drainOnce()
        XCTAssertEqual(report.sent, 1, postfix.log)
        XCTAssertEqual(report.failed, 1)
        let ann = try f.row("ann@remote.test")
        XCTAssertEqual(ann.state, .sent)
        let entry = try XCTUnwrap(try f.store.outboxEntries(status: .sent).first)
        let queueId = try XCTUnwrap(entry.queueId, "Postfix's DATA reply names the queue id")
        XCTAssertGreaterThanOrEqual(queueId.count, 6)
        let bad = try f.row("bad@remote.test")
        XCTAssertEqual(bad.state, .error)
        XCTAssertEqual(bad.errorType, "rcpt_refused")
        XCTAssertTrue(bad.errorDescription?.hasPrefix("554 5.1.1") == true || bad.errorDescription?.hasPrefix("550") == true,
                      bad.errorDescription ?? "")

        // Postfix relays it to the peer: our envelope sender, headers and Message-ID arrive intact.
        var relayed: SMTPPeer.Mail?
        for _ in 0..<100 {
            relayed = f.peer.mails.first
            if relayed != nil { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let mail = try XCTUnwrap(relayed, "Postfix did not relay the mail: \(postfix.log)")
        XCTAssertEqual(mail.from, "bounce+\(ann.token!)@yourcompany.example")
        XCTAssertEqual(mail.recipients, ["ann@remote.test"])
        XCTAssertTrue(mail.data.contains("\(trackingHeaderName): \(ann.id)"))
        XCTAssertTrue(mail.data.contains("Message-ID: <\(post.messageId)>"))
        XCTAssertTrue(postfix.log.contains("\(queueId): message-id=<\(post.messageId)>"), "cleanup logs our Message-ID under the queue id")
        XCTAssertTrue(mail.mailLine.contains("ENVID=chatter-\(ann.id)-") || !f.peer.script.extensions.contains("DSN"),
                      "Postfix passes ENVID on to a DSN-capable next hop: \(mail.mailLine)")
    }

    func testStartTLSAgainstPostfixWithASelfSignedCertificate() async throws {
        guard PrivatePostfix.usable() else { return }
        let f = try OutboxFixture(realClock: true)
        let postfix = try PrivatePostfix.relaying(to: f, tls: true)
        defer { postfix.stop() }
        func worker(verify: Bool) -> OutboxWorker {
            OutboxWorker(
                store: f.store,
                transport: SMTPTransport(
                    config: SMTPConfig(host: "127.0.0.1", port: postfix.smtpPort, security: .starttls, timeouts: .all(10),
                                       verifyCertificate: verify)),
                settings: f.settings, policy: f.policy)
        }
        try f.post(to: ["ann@remote.test"])
        // Checking the certificate: a self-signed one is refused, nothing goes out.
        var report = try await worker(verify: true).drainOnce()
        XCTAssertEqual(report.deferred, 1)
        let refused = try XCTUnwrap(try f.store.outboxEntries().first)
        XCTAssertTrue(refused.lastError?.lowercased().contains("certificate") == true || refused.lastError?.contains("TLS") == true
                      || refused.lastError?.contains("handshake") == true, refused.lastError ?? "")
        // Without the check (tests only), STARTTLS goes through and the mail is sent over TLS
        // (the refused one backs off and is not due yet).
        try f.post(to: ["bob@remote.test"], thread: "sale.order/43")
        report = try await worker(verify: false).drainOnce()
        XCTAssertEqual(report.sent, 1)
        XCTAssertEqual(try f.state("bob@remote.test"), .sent)
        XCTAssertEqual(try f.state("ann@remote.test"), .deferred)
        XCTAssertTrue(postfix.log.contains("TLS connection established"), postfix.log)
    }
}
