import Foundation
import GRDB
import Outbox
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// One mail to all recipients (`--one-mail`): the mail itself, and the sender
/// against the scriptable SMTP peer (one transaction, per-RCPT outcomes per row).
final class SharedMailSendTests: XCTestCase {
    @discardableResult
    private func postShared(_ f: OutboxFixture, to: [String], cc: [String] = []) throws -> PostResult {
        try f.store.postAndQueue(
            PostRequest(
                thread: ThreadRef(parsing: "sale.order/7")!, authorId: f.me.id, to: to, cc: cc, subject: "Quote",
                body: "Hello all"),
            sharedMail: true
        ).post
    }

    private func sharedToken(_ f: OutboxFixture, _ post: PostResult) throws -> String {
        let db = try DatabaseQueue(path: f.store.path)
        defer { try? db.close() }
        return try XCTUnwrap(
            try db.read { try String.fetchOne($0, sql: "SELECT shared_token FROM messages WHERE id = ?", arguments: [post.id]) })
    }

    private func occurrences(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    func testOneMailHasTheTypedHeadersEveryRecipientAndOnePixel() throws {
        let f = try OutboxFixture()
        let post = try postShared(f, to: ["Ann <ann@x.org>, bob@x.org"], cc: ["Cy <cy@x.org>"])
        let token = try sharedToken(f, post)
        let jobs = try f.store.claimDueMail()
        let mail = try MailBuilder.build(jobs, settings: f.settings)
        XCTAssertTrue(mail.shared)
        XCTAssertEqual(mail.recipients, ["ann@x.org", "bob@x.org", "cy@x.org"])
        XCTAssertEqual(mail.envelopeFrom, "bounce+\(token)@yourcompany.example", "the VERP token names the message")
        XCTAssertEqual(mail.envelopeId, token)
        let text = String(decoding: mail.data, as: UTF8.self)
        XCTAssertTrue(text.contains("To: Ann <ann@x.org>,\r\n <bob@x.org>\r\n"), text)
        XCTAssertTrue(text.contains("Cc: Cy <cy@x.org>\r\n"))
        XCTAssertEqual(occurrences("Message-ID: <\(post.messageId)>", in: text), 1)
        XCTAssertTrue(text.contains("\(trackingHeaderName): \(token)\r\n"))
        let html = qpDecoded(text)
        XCTAssertEqual(occurrences("<img ", in: html), 1, "one pixel for the whole mail")
        XCTAssertTrue(html.contains("<img src=\"http://pixel.test:8025/t/\(jobs[0].trackingId)/\(token)/blank.gif\""))
        for row in post.trackings { XCTAssertFalse(text.contains(row.token!), "no row's own token in a shared mail") }
    }

    func testJobsOfPerRecipientMailsAreNotOneMail() throws {
        let f = try OutboxFixture()
        try f.post(to: ["a@x.org, b@x.org"])
        let jobs = try f.store.claimDueOutbox(limit: 10)
        XCTAssertEqual(jobs.count, 2)
        XCTAssertThrowsError(try MailBuilder.build(jobs, settings: f.settings)) { error in
            guard case MailBuildError.notOneMail = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try MailBuilder.build([OutboxJob](), settings: f.settings))
    }

    func testMixedRcptRepliesInOneSharedMailGivePerRowOutcomesAndTheRestGoesTogetherLater() async throws {
        let f = try OutboxFixture()
        let badPartner = try f.store.addPartner(name: "Bad", email: "bad@x.org")
        let greylisted = Counter()
        f.peer.script.rcpt = { a in
            if a.hasPrefix("bad") { return "550 5.1.1 <\(a)>: User unknown" }
            if a.hasPrefix("grey") || a.hasPrefix("full") { return greylisted.next() <= 2 ? "451 4.7.1 Greylisted" : "250 2.1.5 Ok" }
            return "250 2.1.5 Ok"
        }
        f.peer.script.final = { _ in "250 2.0.0 Ok: queued as 5E1A7ED" }
        let post = try postShared(f, to: ["ok@x.org, bad@x.org, grey@x.org, full@x.org"])
        let token = try sharedToken(f, post)
        let worker = f.worker()
        var report = try await worker.drainOnce()
        XCTAssertEqual(report.sent, 1)
        XCTAssertEqual(report.failed, 1)
        XCTAssertEqual(report.deferred, 2)
        XCTAssertEqual(f.peer.mails.count, 1, "one mail")
        XCTAssertEqual(f.peer.commands.filter { $0.uppercased().hasPrefix("RCPT TO:") }.count, 4, "one RCPT per recipient")
        let mail = try XCTUnwrap(f.peer.mails.first)
        XCTAssertEqual(mail.recipients, ["ok@x.org"])
        XCTAssertEqual(mail.from, "bounce+\(token)@yourcompany.example")
        XCTAssertTrue(mail.mailLine.contains("ENVID=\(token)"), mail.mailLine)
        XCTAssertEqual(try f.state("ok@x.org"), .sent)
        XCTAssertEqual(try f.store.trackingIds(queueId: "5E1A7ED"), [try f.row("ok@x.org").id], "the queue id ties back")
        XCTAssertEqual(try f.state("bad@x.org"), .error)
        XCTAssertEqual(try f.row("bad@x.org").errorDescription, "550 5.1.1 <bad@x.org>: User unknown")
        XCTAssertTrue(try f.store.partnerCard(id: badPartner).emailBounced)
        XCTAssertEqual(try f.state("grey@x.org"), .deferred)
        XCTAssertEqual(try f.state("full@x.org"), .deferred)

        f.clock.advance(60)
        report = try await worker.drainOnce()
        XCTAssertEqual(report.sent, 2)
        XCTAssertEqual(f.peer.mails.count, 2, "the deferred recipients get one mail together")
        let second = try XCTUnwrap(f.peer.mails.last)
        XCTAssertEqual(second.recipients, ["grey@x.org", "full@x.org"])
        XCTAssertTrue(second.data.contains("Message-ID: <\(post.messageId)>"), "an automatic retry keeps the Message-ID")
        XCTAssertEqual(try f.state("grey@x.org"), .sent)
        XCTAssertEqual(try f.state("full@x.org"), .sent)
        XCTAssertEqual(Set(try f.store.outboxEntries().map(\.status)), [.sent, .failed])
    }

    func testALaterSenderFollowsTheRecordedModeNotItsOwn() async throws {
        let f = try OutboxFixture()
        try postShared(f, to: ["a@x.org, b@x.org"])
        try f.post(to: ["c@x.org, d@x.org"])
        let report = try await f.worker().drainOnce()
        XCTAssertEqual(report.sent, 4)
        XCTAssertEqual(f.peer.mails.map(\.recipients), [["a@x.org", "b@x.org"], ["c@x.org"], ["d@x.org"]])
    }

    func testEveryRcptRefusedSendsNoDataAndErrsEachRow() async throws {
        let f = try OutboxFixture()
        f.peer.script.rcpt = { a in a.hasPrefix("gone") ? "550 5.1.1 <\(a)>: User unknown" : "452 4.2.2 Mailbox full" }
        try postShared(f, to: ["gone@x.org, full@x.org"])
        let report = try await f.worker().drainOnce()
        XCTAssertEqual(report.failed, 1)
        XCTAssertEqual(report.deferred, 1)
        XCTAssertEqual(f.peer.mails.count, 0)
        XCTAssertFalse(f.peer.commands.contains("DATA"), "no DATA without an accepted recipient")
        XCTAssertEqual(try f.state("gone@x.org"), .error)
        XCTAssertEqual(try f.state("full@x.org"), .deferred)
    }

    func testATimeoutAfterTheDataLeavesARefusedRecipientRefused() async throws {
        let f = try OutboxFixture()
        f.timeouts = .all(0.3)
        f.peer.script.finalDelay = 1.5
        f.peer.script.rcpt = { a in a.hasPrefix("gone") ? "550 5.1.1 <\(a)>: User unknown" : "250 2.1.5 Ok" }
        try postShared(f, to: ["ann@x.org, gone@x.org"])
        let report = try await f.worker().drainOnce()
        XCTAssertEqual(report.deferred, 1)
        XCTAssertEqual(report.failed, 1)
        XCTAssertEqual(try f.state("gone@x.org"), .error, "its RCPT was refused before the data: no doubt there")
        let ann = try XCTUnwrap(try f.store.outboxEntries().first { $0.recipient == "ann@x.org" })
        XCTAssertTrue(ann.possibleDuplicate, "the data went out: the server may have it")
        XCTAssertEqual(ann.status, .queued)
    }

    func testSendmailGetsEveryRecipientOfASharedMailAndItsExitForEach() async throws {
        let f = try OutboxFixture()
        try postShared(f, to: ["a@x.org, b@x.org"])
        let mail = try MailBuilder.build(try f.store.claimDueMail(), settings: f.settings)
        let captured = f.dir.appendingPathComponent("args")
        let script = f.dir.appendingPathComponent("sendmail")
        try "#!/bin/sh\nprintf '%s\\n' \"$@\" > '\(captured.path)'\ncat > /dev/null\nexit 0\n"
            .write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let outcomes = await SendmailTransport(path: script.path).deliver(mail)
        XCTAssertEqual(outcomes.count, 2)
        for outcome in outcomes {
            guard case .accepted = outcome else { return XCTFail("\(outcome)") }
        }
        let args = try String(contentsOf: captured, encoding: .utf8)
        XCTAssertEqual(args, "-i\n-f\n\(mail.envelopeFrom)\n--\na@x.org\nb@x.org\n")
    }

    /// `post --send` with the config key and the flags, then `chatter send`: the recorded mode rules.
    func testConfigKeyAndFlagsChooseTheModeAtPostAndSendFollowsIt() throws {
        let f = try OutboxFixture(realClock: true)
        let config = f.dir.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: config.appendingPathComponent("chatter"), withIntermediateDirectories: true)
        try """
            [smtp]
            host = "127.0.0.1"
            port = \(f.peer.port)
            security = "none"
            mail_per_recipient = false
            """.write(to: config.appendingPathComponent("chatter/config.toml"), atomically: true, encoding: .utf8)
        let env = ["XDG_CONFIG_HOME": config.path]
        let common = ["--db", f.store.path, "--as", "me@yourcompany.example", "--subject", "S", "--body", "B", "--send"]
        func post(_ thread: String, _ extra: [String]) throws -> Int64 {
            let r = try runChatter(["post", "--thread", thread, "--to", "a@x.org, b@x.org"] + common + extra, env: env)
            XCTAssertEqual(r.0, 0, r.2)
            return try XCTUnwrap(Int64(r.1.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let fromConfig = try post("t/1", [])
        let overridden = try post("t/2", ["--no-one-mail"])
        XCTAssertTrue(try f.store.message(id: fromConfig).sharedMail, "mail_per_recipient = false")
        XCTAssertFalse(try f.store.message(id: overridden).sharedMail, "--no-one-mail wins over the file")
        let flagged = try runChatter(
            ["post", "--thread", "t/3", "--to", "c@x.org", "--one-mail", "--db", f.store.path, "--as", "me@yourcompany.example",
             "--subject", "S", "--body", "B"], env: env)
        XCTAssertNotEqual(flagged.0, 0, "--one-mail without --send is refused")

        let sent = try runChatter(["send", "--once", "--db", f.store.path], env: env)
        XCTAssertEqual(sent.0, 0, sent.2)
        XCTAssertEqual(f.peer.mails.map(\.recipients), [["a@x.org", "b@x.org"], ["a@x.org"], ["b@x.org"]])
    }

    /// Against a real Postfix (private instance; root and `make deps`, as RealPostfixSendTests):
    /// one transaction, the refused RCPT on its own row, one relayed mail to the accepted two.
    func testOneSharedMailThroughRealPostfix() async throws {
        guard PrivatePostfix.usable() else { return }
        let f = try OutboxFixture(realClock: true)
        let postfix = try PrivatePostfix.relaying(to: f)
        defer { postfix.stop() }
        let post = try postShared(f, to: ["Ann <ann@remote.test>, bob@remote.test, bad@remote.test"])
        let token = try sharedToken(f, post)
        let worker = OutboxWorker(
            store: f.store,
            transport: SMTPTransport(
                config: SMTPConfig(
                    host: "127.0.0.1", port: postfix.smtpPort, security: .opportunistic, timeouts: .all(10),
                    verifyCertificate: false)),
            settings: f.settings, policy: f.policy)
        let report = try await worker.drainOnce()
        XCTAssertEqual(report.sent, 2, postfix.log)
        XCTAssertEqual(report.failed, 1)
        XCTAssertEqual(try f.state("bad@remote.test"), .error)
        let queueIds = Set(try f.store.outboxEntries(status: .sent).compactMap(\.queueId))
        XCTAssertEqual(queueIds.count, 1, "one mail, one queue id")
        let queueId = try XCTUnwrap(queueIds.first)
        XCTAssertEqual(
            try f.store.trackingIds(queueId: queueId), [try f.row("ann@remote.test").id, try f.row("bob@remote.test").id],
            "one queue id for the mail; a log line's recipient picks the row")
        var relayed: SMTPPeer.Mail?
        for _ in 0..<100 {
            relayed = f.peer.mails.first
            if relayed != nil { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let mail = try XCTUnwrap(relayed, "Postfix did not relay the mail: \(postfix.log)")
        XCTAssertEqual(Set(mail.recipients), ["ann@remote.test", "bob@remote.test"])
        XCTAssertEqual(mail.from, "bounce+\(token)@yourcompany.example")
        XCTAssertTrue(mail.data.contains("\(trackingHeaderName): \(token)"))
        XCTAssertEqual(f.peer.mails.count, 1, "one mail")
    }
}
