@testable import DeliverySignals
import Foundation
import GRDB
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

@testable import EventIngest

/// A big mail in a bounce Maildir: read at most up to the size cap and parsed outside the
/// write transaction, so a writer beside `chatter ingest` is never blocked for the parse.
///
/// `CHATTER_SOAK_MAIL_MB` sets the big mail's size (the suite: 3 MiB; `make soak`: 200), and
/// the soak prints the writer's longest wait and the ingest's peak memory.
final class MaildirBigMailTests: XCTestCase {
    private var megabytes: Int { Int(ProcessInfo.processInfo.environment["CHATTER_SOAK_MAIL_MB"] ?? "") ?? 3 }

    /// A delivery report for `recipient` of the message `messageId`, returning that message
    /// whole with a body of `size` bytes after the report: base64, or plain text (slower to read).
    private func bigReport(recipient: String, messageId: String, size: Int, text: Bool = false, to path: String) throws {
        let head = """
            From: MAILER-DAEMON@testhost.localdomain
            To: me@app.testhost.localdomain
            Subject: Undelivered Mail Returned to Sender
            Date: Wed, 25 Nov 2026 11:49:00 +0000
            Message-ID: <dsn-\(messageId)>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="BOUND"

            --BOUND
            Content-Type: text/plain

            Your message could not be delivered.

            --BOUND
            Content-Type: message/delivery-status

            Reporting-MTA: dns; testhost.localdomain

            Final-Recipient: rfc822; \(recipient)
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 <\(recipient)>: Recipient address rejected: User unknown

            --BOUND
            Content-Type: message/rfc822

            From: me@app.testhost.localdomain
            To: \(recipient)
            Subject: the big one
            Message-ID: <\(messageId)>
            \(text ? "Content-Type: text/plain" : "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64")


            """
        try writeMail(head: head, bodyBytes: size, text: text, tail: "\n--BOUND--\n", to: path)
    }

