import EventIngest
import Foundation
import Outbox
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// Crash reconciliation against a real Postfix: a sender that died after
/// Postfix's DATA reply left its entry in `sending`; the next sender finds the mail in
/// Postfix's log and marks it sent with the real queue id, without sending it again. An
/// entry whose attempt never reached Postfix, with a log that goes on past it, is resent
/// without the possible-duplicate flag. Needs root and Postfix (`make deps`).
final class RealPostfixReconcileTests: XCTestCase {
    func testTheNextSenderSettlesAKilledAttemptFromThePostfixLog() async throws {
        guard PrivatePostfix.usable() else { return }

        let f = try OutboxFixture(realClock: true)
        let postfix = try PrivatePostfix.relaying(to: f)
        defer { postfix.stop() }
        try f.post(to: ["ann@remote.test, bob@remote.test"])
        let config = SMTPConfig(
            host: "127.0.0.1", port: postfix.smtpPort, security: .none, timeouts: .all(10), verifyCertificate: false)

        // The killed sender: both attempts recorded at claim; Ann's mail went through (Postfix
        // answered 250 with its queue id), the sender died before recording it; Bob's never left.
        let jobs = try f.store.claimDueOutbox(limit: 2)
        XCTAssertEqual(jobs.map(\.address), ["ann@remote.test", "bob@remote.test"])
        let transport = SMTPTransport(config: config)
        let outcomes = await transport.deliver(try MailBuilder.build(jobs[0], settings: f.settings))
        await transport.finish()
        guard case .accepted(_, let queueId?, _) = outcomes.first else { return XCTFail("not accepted: \(outcomes)") }

        // The log goes on past Bob's attempt start + the margin (a later smtpd connection).
        let margin = 1.0
        try await Task.sleep(nanoseconds: UInt64((margin + 1.2) * 1e9))
        let connects = postfix.log.components(separatedBy: "connect from").count
        XCTAssertTrue(PrivatePostfix.canConnect(port: postfix.smtpPort))
        XCTAssertTrue(postfix.waitForLog(timeout: 10) { $0.components(separatedBy: "connect from").count > connects })

        let worker = OutboxWorker(
            store: f.store, transport: SMTPTransport(config: config), settings: f.settings, policy: f.policy,
            evidence: PostfixLogEvidence(path: postfix.logPath, margin: margin))
        let report = try await worker.drainOnce()
        XCTAssertEqual(report.reconciled.map(\.path), [
            .sentPerLog(queueId: queueId, source: "postfix log"), .resentAbsentFromLog(source: "postfix log"),
        ], postfix.log)
        XCTAssertEqual(report.sent, 1, "only Bob's mail is sent again")
        XCTAssertEqual(report.possibleDuplicatesRequeued, 0)

        let entries = Dictionary(uniqueKeysWithValues: try f.store.outboxEntries().map { ($0.trackingId, $0) })
        let ann = try f.row("ann@remote.test")
        let bob = try f.row("bob@remote.test")
        XCTAssertEqual(entries[ann.id]?.status, .sent)
        XCTAssertEqual(entries[ann.id]?.queueId, queueId, "the real queue id, read from the log")
        XCTAssertEqual(entries[bob.id]?.status, .sent)
        XCTAssertEqual(entries[bob.id]?.possibleDuplicate, false)
        XCTAssertEqual(ann.state, .sent)
        let sent = try XCTUnwrap(try f.store.events(EventFilter(trackingId: ann.id, type: .sent)).rows.first)
        XCTAssertEqual(sent.details.smtpServer, "postfix log")
        XCTAssertEqual(sent.details.errorDetails, "queued as \(queueId)")
        XCTAssertEqual(try f.store.trackingIds(queueId: queueId), [ann.id], "the poller can tie Postfix's lines back")

        // Postfix relays each mail once to the fake MX: no second copy of Ann's.
        var mails: [SMTPPeer.Mail] = []
        for _ in 0..<100 {
            mails = f.peer.mails
            if mails.count >= 2 { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        try await Task.sleep(nanoseconds: 500_000_000)
        mails = f.peer.mails
        XCTAssertEqual(mails.flatMap(\.recipients).sorted(), ["ann@remote.test", "bob@remote.test"], postfix.log)
    }

    /// The real binary, really killed: its sendmail hands the mail to Postfix, then `kill -9`s
    /// `chatter send` before it can record anything. The next `chatter send --postfix-log`
    /// finds the mail in the log (pickup, cleanup, qmgr) and does not send it again.
    func testKillNineAfterPostfixTookTheMailIsSettledByTheNextSend() throws {
        guard PrivatePostfix.usable() else { return }
        let f = try OutboxFixture(realClock: true)
        let postfix = try PrivatePostfix.relaying(to: f)
        defer { postfix.stop() }
        try f.post(to: ["ann@remote.test"])
        let ann = try f.row("ann@remote.test")
        let submit = f.dir.appendingPathComponent("sendmail").path
        let killer = f.dir.appendingPathComponent("sendmail-then-die").path
        try "#!/bin/sh\nexec /usr/sbin/sendmail -C \(postfix.dir)/etc \"$@\"\n"
            .write(toFile: submit, atomically: true, encoding: .utf8)
        try "#!/bin/sh\n/usr/sbin/sendmail -C \(postfix.dir)/etc \"$@\" || exit $?\nkill -9 $PPID\n"
            .write(toFile: killer, atomically: true, encoding: .utf8)
        for script in [submit, killer] { XCTAssertEqual(chmod(script, 0o755), 0) }
        let binary = ChatterBinary.url.path
        let env = ["XDG_CONFIG_HOME": f.dir.appendingPathComponent("no-config").path]
        let base = ["send", "--once", "--db", f.store.path]

        let (killed, _) = try PrivatePostfix.run(binary, base + ["--sendmail", killer], env: env)
        XCTAssertEqual(killed, SIGKILL, "the sender died after Postfix took the mail")
        XCTAssertEqual(try f.store.outboxEntries().map(\.status), [.sending])
        let verp = "from=<bounce+\(try XCTUnwrap(ann.token))@yourcompany.example>"
        XCTAssertTrue(postfix.waitForLog(timeout: 20) { $0.contains(verp) && $0.contains("queue active") }, postfix.log)
        let logged = try XCTUnwrap(
            postfix.log.split(separator: "\n").first { $0.contains(verp) }?.split(separator: " ")
                .first { $0.hasSuffix(":") && $0.count > 6 && $0.allSatisfy { $0.isHexDigit || $0 == ":" } })
        let queueId = String(logged.dropLast())

        let (status, out) = try PrivatePostfix.run(
            binary, base + ["--json", "--sendmail", submit, "--postfix-log", postfix.logPath], env: env)
        XCTAssertEqual(status, 0, out)
        XCTAssertTrue(out.contains(#""path": "sent_per_log""#) && out.contains(#""queue_id": "\#(queueId)""#), out)
        XCTAssertTrue(out.contains(#""sent": 0"#), out)
        let entry = try XCTUnwrap(try f.store.outboxEntries().first)
        XCTAssertEqual(entry.status, .sent)
        XCTAssertEqual(entry.queueId, queueId)
        XCTAssertFalse(entry.possibleDuplicate)

        // Postfix relays it once; nothing was submitted a second time.
        for _ in 0..<100 where f.peer.mails.isEmpty { usleep(100_000) }
        usleep(500_000)
        XCTAssertEqual(f.peer.mails.flatMap(\.recipients), ["ann@remote.test"], postfix.log)
        XCTAssertEqual(postfix.log.components(separatedBy: "message-id=<").count - 1, 1, "one submission")
    }
}
