import Foundation
import TrackingModel
import TrackingStore
import XCTest

@testable import EventIngest

/// A real Postfix on loopback (issue 4 §5), a private instance in a temp folder (`postfix -c DIR`),
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

    @discardableResult
    private func run(_ tool: String, _ args: [String], env: [String: String] = [:]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testRealPostfixLinesAndDsnsThroughChatterPoll() throws {
        let postfix = "/usr/sbin/postfix"
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: postfix), "postfix missing: run `make deps`")
        let pythonPath = try XCTUnwrap(python, "python3 missing: run `make deps`")
        XCTAssertEqual(getuid(), 0, "a private Postfix instance needs root")
        guard FileManager.default.isExecutableFile(atPath: postfix), getuid() == 0 else { return }

        let fx = try PollerFixture()
        let d = fx.dir.path
        let smtpPort = Int.random(in: 20_000..<30_000)
        let mxPort = smtpPort + 1
        for sub in ["etc", "spool", "data", "config/chatter"] {
            try FileManager.default.createDirectory(atPath: "\(d)/\(sub)", withIntermediateDirectories: true)
        }
        _ = try run("/bin/chown", ["postfix", "\(d)/data"])
        try """
            compatibility_level = 3.6
            queue_directory = \(d)/spool
            data_directory = \(d)/data
            meta_directory = /etc/postfix
            mail_owner = postfix
            setgid_group = postdrop
            myhostname = testhost.localdomain
            myorigin = testhost.localdomain
            mydestination =
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            maillog_file = \(d)/postfix.log
            maillog_file_prefixes = \(d)
            default_transport = smtp
            relay_transport = smtp
            transport_maps = texthash:\(d)/etc/transport
            smtp_tls_security_level = none
            smtpd_tls_security_level = none
            alias_maps =
            alias_database =
            smtpd_relay_restrictions = permit_mynetworks, reject
            delay_warning_time = 0
            maximal_queue_lifetime = 0
            bounce_queue_lifetime = 0
            queue_run_delay = 2s
            minimal_backoff_time = 2s
            maximal_backoff_time = 4s
            header_checks = regexp:\(d)/etc/header_checks
            disable_dns_lookups = yes
            smtp_host_lookup = native

            """.write(toFile: "\(d)/etc/main.cf", atomically: true, encoding: .utf8)
        let services = [
            "pickup unix n - n 60 1 pickup", "cleanup unix n - n - 0 cleanup", "qmgr unix n - n 300 1 qmgr",
            "rewrite unix - - n - - trivial-rewrite", "bounce unix - - n - 0 bounce", "defer unix - - n - 0 bounce",
            "trace unix - - n - 0 bounce", "verify unix - - n - 1 verify", "flush unix n - n 1000? 0 flush",
            "proxymap unix - - n - - proxymap", "smtp unix - - n - - smtp", "relay unix - - n - - smtp",
            "showq unix n - n - - showq", "error unix - - n - - error", "retry unix - - n - - error",
            "discard unix - - n - - discard", "local unix - n n - - local", "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache", "postlog unix-dgram n - n - 1 postlogd",
        ]
        try (["127.0.0.1:\(smtpPort) inet n - n - - smtpd"] + services).joined(separator: "\n")
            .appending("\n").write(toFile: "\(d)/etc/master.cf", atomically: true, encoding: .utf8)
        try "remote.test smtp:[127.0.0.1]:\(mxPort)\nsender.test smtp:[127.0.0.1]:\(mxPort)\n"
            .write(toFile: "\(d)/etc/transport", atomically: true, encoding: .utf8)
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

        let (started, startLog) = try run(postfix, ["-c", "\(d)/etc", "start"])
        XCTAssertEqual(started, 0, startLog)
        cleanups.append { _ = try? self.run(postfix, ["-c", "\(d)/etc", "stop"]) }

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
        let (sent, sendLog) = try run(pythonPath, ["-c", send, String(smtpPort), bToken])
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
        let (polled, pollLog) = try run(
            KillIngestTests.chatterBinary, ["poll", "--once", "--json", "--db", fx.store.path],
            env: ["XDG_CONFIG_HOME": "\(d)/config"])
        XCTAssertEqual(polled, 0, pollLog)
        XCTAssertTrue(pollLog.contains(#""unmatched": 0"#), pollLog)

        func state(_ row: TrackingRow?) throws -> TrackingState? { try fx.store.tracking(id: try XCTUnwrap(row).id).state }
        XCTAssertEqual(try state(a["ok@remote.test"]), .delivered)
        XCTAssertEqual(try state(a["bad@remote.test"]), .bounced)
        XCTAssertEqual(try state(a["spam@remote.test"]), .bounced)
        XCTAssertEqual(try state(a["full@remote.test"]), .softBounced)
        XCTAssertEqual(try state(b["ok-b@remote.test"]), .delivered)
        XCTAssertGreaterThan(try fx.count("SELECT count(*) FROM events WHERE source = 'dsn'"), 0, "the DSNs were applied")
        XCTAssertGreaterThan(try fx.count("SELECT count(*) FROM events WHERE type = 'deferral'"), 0)
    }
}
