import Foundation
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// `chatter send` as scripts use it: the `[smtp]` config table, CLI overrides, the password rules, the lock.
final class SendCommandTests: XCTestCase {
    private func run(_ args: [String], env: [String: String]) throws -> (Int32, String, String) {
        try runChatter(args, env: env)
    }

    func testConfigFileOverridesAndPasswordNeverStoredOrPrinted() throws {
        let f = try OutboxFixture(realClock: true)
        let config = f.dir.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: config.appendingPathComponent("chatter"), withIntermediateDirectories: true)
        try """
            [[source]]
            kind = "postfix"   # another table: ignored here
            [smtp]
            host = "127.0.0.1"
            port = \(f.peer.port)
            security = "none"   # loopback test peer
            from = "billing@shop.example"
            base_url = "https://track.shop.example"
            user = "robot"
            """.write(to: config.appendingPathComponent("chatter/config.toml"), atomically: true, encoding: .utf8)
        let env = ["XDG_CONFIG_HOME": config.path]
        try f.post(to: ["ann@x.org"])
        let db = ["--db", f.store.path]

        var r = try run(["send", "--once"] + db, env: env)
        XCTAssertEqual(r.0, 1, "a user without a password is a usage error")
        XCTAssertTrue(r.2.contains("CHATTER_SMTP_PASSWORD"), r.2)

        let secret = "pa55-\(UUID().uuidString)"
        r = try run(["send", "--once", "--json"] + db, env: env.merging(["CHATTER_SMTP_PASSWORD": secret]) { $1 })
        XCTAssertEqual(r.0, 0, r.2)
        XCTAssertTrue(r.1.contains("\"sent\": 1"), r.1)
        XCTAssertFalse((r.1 + r.2).contains(secret))
        XCTAssertEqual(r.2.components(separatedBy: "password is sent in clear text").count, 2, "one warning: \(r.2)")
        let auth = try XCTUnwrap(f.peer.commands.first { $0.hasPrefix("AUTH PLAIN") })
        XCTAssertEqual(auth, "AUTH PLAIN " + Data("\0robot\0\(secret)".utf8).base64EncodedString())
        let mail = try XCTUnwrap(f.peer.mails.first)
        XCTAssertTrue(mail.data.contains("<billing@shop.example>"), "from the config")
        XCTAssertTrue(mail.from.hasSuffix("@shop.example"), "VERP in the From domain")
        XCTAssertTrue(qpDecoded(mail.data).contains("https://track.shop.example/t/"))
        for file in try FileManager.default.contentsOfDirectory(atPath: f.dir.path) where file.hasPrefix("store.sqlite") {
            let bytes = try Data(contentsOf: f.dir.appendingPathComponent(file))
            XCTAssertNil(bytes.range(of: Data(secret.utf8)), "the password is not in \(file)")
        }

