import Foundation
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// Sending and tracking, end to end with the real binary and a real Postfix on loopback: `chatter post
/// --send` → `chatter send --once` over SMTP into Postfix (sent, with Postfix's queue id) →
/// Postfix delivers `ok@local.test` into a Maildir, bounces the unknown `nobody@local.test`
/// (its DSN lands in the bounce Maildir of the VERP sender's domain) and defers
/// `x@unreach.test` (its relay is a closed loopback port) → `chatter poll --once` reads the
/// log and the Maildir: delivered, bounced (the DSN tied to the same row), deferred.
///
/// Needs root and Postfix (`make deps`): fails, not skips, without them.
final class PostfixEndToEndTests: XCTestCase {
    private func chatter(_ args: [String], env: [String: String] = [:]) throws -> String {
        let (status, out) = try PrivatePostfix.run(ChatterBinary.path, args, env: env)
        XCTAssertEqual(status, 0, "chatter \(args.joined(separator: " ")): \(out)")
        return out
    }

    func testPostSendPollThroughRealPostfix() throws {
        guard PrivatePostfix.usable() else { return }

        let fx = try PollerFixture()
        let d = fx.dir.path
        let postfix = try PrivatePostfix(
            dir: d + "/postfix",
            options: PostfixOptions(
                relays: [("unreach.test", try PrivatePostfix.freePort())],
                mailboxes: PostfixMailboxes(
                    domains: ["local.test", "sender.test"],
                    boxes: [("ok@local.test", "ok"), ("@sender.test", "bounces")])))
        defer { postfix.stop() }
        let db = ["--db", fx.store.path]

        // Post from the CLI, queued for sending.
        _ = try chatter(
            ["post"] + db + [
                "--as", "app@sender.test", "--thread", "sale.order/7", "--subject", "Quote S00007", "--body", "Hello",
                "--to", "ok@local.test, nobody@local.test, x@unreach.test", "--send",
            ])
        let rows = try fx.store.trackings(TrackingFilter(), limit: 10).rows
        let byAddress = Dictionary(uniqueKeysWithValues: rows.compactMap { r in r.address.map { ($0, r) } })
        let ok = try XCTUnwrap(byAddress["ok@local.test"])
        let nobody = try XCTUnwrap(byAddress["nobody@local.test"])
        let unreach = try XCTUnwrap(byAddress["x@unreach.test"])
        XCTAssertEqual(rows.map(\.state), [nil, nil, nil], "waiting")

        // Send over SMTP into Postfix: each mail sent, with the queue id of Postfix's DATA reply.
        let sendOut = try chatter(
            ["send", "--once", "--json"] + db + [
                "--smtp-host", "127.0.0.1", "--smtp-port", String(postfix.smtpPort), "--smtp-security", "none",
                "--smtp-timeout", "10",
            ])
        XCTAssertTrue(sendOut.contains(#""sent": 3"#), sendOut)
        var queueIds: [Int64: String] = [:]
        for entry in try fx.store.outboxEntries() {
            XCTAssertEqual(entry.status, .sent)
            queueIds[entry.trackingId] = try XCTUnwrap(entry.queueId, "Postfix's DATA reply names the queue id")
        }
        for row in [ok, nobody, unreach] {
            XCTAssertEqual(try fx.store.tracking(id: row.id).state, .sent)
            let queueId = try XCTUnwrap(queueIds[row.id])
            XCTAssertEqual(try fx.store.trackingIds(queueId: queueId), [row.id])
            XCTAssertTrue(postfix.log.contains("\(queueId): message-id=<"), "cleanup logged \(queueId)")
        }

        // Postfix: delivered to the Maildir, bounced with a DSN to the VERP sender, deferred at the closed relay.
        let bounces = postfix.maildir("bounces") + "/new"
        let settled = postfix.waitForLog { log in
            log.contains("to=<ok@local.test>") && log.contains("status=sent")
                && log.contains("to=<nobody@local.test>") && log.contains("status=bounced")
                && log.contains("to=<x@unreach.test>") && log.contains("status=deferred")
                && !((try? FileManager.default.contentsOfDirectory(atPath: bounces)) ?? []).isEmpty
        }
        XCTAssertTrue(settled, "postfix did not settle: \(postfix.log)")
        let delivered = try FileManager.default.contentsOfDirectory(atPath: postfix.maildir("ok") + "/new")
        XCTAssertEqual(delivered.count, 1, "the local mailbox got the mail")

        // The poller reads Postfix's log and the bounce Maildir.
        try FileManager.default.createDirectory(atPath: "\(d)/config/chatter", withIntermediateDirectories: true)
        try """
            [[source]]
            kind = "postfix-log"
            path = "\(postfix.logPath)"

            [[source]]
            kind = "maildir"
            path = "\(postfix.maildir("bounces"))"

            """.write(toFile: "\(d)/config/chatter/config.toml", atomically: true, encoding: .utf8)
        let pollOut = try chatter(["poll", "--once", "--json"] + db, env: ["XDG_CONFIG_HOME": "\(d)/config"])
        XCTAssertTrue(pollOut.contains(#""unmatched": 0"#), pollOut)

        XCTAssertEqual(try fx.store.tracking(id: ok.id).state, .delivered)
        XCTAssertEqual(try fx.store.tracking(id: nobody.id).state, .bounced)
        XCTAssertEqual(try fx.store.tracking(id: unreach.id).state, .deferred)
        XCTAssertEqual(try fx.store.trackings(TrackingFilter(), limit: 10).rows.count, 3, "the DSN made no new row")

        // Each row's events, oldest first: `sent` (stamped with its attempt's second) before Postfix's lines.
        func events(_ row: TrackingRow) throws -> [String] {
            try fx.store.events(EventFilter(trackingId: row.id)).rows.reversed().map { "\($0.type.rawValue)/\($0.source)" }
        }
        XCTAssertEqual(try events(ok), ["sent/outbox", "delivered/postfix"])
        XCTAssertEqual(try events(unreach), ["sent/outbox", "deferral/postfix"])
        XCTAssertEqual(try events(nobody), ["sent/outbox", "hard_bounce/postfix", "hard_bounce/dsn"],
                       "the DSN from the bounce Maildir is tied to the same row")
        let dsn = try XCTUnwrap(try fx.store.events(EventFilter(trackingId: nobody.id, type: .hardBounce)).rows.first { $0.source == "dsn" })
        XCTAssertTrue(dsn.details.bounceDescription?.contains("unknown user") == true, dsn.details.bounceDescription ?? "")
        let sent = try XCTUnwrap(try fx.store.events(EventFilter(trackingId: ok.id, type: .sent)).rows.first)
        XCTAssertEqual(sent.details.errorDetails, "queued as \(queueIds[ok.id] ?? "?")")
    }
}
