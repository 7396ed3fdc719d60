import Foundation
import TestSupport
import XCTest

/// `chatter poll --metrics ADDRESS:PORT` with the real binary: the poller's counters and
/// lag on `/metrics`, `/healthz`; its log as JSON lines, and with journald's `<N>` priority.
final class PollMetricsTests: XCTestCase {
    /// A running `chatter poll` whose stderr lines are collected as they come.
    private final class Running: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var text = ""

        init(_ args: [String], env: [String: String], journal: Bool = false) throws {
            process.executableURL = ChatterBinary.url
            process.arguments = args
            var environment = ProcessInfo.processInfo.environment
            for (k, v) in env { environment[k] = v }
            let pipe = Pipe()
            if journal {
                var info = stat()
                fstat(pipe.fileHandleForWriting.fileDescriptor, &info)
                environment["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)"
            }
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = pipe
            pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self else { return }
                self.lock.withLock { self.text += String(decoding: data, as: UTF8.self) }
            }
            try process.run()
        }

        var lines: [String] { lock.withLock { text.split(separator: "\n").map(String.init) } }

        /// The first line satisfying `match`, waiting up to `timeout` seconds.
        func line(timeout: Double, _ match: (String) -> Bool) -> String? {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if let l = lines.first(where: match) { return l }
                usleep(20_000)
            }
            return nil
        }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            process.waitUntilExit()
        }
    }

    private func get(_ url: String) throws -> (status: Int, body: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "-w", "\n%{http_code}", url]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let split = text.lastIndex(of: "\n")!
        return (Int(text[text.index(after: split)...]) ?? 0, String(text[..<split]))
    }

    private func source(_ fx: PollerFixture, events: Int) throws -> String {
        let row = try XCTUnwrap(try fx.post(messageId: "m@app.test", to: ["a@x.test"]).values.first)
        let file = fx.path("events.jsonl")
        let lines = (0..<events).map {
            #"{"type":"deferral","timestamp":\#(1_795_600_000 + $0),"tracking_id":"\#(row.id)","key":"m\#($0)","status":"4.2.2"}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let config = fx.path("config.toml")
        try "[[source]]\nkind = \"events\"\npath = \"\(file)\"\nformat = \"jsonl\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    func testPollMetricsCountTheEventsAndTheLagAndLogAsJSON() throws {
        let fx = try PollerFixture()
        let config = try source(fx, events: 250)
        let poll = try Running(
            ["poll", "--db", fx.store.path, "--config", config, "--metrics", "127.0.0.1:0", "--log-format", "json"], env: [:])
        defer { poll.stop() }
        let announce = try XCTUnwrap(poll.line(timeout: 30) { $0.contains("metrics listening") }, "\(poll.lines)")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(announce.utf8)) as? [String: Any])
        let address = try XCTUnwrap((object["metadata"] as? [String: String])?["address"])
        XCTAssertEqual(object["level"] as? String, "info")
        XCTAssertEqual(object["label"] as? String, "chatter.poll")

        var metrics = PrometheusText("")
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            metrics = PrometheusText(try get("http://\(address)/metrics").body)
            if metrics.value("chatter_poller_events_total", ["outcome": "applied"]) == 250 { break }
            usleep(100_000)
        }
        XCTAssertEqual(metrics.malformed, [])
        XCTAssertEqual(metrics.value("chatter_poller_events_total", ["outcome": "applied"]), 250)
        XCTAssertEqual(metrics.value("chatter_poller_events_total", ["outcome": "quarantined"]), 0)
        let name = "events:" + fx.path("events.jsonl")
        XCTAssertEqual(metrics.value("chatter_poller_lag_bytes", ["source": name]), 0)
        XCTAssertEqual(metrics.value("chatter_poller_lag_seconds", ["source": name]), 0)
        XCTAssertEqual(metrics.value("chatter_store_events"), 250)
        let health = try get("http://\(address)/healthz")
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(health.body, "ok\n")

        poll.stop()
        XCTAssertEqual(poll.process.terminationStatus, 0)
        // Every line is one JSON object with its level, label and message.
        XCTAssertFalse(poll.lines.isEmpty)
        for line in poll.lines {
            let o = try XCTUnwrap(try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
            for key in ["time", "level", "label", "message"] { XCTAssertNotNil(o[key], "\(key) in \(line)") }
        }
    }

    func testUnderJournaldEachLineStartsWithItsSyslogPriority() throws {
        let fx = try PollerFixture()
        let config = try source(fx, events: 5)
        let poll = try Running(["poll", "--db", fx.store.path, "--config", config], env: [:], journal: true)
        XCTAssertNotNil(poll.line(timeout: 30) { $0.contains("batch") }, "\(poll.lines)")
        poll.stop()
        XCTAssertFalse(poll.lines.isEmpty)
        for line in poll.lines { XCTAssertTrue(line.hasPrefix("<6>info chatter.poll: "), line) }
    }

    func testGcScheduledInConfigRunsWhenPollStarts() throws {
        let fx = try PollerFixture()
        let demo = fx.path("demo.sqlite")
        XCTAssertEqual(try ChatterBinary.run(["demo", "--db", demo]).status, 0)
        let file = fx.path("events.jsonl")
        try "".write(toFile: file, atomically: true, encoding: .utf8)
        let config = fx.path("gc.toml")
        try "[gc]\nkeep = \"30d\"\nevery = \"1d\"\n[[source]]\nkind = \"events\"\npath = \"\(file)\"\nformat = \"jsonl\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let poll = try Running(["poll", "--db", demo, "--config", config], env: [:])
        defer { poll.stop() }
        let line = try XCTUnwrap(poll.line(timeout: 60) { $0.contains("gc: removed") }, "\(poll.lines)")
        let removed = line.components(separatedBy: "gc: removed ").last?.split(separator: " ").first.flatMap { Int($0) }
        XCTAssertGreaterThan(try XCTUnwrap(removed, line), 0, line)
        let bad = fx.path("bad.toml")
        try "[gc]\nevery = \"1d\"\n[[source]]\nkind = \"events\"\npath = \"\(file)\"\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try ChatterBinary.run(["poll", "--db", demo, "--config", bad])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("bad.toml:1: [gc]: needs keep"), refused.stderr)
    }

    func testServeNeverLogsItsWebhookSecrets() throws {
        let fx = try PollerFixture()
        let secrets = ["MAILGUN_SIGNING_KEY": "mg-secret-4242", "POSTMARK_WEBHOOK_PASSWORD": "pm-secret-4343"]
        for format in ["text", "json"] {
            let serve = try Running(
                ["serve", "--db", fx.store.path, "--listen", "127.0.0.1:0", "--postmark-user", "pm", "--log-format", format],
                env: secrets.merging(["XDG_CONFIG_HOME": fx.path("cfg")]) { a, _ in a })
            XCTAssertNotNil(serve.line(timeout: 30) { $0.contains("listening on") }, "\(serve.lines)")
            serve.stop()
            XCTAssertEqual(serve.process.terminationStatus, 0)
            for line in serve.lines {
                for secret in secrets.values { XCTAssertFalse(line.contains(secret), line) }
                if format == "json" { XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(line.utf8)), line) }
            }
        }
    }

    func testMetricsAddressIsCheckedBeforeAnythingRuns() throws {
        let fx = try PollerFixture()
        let config = try source(fx, events: 1)
        let r = try ChatterBinary.run(["poll", "--db", fx.store.path, "--config", config, "--metrics", "9100"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("--metrics wants ADDRESS:PORT"), r.stderr)
    }
}