    /// `head`, then about `bodyBytes` of base64 lines, then `tail`, written in chunks (never whole in memory).
    private func writeMail(head: String, bodyBytes: Int, text: Bool = false, tail: String, to path: String) throws {
        FileManager.default.createFile(atPath: path, contents: Data(head.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        let line = Data(((text ? "the delivery of your mail to the user failed, please try again " : String(repeating: "QUJD", count: 19)) + "\r\n").utf8)
        var chunk = Data()
        for _ in 0..<(1 << 20) / line.count { chunk.append(line) }
        var written = 0
        while written < bodyBytes {
            try handle.write(contentsOf: chunk)
            written += chunk.count
        }
        try handle.write(contentsOf: Data(tail.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        try handle.close()
    }

    private func maildir(_ fx: PollerFixture) throws -> String {
        let root = fx.path("bounces")
        for folder in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        return root
    }

    /// What a writer saw while `chatter ingest` ran: its longest wait for one small write
    /// transaction, and the ingest's wall time and peak resident memory.
    private struct Contended {
        var status: Int32
        var output: String
        var longestWait: Double
        var writes: Int
        var seconds: Double
        var peakKiB: Int
    }

    /// Runs `chatter ingest ARGS` while this process writes to the same store in a loop.
    private func ingestBesideAWriter(_ fx: PollerFixture, _ args: [String]) throws -> Contended {
        let writer = try TrackingStore(path: fx.store.path)
        let me = try writer.user(email: "writer@app.test")
        let start = Date()
        let p = try MeasuredProcess(ChatterBinary.url, ["ingest", "--db", fx.store.path] + args)
        var longest = 0.0
        var writes = 0
        while p.isRunning {
            let t0 = Date()
            _ = try writer.post(
                PostRequest(
                    thread: ThreadRef(model: "writer", key: "w"), authorId: me.id, to: ["w\(writes)@x.test"],
                    subject: "write \(writes)", body: "b"))
            longest = max(longest, Date().timeIntervalSince(t0))
            writes += 1
            usleep(5_000)
        }
        let run = p.wait()
        let seconds = Date().timeIntervalSince(start)
        return Contended(
            status: run.status, output: run.stdout, longestWait: longest, writes: writes, seconds: seconds, peakKiB: run.peakKiB)
    }

    func testMailAboveTheCapIsReadOnlyToItsReportAndNoWriterWaitsForIt() throws {
        let fx = try PollerFixture()
        let row = try XCTUnwrap(try fx.post(messageId: "big@app.test", to: ["big@remote.test"])["big@remote.test"])
        let root = try maildir(fx)
        let size = megabytes << 20
        try bigReport(recipient: "big@remote.test", messageId: "big@app.test", size: size, to: root + "/new/1795607350.M1P1.big")
        // Not a report at all, above the cap: quarantined as too large, not judged on a part.
        try writeMail(
            head: "From: someone@remote.test\nTo: me@app.testhost.localdomain\nSubject: holiday pictures\n"
                + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n",
            bodyBytes: size, tail: "\n", to: root + "/new/1795607351.M1P2.pictures")

        // The suite: a small cap under a few MiB; the soak: the default cap under 200 MB.
        let soak = ProcessInfo.processInfo.environment["CHATTER_SOAK_MAIL_MB"] != nil
        let cap = soak ? MaildirReader.defaultMaxMailBytes : 256 << 10
        let run = try ingestBesideAWriter(fx, ["--max-mail-bytes", String(cap), root])
        XCTAssertEqual(run.status, 0, run.output)
        print(
            "maildir big mail: \(megabytes) MiB x2, cap \(cap >> 10) KiB: ingest \(String(format: "%.2f", run.seconds)) s, "
                + "peak \(run.peakKiB / 1024) MiB; writer: \(run.writes) writes, longest wait \(String(format: "%.3f", run.longestWait)) s")
        XCTAssertTrue(run.output.contains("applied 1,") && run.output.contains("quarantined 1,"), run.output)
        XCTAssertEqual(try fx.store.tracking(id: row.id).state, .bounced, "the report within the cap was read")
        let reason = try fx.dbQueue().read { db in try String.fetchOne(db, sql: "SELECT reason FROM quarantine") }
        let pictures = try FileManager.default.attributesOfItem(atPath: root + "/new/1795607351.M1P2.pictures")[.size] as? Int
        XCTAssertEqual(reason, "mail too large (\(try XCTUnwrap(pictures)) bytes)")
        XCTAssertLessThan(run.longestWait, 1.0, "a writer beside the ingest is never held for a parse")
        XCTAssertLessThan(run.peakKiB, 400 << 10, "memory does not grow with the mail")
    }

    func testMailsAreParsedOutsideTheWriteTransaction() throws {
        let fx = try PollerFixture()
        let root = try maildir(fx)
        var rows: [TrackingRow] = []
        for n in 0..<3 {
            rows.append(try XCTUnwrap(try fx.post(messageId: "m\(n)@app.test", to: ["m\(n)@remote.test"])["m\(n)@remote.test"]))
            try bigReport(recipient: "m\(n)@remote.test", messageId: "m\(n)@app.test", size: 1, to: root + "/new/17956073\(50 + n).M\(n)")
        }
        // While each mail is parsed, another connection must be able to take the write lock at once.
        var config = Configuration()
        config.busyMode = .immediateError
        let other = try DatabaseQueue(path: fx.store.path, configuration: config)
        var parses = 0
        var blocked: [String] = []
        let reader = MaildirSourceReader(
            name: "maildir:" + root, root: root, doneFolder: nil, batchSize: 10, maxMailBytes: 1 << 20,
            parse: { mail in
                parses += 1
                do {
                    try other.write { db in try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, 'x')", arguments: [mail.identity]) }
                } catch {
                    blocked.append("\(mail.identity): \(error)")
                }
                return DsnMailbox.parseMaildirMail(mail)
            })
        let (report, more) = try reader.step(store: fx.store)
        XCTAssertEqual(parses, 3)
        XCTAssertEqual(blocked, [], "a parse ran inside the write transaction")
        XCTAssertEqual(report.applied, 3)
        XCTAssertFalse(more)
        for row in rows { XCTAssertEqual(try fx.store.tracking(id: row.id).state, .bounced) }
    }

    func testTheCapIsSetPerMaildirSourceInTheConfig() throws {
        let config = try PollerConfig.parse(
            "[[source]]\nkind = \"maildir\"\npath = \"/srv/bounces\"\nmax_mail_bytes = 65536\n\n"
                + "[[source]]\nkind = \"maildir\"\npath = \"/srv/other\"\n", file: "config.toml")
        XCTAssertEqual(config.sources.map(\.maxMailBytes), [65536, MaildirReader.defaultMaxMailBytes])
        XCTAssertThrowsError(
            try PollerConfig.parse("[[source]]\nkind = \"maildir\"\npath = \"/x\"\nmax_mail_bytes = 0\n", file: "config.toml"))
    }
}
