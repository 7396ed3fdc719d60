import Foundation
import GRDB
import Outbox
import TrackingModel
import TrackingStore
import XCTest

/// The mail itself: MIME structure, encodings, threading headers, pixel switches; and the sendmail transport.
final class MailBuilderTests: XCTestCase {
    private func claim(_ f: OutboxFixture) throws -> [OutboxJob] { try f.store.claimDueOutbox(limit: 100) }

    func testHeadersEncodingAndThreading() throws {
        let f = try OutboxFixture()
        let first = try f.post(to: ["Zoë Ünal <zoe@x.org>"], subject: "Offre n° 42 — été", body: "Bonjour Zoë,\n.leading dot\nà bientôt")
        f.clock.advance(5)
        try f.post(to: ["\"Last, First\" <lf@x.org>"], subject: "Re: Offre", body: "second")
        let jobs = try claim(f)
        XCTAssertEqual(jobs.count, 2)
        let mail = try MailBuilder.build(jobs[0], settings: f.settings)
        let text = String(decoding: mail.data, as: UTF8.self)
        XCTAssertTrue(mail.data.allSatisfy { $0 < 128 }, "7-bit on the wire")
        XCTAssertFalse(text.contains("\n") && text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF only")
        for line in text.components(separatedBy: "\r\n") { XCTAssertLessThanOrEqual(line.utf8.count, 998) }
        XCTAssertTrue(text.contains("Subject: =?UTF-8?B?"))
        let subjectWords = text.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }
            .prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        XCTAssertEqual(Self.decodeWords(subjectWords.joined()), "Subject: Offre n° 42 — été")
        XCTAssertTrue(text.contains("To: =?UTF-8?B?"), "non-ASCII display name encoded")
        XCTAssertTrue(text.contains("<zoe@x.org>"))
        XCTAssertTrue(text.contains("Message-ID: <\(first.messageId)>"))
        XCTAssertFalse(text.contains("In-Reply-To"), "the first message of a thread replies to nothing")
        XCTAssertTrue(text.contains("Content-Type: multipart/alternative"))
        XCTAssertTrue(text.contains("Content-Type: text/plain; charset=utf-8"))
        XCTAssertTrue(text.contains("Content-Type: text/html; charset=utf-8"))
        let decoded = qpDecoded(text)
        XCTAssertTrue(decoded.contains("Bonjour Zoë,\r\n.leading dot\r\nà bientôt"))
        XCTAssertFalse(text.contains("\r\n.leading"), "a leading dot is encoded, never left for dot-stuffing")

        let second = String(decoding: try MailBuilder.build(jobs[1], settings: f.settings).data, as: UTF8.self)
        XCTAssertTrue(second.contains("In-Reply-To: <\(first.messageId)>"))
        XCTAssertTrue(second.contains("References: <\(first.messageId)>"))
        XCTAssertTrue(second.contains("To: \"Last, First\" <lf@x.org>"))
    }

    func testPixelOffGloballyOrForTheThread() throws {
        let f = try OutboxFixture()
        try f.post(to: ["a@x.org"], thread: "res.partner/1")
        try f.post(to: ["b@x.org"], thread: "res.partner/2")
        let db = try DatabaseQueue(path: f.store.path)
        try db.write { try $0.execute(sql: "UPDATE threads SET tracking_img_disabled = 1 WHERE key = '2'") }
        try db.close()
        let jobs = try claim(f)
        let on = qpDecoded(String(decoding: try MailBuilder.build(jobs[0], settings: f.settings).data, as: UTF8.self))
        let threadOff = qpDecoded(String(decoding: try MailBuilder.build(jobs[1], settings: f.settings).data, as: UTF8.self))
        var global = f.settings
        global.pixelEnabled = false
        let globalOff = qpDecoded(String(decoding: try MailBuilder.build(jobs[0], settings: global).data, as: UTF8.self))
        XCTAssertTrue(on.contains("<img src=\"http://pixel.test:8025/t/"))
        XCTAssertFalse(threadOff.contains("<img"))
        XCTAssertFalse(globalOff.contains("<img"))
        XCTAssertTrue(globalOff.contains("\(trackingHeaderName): "), "the tracking header stays")
    }

    func testSendmailTransportExitCodes() async throws {
        let f = try OutboxFixture()
        try f.post(to: ["a@x.org"])
        let job = try XCTUnwrap(try claim(f).first)
        let mail = try MailBuilder.build(job, settings: f.settings)
        let captured = f.dir.appendingPathComponent("captured")
        for (code, expect) in [(0, "accepted"), (75, "transient"), (67, "permanent")] {
            let script = f.dir.appendingPathComponent("sendmail-\(code)")
            try "#!/bin/sh\nprintf '%s\\n' \"$@\" > '\(captured.path).args'\ncat > '\(captured.path)'\necho 'refused' >&2\nexit \(code)\n"
                .write(to: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
            let outcomes = await SendmailTransport(path: script.path).deliver(mail)
            XCTAssertEqual(outcomes.count, 1, "one outcome per recipient")
            switch try XCTUnwrap(outcomes.first) {
            case .accepted: XCTAssertEqual(expect, "accepted")
            case .transient(_, let reply, _):
                XCTAssertEqual(expect, "transient")
                XCTAssertTrue(reply.contains("exit 75: refused"), reply)
            case .permanent: XCTAssertEqual(expect, "permanent")
            }
            let args = try String(contentsOf: URL(fileURLWithPath: captured.path + ".args"), encoding: .utf8)
            XCTAssertEqual(args, "-i\n-f\n\(mail.envelopeFrom)\n--\na@x.org\n")
            let body = try Data(contentsOf: captured)
            XCTAssertFalse(body.contains(13), "sendmail gets LF line ends")
            XCTAssertTrue(String(decoding: body, as: UTF8.self).contains("\(trackingHeaderName): \(job.trackingId)\n"))
        }
        let missing = await SendmailTransport(path: f.dir.appendingPathComponent("nope").path).deliver(mail)
        if case .transient = missing.first {} else { XCTFail("a missing binary is a local, temporary problem: \(missing)") }
    }

    /// Decodes `=?UTF-8?B?...?=` words (and drops the folding between them).
    static func decodeWords(_ s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let start = rest.range(of: "=?UTF-8?B?") {
            out += rest[..<start.lowerBound].replacingOccurrences(of: " ", with: "", options: [], range: nil).isEmpty
                ? "" : String(rest[..<start.lowerBound])
            let after = rest[start.upperBound...]
            guard let end = after.range(of: "?=") else { break }
            out += String(decoding: Data(base64Encoded: String(after[..<end.lowerBound])) ?? Data(), as: UTF8.self)
            rest = after[end.upperBound...]
        }
        return out + rest
    }
}