        // CLI options win over the file: --no-pixel, another From.
        try f.post(to: ["bob@x.org"], thread: "sale.order/43")
        r = try run(["send", "--once", "--no-pixel", "--from", "other@else.example"] + db,
                    env: env.merging(["CHATTER_SMTP_PASSWORD": secret]) { $1 })
        XCTAssertEqual(r.0, 0, r.2)
        let second = try XCTUnwrap(f.peer.mails.last)
        XCTAssertTrue(second.data.contains("<other@else.example>"))
        XCTAssertFalse(qpDecoded(second.data).contains("<img"))
    }

    func testDefaultSecurityNeverSendsThePasswordToAServerWithoutSTARTTLS() throws {
        let f = try OutboxFixture(realClock: true)
        try f.post(to: ["ann@x.org"])
        let secret = "pa55-\(UUID().uuidString)"
        let r = try run(
            ["send", "--once", "--json", "--db", f.store.path, "--smtp-host", "127.0.0.1", "--smtp-port", String(f.peer.port),
             "--smtp-user", "robot", "--smtp-timeout", "5"],
            env: ["XDG_CONFIG_HOME": f.dir.appendingPathComponent("no-config").path, "CHATTER_SMTP_PASSWORD": secret])
        XCTAssertEqual(r.0, 0, r.2)
        XCTAssertTrue(r.1.contains("\"deferred\": 1"), r.1)
        XCTAssertFalse(f.peer.commands.contains { $0.uppercased().hasPrefix("AUTH") }, "\(f.peer.commands)")
        XCTAssertFalse(r.2.contains("clear text to"), "no warning without an explicit none: \(r.2)")
        XCTAssertTrue(try f.store.outboxEntries().first?.lastError?.contains("offers no STARTTLS") == true)
    }

    func testSendReportsHowEachInterruptedEntryWasReconciled() throws {
        let f = try OutboxFixture(realClock: true)
        try f.post(to: ["ann@x.org, bob@x.org"])
        // A killed sender's state: both attempts recorded, no outcome. Postfix's log shows Ann's
        // mail committed under a queue id (with her VERP sender); of Bob's it says nothing yet.
        let jobs = try f.store.claimDueOutbox(limit: 2)
        XCTAssertEqual(jobs.map(\.address), ["ann@x.org", "bob@x.org"])
        let ann = try XCTUnwrap(jobs.first)
        let stamp = ISO8601DateFormatter().string(from: Date())
        let log = f.dir.appendingPathComponent("postfix.log").path
        try """
            \(stamp) mx postfix/cleanup[10]: 7C1D2E3F4A: message-id=<\(ann.messageIdHeader)>
            \(stamp) mx postfix/qmgr[11]: 7C1D2E3F4A: from=<bounce+\(ann.token ?? "")@yourcompany.example>, size=900, nrcpt=1 (queue active)

            """.write(toFile: log, atomically: true, encoding: .utf8)
        let r = try run(
            ["send", "--once", "--json", "--db", f.store.path, "--smtp-host", "127.0.0.1", "--smtp-port", String(f.peer.port),
             "--smtp-security", "none", "--smtp-timeout", "5", "--postfix-log", log],
            env: ["XDG_CONFIG_HOME": f.dir.appendingPathComponent("no-config").path])
        XCTAssertEqual(r.0, 0, r.2)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.1.utf8)) as? [String: Any], r.1)
        let reconciled = try XCTUnwrap(json["reconciled"] as? [[String: Any]], r.1)
        XCTAssertEqual(reconciled.map { $0["path"] as? String }, ["sent_per_log", "resent_possible_duplicate"])
        XCTAssertEqual(reconciled.first?["queue_id"] as? String, "7C1D2E3F4A")
        XCTAssertEqual(reconciled.map { $0["outbox_id"] as? Int }, jobs.map { Int($0.id) })
        XCTAssertEqual(json["sent"] as? Int, 1, "only Bob's mail goes out again")
        XCTAssertTrue(r.2.contains("found in the postfix log (queued as 7C1D2E3F4A)"), r.2)
        XCTAssertEqual(f.peer.mails.flatMap(\.recipients), ["bob@x.org"])
        XCTAssertEqual(try f.store.outboxEntries(status: .sent).compactMap(\.queueId).contains("7C1D2E3F4A"), true)
    }

    func testOneSenderPerStore() throws {
        let f = try OutboxFixture(realClock: true)
        try f.post(to: ["ann@x.org"])
        let lockPath = f.store.path + ".send-lock"
        let fd = open(lockPath, O_CREAT | O_RDWR, 0o600)
        defer { close(fd) }
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        let r = try run(["send", "--once", "--db", f.store.path, "--smtp-port", String(f.peer.port), "--smtp-security", "none"], env: [:])
        XCTAssertEqual(r.0, 1)
        XCTAssertTrue(r.2.contains("another `chatter send` is running"), r.2)
        XCTAssertEqual(f.peer.mails.count, 0)
    }

    /// `chatter serve` on a free port with no config file; its standard error collected.
    private func startServe(_ f: OutboxFixture, _ args: [String]) throws -> (Process, LockedText) {
        let p = Process()
        p.executableURL = ChatterBinary.url
        p.arguments = ["serve", "--db", f.store.path, "--listen", "127.0.0.1:0"] + args
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = f.dir.appendingPathComponent("no-config").path
        environment["CHATTER_BASE_URL"] = nil
        p.environment = environment
        let err = Pipe()
        let text = LockedText()
        err.fileHandleForReading.readabilityHandler = { text.append($0.availableData) }
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(30)
        while !text.value.contains("listening on"), p.isRunning, Date() < deadline { usleep(50_000) }
        return (p, text)
    }

    /// SIGTERM, then the exit status once it is gone.
    private func stop(_ p: Process) -> Int32 {
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// `chatter serve` with a sender configured drains the outbox too (one long-running
    /// process for the server side), says so on start, and stops cleanly on SIGTERM.
    func testServeWithASenderConfiguredSendsTheOutbox() throws {
        let f = try OutboxFixture(realClock: true)
        try f.post(to: ["ann@x.org"])
        let (p, text) = try startServe(
            f, ["--smtp-host", "127.0.0.1", "--smtp-port", String(f.peer.port), "--smtp-security", "none"])
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(30)
        while try f.row("ann@x.org").state != .sent, Date() < deadline { usleep(50_000) }
        XCTAssertEqual(try f.row("ann@x.org").state, .sent, text.value)
        XCTAssertEqual(f.peer.mails.count, 1, "serve sent the queued mail once")
        // No base URL configured: the pixel points at this very server.
        let listening = try XCTUnwrap(text.value.range(of: #"listening on 127\.0\.0\.1:\d+"#, options: .regularExpression))
        let port = try XCTUnwrap(text.value[listening].split(separator: ":").last)
        XCTAssertTrue(qpDecoded(f.peer.mails[0].data).contains("http://127.0.0.1:\(port)/t/"), text.value)
        XCTAssertEqual(stop(p), 0, text.value)
        XCTAssertTrue(text.value.contains("outbox: sending the outbox"), text.value)
    }

    /// Without a sender configured, `serve` only serves, and says why it does not send.
    func testServeWithoutASenderLeavesTheOutboxQueued() throws {
        let f = try OutboxFixture(realClock: true)
        try f.post(to: ["ann@x.org"])
        let (p, text) = try startServe(f, [])
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        usleep(500_000)  // a sender, were one started, would have claimed the due entry by now
        XCTAssertEqual(stop(p), 0, text.value)
        XCTAssertTrue(text.value.contains("outbox: not configured"), text.value)
        XCTAssertEqual(f.peer.mails.count, 0)
        XCTAssertNil(try f.row("ann@x.org").state, "still waiting")
    }
}

/// Text collected from a pipe's readability handler.
private final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ d: Data) { lock.withLock { data.append(d) } }
    var value: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

/// Runs the built `chatter` with `args` and extra environment (no SMTP password); exit status, stdout, stderr.
func runChatter(_ args: [String], env: [String: String]) throws -> (Int32, String, String) {
    let r = try ChatterBinary.run(args, env: env)
    return (r.status, r.stdout, r.stderr)
}
