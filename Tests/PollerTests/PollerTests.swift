import ConfigFile
import Foundation
import TrackingModel
import TrackingStore
import XCTest

@testable import EventIngest
@testable import MailFormat

/// The poller over configured sources: rounds, restarts, failing sources, Maildir, quarantine.
final class PollerTests: XCTestCase {
    /// A Maildir holding the capture's bounce mails, half in `new/`, half in `cur/` (read, flagged); returns its root and mail count.
    private func maildir(_ fx: PollerFixture) throws -> (String, Int) {
        let root = fx.path("Maildir")
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true)
        }
        let mbox = try Data(contentsOf: PollerFixture.samples.appendingPathComponent("bounces.mbox"))
        let mails = MimeMbox.split(Array(mbox))
        for (index, entry) in mails.enumerated() {
            let folder = index % 2 == 0 ? "new" : "cur"
            let name = "\(1_795_600_000 + index).M\(index)P1.host" + (folder == "cur" ? ":2,S" : "")
            try Data(entry.bytes).write(to: URL(fileURLWithPath: "\(root)/\(folder)/\(name)"))
        }
        return (root, mails.count)
    }

    private func options() -> Poller.Options {
        var o = Poller.Options()
        o.clock = CaptureIngestTests.clock
        o.initialBackoff = 0
        return o
    }

    func testRunOnceReadsEverySourceOnceAcrossRestarts() throws {
        let fx = try PollerFixture()
        try fx.postCaptureMessages()
        let log = fx.path("postfix.log")
        try FileManager.default.copyItem(atPath: PollerFixture.samples.appendingPathComponent("postfix.log").path, toPath: log)
        let (root, mailCount) = try maildir(fx)
        let events = fx.path("events.jsonl")
        try Data(
            """
            {"type":"open","timestamp":"2026-11-25T12:00:00Z","message_id":"A.20261125@app.testhost.localdomain","recipient":"ok@remote.test","key":"o1"}
            not json
            {"type":"click","timestamp":1795608100,"tracking_id":"999999","url":"https://x.test/"}

            """.utf8
        ).write(to: URL(fileURLWithPath: events))
        let sources = [
            PollerSource(kind: .postfixLog, path: log, batchSize: 5),
            PollerSource(kind: .maildir, path: root, doneFolder: fx.path("done"), batchSize: 2),
            PollerSource(kind: .events, path: events),
        ]
        let first = Poller(store: fx.store, sources: sources, options: options()).runOnce()
        XCTAssertGreaterThan(first.applied, 40)
        XCTAssertEqual(first.quarantined, 1, "the broken JSON line")
        XCTAssertEqual(first.unmatched, 1, "the click on an unknown tracking id")
        XCTAssertEqual(try fx.state("A.20261125@app.testhost.localdomain", "ok@remote.test"), .opened)
        XCTAssertEqual(try fx.state("C.20261125@app.testhost.localdomain", "someone@down.test"), .softBounced)
        let done = try FileManager.default.contentsOfDirectory(atPath: fx.path("done"))
        XCTAssertEqual(done.count, mailCount, "every mail moved to the done folder")
        XCTAssertGreaterThan(mailCount, 5)
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: root + "/new").isEmpty)

        // A new poller (a restart) starts from the committed cursors and items: nothing twice.
        let second = Poller(store: fx.store, sources: sources, options: options()).runOnce()
        XCTAssertEqual(second.total, 0)
        let quarantine = try fx.store.quarantined()
        XCTAssertEqual(quarantine.first?.item.position, "offset \(Array(#"{"type":"open","timestamp":"2026-11-25T12:00:00Z","message_id":"A.20261125@app.testhost.localdomain","recipient":"ok@remote.test","key":"o1"}"#.utf8).count + 1)")

        // Appended lines are picked up by the next round.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: events))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"type":"unsub","timestamp":1795608200,"message_id":"B.20261125@app.testhost.localdomain","recipient":"ok2@remote.test"}"#.utf8 + [10]))
        try handle.close()
        let third = Poller(store: fx.store, sources: sources, options: options()).runOnce()
        XCTAssertEqual(third.applied, 1)
        XCTAssertEqual(try fx.state("B.20261125@app.testhost.localdomain", "ok2@remote.test"), .unsub)
    }

    func testMissingSourceIsReportedAndRetriedNeverFatal() throws {
        let fx = try PollerFixture()
        try fx.postCaptureMessages()
        let log = fx.path("later.log")
        let poller = Poller(
            store: fx.store, sources: [PollerSource(kind: .postfixLog, path: log)], options: options())
        XCTAssertEqual(poller.runOnce().total, 0)
        XCTAssertTrue(poller.status.error?.contains("does not exist") ?? false, "\(String(describing: poller.status.error))")
        try FileManager.default.copyItem(atPath: PollerFixture.samples.appendingPathComponent("postfix.log").path, toPath: log)
        XCTAssertGreaterThan(poller.runOnce().applied, 20)
        XCTAssertNil(poller.status.error)
    }

    func testBackgroundLoopAppliesAppendsAndStopsCleanly() throws {
        let fx = try PollerFixture()
        let rows = try fx.post(messageId: "bg@app.test", to: ["bg@x.test"])
        let id = try XCTUnwrap(rows["bg@x.test"]).id
        let file = fx.path("live.jsonl")
        FileManager.default.createFile(atPath: file, contents: nil)
        var o = Poller.Options()
        o.interval = 0.02
        let poller = Poller(store: fx.store, sources: [PollerSource(kind: .events, path: file, format: .jsonLines)], options: o)
        let statuses = StatusLog()
        poller.start { statuses.append($0) }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: file))
        handle.write(Data(#"{"type":"delivered","timestamp":1795608000,"tracking_id":"\#(id)"}"#.utf8 + [10]))
        try handle.close()
        let deadline = Date().addingTimeInterval(10)
        while try fx.store.tracking(id: id).state != .delivered, Date() < deadline { usleep(10_000) }
        XCTAssertEqual(try fx.store.tracking(id: id).state, .delivered)
        poller.stop()
        XCTAssertEqual(poller.status.state, .paused)
        XCTAssertEqual(statuses.all.last?.state, .paused)
        XCTAssertTrue(statuses.all.contains { $0.state == .live && $0.totals.applied == 1 })
        XCTAssertEqual(poller.status.lastEventTime, 1_795_608_000)
    }

    func testConfigParsesSourcesAndReportsBadInputWithItsLine() throws {
        let good = try PollerConfig.parse(
            """
            [poller]
            interval = 0.5
            batch_size = 50

            [[source]]
            kind = "postfix-log"
            path = "/var/log/postfix.log"
            smarthosts = ["[smtp.example.net]:587"]
            timezone = "+01:00"

            [[source]]
            kind = "events"
            path = "/srv/events"
            format = "sendgrid"
            batch_size = 10
            """, file: "config.toml")
        XCTAssertEqual(good.interval, 0.5)
        XCTAssertEqual(good.sources.count, 2)
        XCTAssertEqual(good.sources[0].kind, .postfixLog)
        XCTAssertEqual(good.sources[0].smarthosts, ["[smtp.example.net]:587"])
        XCTAssertEqual(good.sources[0].timeZone, .fixed(seconds: 3600))
        XCTAssertEqual(good.sources[0].batchSize, 50)
        XCTAssertEqual(good.sources[1].format, .sendgrid)
        XCTAssertEqual(good.sources[1].batchSize, 10)

        let cases: [(String, Int, String)] = [
            ("[[source]]\nkind = \"postfix-log\"\npath = \"/x\"\n\n[[source]]\nkind = \"smtp\"\npath = \"/y\"\n", 6, "unknown kind smtp"),
            ("[[source]]\nkind = \"events\"\npath = \"/x\"\nformat = \"csv\"\n", 4, "unknown format csv"),
            ("[[source]]\nkind = \"maildir\"\npath = \"/x\"\ndone_dir = \"/d\"\n", 4, "unknown setting done_dir"),
            ("[[source]]\nkind = \"maildir\"\npath = \"/x\"\nbatch_size = \"ten\"\n", 4, "batch_size must be an integer"),
            ("[[source]]\nkind = \"postfix-log\"\npath = \"/x\"\ntimezone = \"Mars/Olympus\"\n", 4, "unknown time zone"),
            ("[[source]]\nkind = \"maildir\"\n", 1, "missing path"),
            ("[poller]\ninterval = 1\n\n[[source]\nkind = 1\n", 4, "table header"),
        ]
        for (text, line, reason) in cases {
            XCTAssertThrowsError(try PollerConfig.parse(text, file: "/etc/chatter.toml")) { error in
                guard let e = error as? ConfigError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.file, "/etc/chatter.toml")
                XCTAssertEqual(e.line, line, "\(e)")
                XCTAssertTrue(e.reason.contains(reason), "\(e)")
            }
        }
    }
}

/// Statuses collected from the poller's thread.
final class StatusLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [PollerStatus] = []
    func append(_ s: PollerStatus) { lock.withLock { items.append(s) } }
    var all: [PollerStatus] { lock.withLock { items } }
}

/// One config.toml serves the poller and the sender.
final class SharedConfigTests: XCTestCase {
    func testTheSendersAndTheServersTablesDoNotUpsetThePoller() throws {
        let text = """
            [smtp]
            host = "127.0.0.1"
            port = 2525

            [[source]]
            kind = "events"
            path = "/tmp/events.jsonl"
            """
        let config = try PollerConfig.parse(text + "\n\n[serve]\nses_auto_confirm = true\n", file: "config.toml")
        XCTAssertEqual(config.sources.count, 1)
        XCTAssertThrowsError(try PollerConfig.parse("[smpt]\nhost = \"x\"\n", file: "config.toml"), "a misspelt table is still an error")
    }
}
