import Foundation
import TrackingModel
import TrackingStore
import XCTest

@testable import EventIngest

/// Reconciliation's reading of the Postfix log: a committed queue id with our Message-ID
/// and VERP sender after the attempt start (in a rotated `.gz` too), absence only from a
/// log that goes on past start + margin, silence otherwise.
final class PostfixLogEvidenceTests: XCTestCase {
    let t0 = 1_764_000_000.0  // 2025-11-24 16:00:00 UTC

    private func attempt(_ id: Int64, _ messageId: String, startedAt: Double, from: String?) -> InterruptedAttempt {
        InterruptedAttempt(
            outboxId: id, trackingId: id * 10, attempt: 1, startedAt: startedAt, messageIdHeader: messageId, token: nil,
            authorEmail: nil, envelopeFrom: from)
    }

    /// `Nov 24 16:00:SS host postfix/SERVICE[1]: TEXT` at `t0 + seconds` (syslog style, UTC).
    private func line(_ seconds: Int, _ service: String, _ text: String) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "Nov 24 16:\(two(seconds / 60)):\(two(seconds % 60)) vm postfix/\(service)[4242]: \(text)\n"
    }

    func testAcceptedAbsentAndSilentAnswers() throws {
        let dir = try LogDirectory()
        // The rotated, compressed file: an older send of m1 (before the attempt), then the attempt's
        // two per-recipient mails of message m1: only the second carries our VERP sender.
        try dir.append(
            line(0, "smtpd", "connect from localhost[127.0.0.1]")
                + line(1, "cleanup", "1A2B3C4D5E: message-id=<m1@app.test>")
                + line(1, "qmgr", "1A2B3C4D5E: from=<bounce+tb@sender.test>, size=900, nrcpt=1 (queue active)")
                + line(1, "cleanup", "9F8E7D6C5B: message-id=<m1@app.test>")
                + line(1, "qmgr", "9F8E7D6C5B: from=<BOUNCE+ta@sender.test>, size=900, nrcpt=1 (queue active)"),
            to: dir.path("app.log.1"))
        try dir.setMTime(dir.path("app.log.1"), t0 + 5)
        try dir.gzip(dir.path("app.log.1"))
        // The live file: m4 reached cleanup but was never committed; m5 was committed; the log goes on to t0 + 20.
        try dir.append(
            line(4, "cleanup", "4444444444: message-id=<m4@app.test>")
                + line(6, "cleanup", "5555555555: message-id=<m5@app.test>")
                + line(6, "qmgr", "5555555555: from=<bounce+te@sender.test>, size=900, nrcpt=1 (queue active)")
                + line(20, "qmgr", "5555555555: removed"))
        try dir.setMTime(dir.live, t0 + 20)

        let evidence = PostfixLogEvidence(path: dir.live, margin: 10)
        let answers = try evidence.evidence(for: [
            attempt(1, "m1@app.test", startedAt: t0 + 0.5, from: "bounce+ta@sender.test"),
            attempt(2, "m2@app.test", startedAt: t0 + 2, from: "bounce+tf@sender.test"),
            attempt(3, "m3@app.test", startedAt: t0 + 15, from: "bounce+tg@sender.test"),
            attempt(4, "m4@app.test", startedAt: t0 + 3, from: "bounce+td@sender.test"),
            attempt(5, "m5@app.test", startedAt: t0 + 5, from: nil),
            attempt(6, "m1@app.test", startedAt: t0 + 0.5, from: "bounce+tz@sender.test"),
        ])
        XCTAssertEqual(answers[1], .accepted(queueId: "9F8E7D6C5B", at: t0 + 1, source: "postfix log"),
                       "found in the rotated .gz, under the queue id of our VERP sender")
        XCTAssertEqual(answers[2], .absent(coveredUntil: t0 + 20, source: "postfix log"), "the log goes on past start + margin")
        XCTAssertNil(answers[3], "the log stops before start + margin: it cannot tell")
        XCTAssertNil(answers[4], "our Message-ID reached cleanup but was not committed: it cannot tell")
        XCTAssertNil(answers[5], "committed, but without our envelope sender it is not known to be ours")
        XCTAssertEqual(answers[6], .absent(coveredUntil: t0 + 20, source: "postfix log"),
                       "the other recipients' mails of the same message (other VERP senders) are not this one")

        // A send before the attempt start is not this attempt's.
        let late = try evidence.evidence(for: [attempt(1, "m1@app.test", startedAt: t0 + 3, from: "bounce+ta@sender.test")])
        XCTAssertEqual(late[1], .absent(coveredUntil: t0 + 20, source: "postfix log"))
    }

    func testTheRowsOfOneSharedMailShareItsQueueId() throws {
        let dir = try LogDirectory()
        try dir.append(
            line(2, "cleanup", "ABC1234567: message-id=<m9@app.test>")
                + line(2, "qmgr", "ABC1234567: from=<bounce+shared@sender.test>, size=900, nrcpt=2 (queue active)"))
        try dir.setMTime(dir.live, t0 + 2)
        let answers = try PostfixLogEvidence(path: dir.live, margin: 60).evidence(for: [
            attempt(1, "m9@app.test", startedAt: t0 + 1, from: "bounce+shared@sender.test"),
            attempt(2, "m9@app.test", startedAt: t0 + 1, from: "bounce+shared@sender.test"),
        ])
        XCTAssertEqual(answers[1], .accepted(queueId: "ABC1234567", at: t0 + 2, source: "postfix log"))
        XCTAssertEqual(answers[2], answers[1])
    }

    func testNoLogSaysNothing() throws {
        let dir = try LogDirectory()
        let evidence = PostfixLogEvidence(path: dir.path("missing.log"), margin: 0)
        XCTAssertEqual(try evidence.evidence(for: [attempt(1, "m1@app.test", startedAt: t0, from: "bounce+ta@x.test")]), [:])
        XCTAssertEqual(try evidence.evidence(for: []), [:])
    }

    func testRotatedFilesOlderThanTheAttemptAreNotRead() throws {
        let dir = try LogDirectory()
        // An old rotated file that would (wrongly) prove acceptance if it were read.
        try dir.append(
            line(1, "cleanup", "ABCDEF1234: message-id=<m1@app.test>")
                + line(1, "qmgr", "ABCDEF1234: from=<bounce+ta@sender.test>, size=1, nrcpt=1 (queue active)"),
            to: dir.path("app.log.1"))
        try dir.setMTime(dir.path("app.log.1"), t0 - 3600)
        try dir.append(line(30, "smtpd", "disconnect from localhost[127.0.0.1]"))
        try dir.setMTime(dir.live, t0 + 30)
        let answers = try PostfixLogEvidence(path: dir.live, margin: 10).evidence(
            for: [attempt(1, "m1@app.test", startedAt: t0 - 10, from: "bounce+ta@sender.test")])
        XCTAssertEqual(answers[1], .absent(coveredUntil: t0 + 30, source: "postfix log"))
    }
}
