import Foundation
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

@testable import EventIngest

/// A real Postfix on loopback, a private instance in a temp folder (`postfix -c DIR`),
/// relaying to a fake remote MX that answers by local part; the DSNs Postfix writes land in a
/// Maildir. `chatter poll --once` reads both; the tracking rows end in the right states.
///
/// Needs root and Postfix + python3 (installed by `make deps`): fails, not skips, without them.
final class RealPostfixTests: XCTestCase {
    private var cleanups: [() -> Void] = []

    override func tearDown() {
        for cleanup in cleanups.reversed() { cleanup() }
        cleanups = []
    }

    private static var here: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent() }

    func testRealPostfixLinesAndDsnsThroughChatterPoll() throws {
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let pythonPath = try XCTUnwrap(python, "python3 missing: run `make deps`")
        guard PrivatePostfix.usable() else { return }

        let fx = try PollerFixture()
        let d = fx.dir.path
        let mxPort = try PrivatePostfix.freePort()
        try FileManager.default.createDirectory(atPath: "\(d)/config/chatter", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(d)/etc", withIntermediateDirectories: true)
        try "/^X-Chatter-Tracking-ID:/ INFO\n".write(toFile: "\(d)/etc/header_checks", atomically: true, encoding: .utf8)

        // The fake remote MX, keeping the mail for app@sender.test (the DSNs) in a Maildir.
        let mx = Process()
        mx.executableURL = URL(fileURLWithPath: pythonPath)
        mx.arguments = [Self.here.appendingPathComponent("RealPostfix/fake_mx.py").path, String(mxPort), "\(d)/bounces"]
        let mxOut = Pipe()
        mx.standardOutput = mxOut
        try mx.run()
        cleanups.append { mx.terminate(); mx.waitUntilExit() }
        _ = mxOut.fileHandleForReading.availableData  // "ready"

        let instance = try PrivatePostfix(
            dir: d,
            options: PostfixOptions(
                relays: [("remote.test", mxPort), ("sender.test", mxPort)],
                mainExtra: [
                    "delay_warning_time = 0", "maximal_queue_lifetime = 0", "bounce_queue_lifetime = 0",
                    "header_checks = regexp:\(d)/etc/header_checks",
                ]))
        cleanups.append { instance.stop() }
        let smtpPort = instance.smtpPort

        // Message A: four recipients, tied back by Message-ID + recipient. Message B: one
        // recipient, tied back by our tracking header (its Message-ID is unknown to the store).
        let a = try fx.post(
            messageId: "A.real@app.test", to: ["ok@remote.test, bad@remote.test, full@remote.test, spam@remote.test"])
        let b = try fx.post(messageId: "B.stored@app.test", to: ["ok-b@remote.test"])
        let bToken = try XCTUnwrap(b["ok-b@remote.test"]?.token)
        let send = """
            import smtplib, sys
            from email.message import EmailMessage
            s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]))
            for mid, rcpts, header in [("A.real@app.test", ["ok@remote.test", "bad@remote.test", "full@remote.test", "spam@remote.test"], None),
                                       ("B.other@app.test", ["ok-b@remote.test"], sys.argv[2])]:
                m = EmailMessage()
                m["From"] = "app@sender.test"; m["To"] = ", ".join(rcpts); m["Subject"] = "real"
                m["Message-ID"] = "<" + mid + ">"
                if header: m["X-Chatter-Tracking-ID"] = header
                m.set_content("hello")
                s.send_message(m, from_addr="app@sender.test", to_addrs=rcpts)
            s.quit()
            """
        let (sent, sendLog) = try PrivatePostfix.run(pythonPath, ["-c", send, String(smtpPort), bToken])
        XCTAssertEqual(sent, 0, sendLog)

        // Until Postfix has finished with both messages and written its DSN (bad, spam, expired full).
        let logPath = "\(d)/postfix.log"
        let deadline = Date().addingTimeInterval(60)
        func done() -> Bool {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            let dsns = (try? FileManager.default.contentsOfDirectory(atPath: "\(d)/bounces/new")) ?? []
            return log.contains("status=expired") && log.contains("to=<ok-b@remote.test>") && !dsns.isEmpty
                && log.components(separatedBy: ": removed").count >= 4
        }
        while !done() && Date() < deadline { usleep(200_000) }
        XCTAssertTrue(done(), "postfix did not finish: " + ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""))

        try """
            [[source]]
            kind = "postfix-log"
            path = "\(logPath)"

            [[source]]
            kind = "maildir"
            path = "\(d)/bounces"

            """.write(toFile: "\(d)/config/chatter/config.toml", atomically: true, encoding: .utf8)
        let (polled, pollLog) = try PrivatePostfix.run(
            ChatterBinary.path, ["poll", "--once", "--json", "--db", fx.store.path],
            env: ["XDG_CONFIG_HOME": "\(d)/config"])
        XCTAssertEqual(polled, 0, pollLog)
        XCTAssertTrue(pollLog.contains(#""unmatched": 0"#), pollLog)

        func state(_ row: TrackingRow?) throws -> TrackingState? { try fx.store.tracking(id: try XCTUnwrap(row).id).state }
        XCTAssertEqual(try state(a["ok@remote.test"]), .delivered)
        XCTAssertEqual(try state(a["bad@remote.test"]), .bounced)
        XCTAssertEqual(try state(a["spam@remote.test"]), .softBounced, "spam refusal: the receiver refused us")
        XCTAssertEqual(try state(a["full@remote.test"]), .softBounced)
        XCTAssertEqual(try state(b["ok-b@remote.test"]), .delivered)
        XCTAssertGreaterThan(try fx.count("SELECT count(*) FROM events WHERE source = 'dsn'"), 0, "the DSNs were applied")
        XCTAssertGreaterThan(try fx.count("SELECT count(*) FROM events WHERE type = 'deferral'"), 0)
    }
}
