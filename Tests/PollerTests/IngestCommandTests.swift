import Foundation
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

@testable import EventIngest

/// The built `chatter` binary: `ingest --dry-run --json` output names, `ingest` summary,
/// `quarantine` / `unmatched` listings, and `poll` stopping cleanly on SIGTERM.
final class IngestCommandTests: XCTestCase {
    private func chatter(_ args: [String], env: [String: String] = [:]) throws -> (Int32, String, String) {
        let r = try ChatterBinary.run(args, env: env)
        return (r.status, r.stdout, r.stderr)
    }

    func testDryRunJsonLinesCarryTheDocumentedKeysInOrder() throws {
        let fx = try PollerFixture()
        let bad = fx.path("bad.jsonl")
        try Data("{\"type\":\"nope\",\"timestamp\":1}\n".utf8).write(to: URL(fileURLWithPath: bad))
        let (status, out, err) = try chatter([
            "ingest", "--dry-run", "--json", PollerFixture.samples.appendingPathComponent("postfix.log").path, bad,
        ])
        XCTAssertEqual(status, 0, err)
        let lines = out.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 30)
        let keys = ["source", "path", "type", "reason", "cause", "side", "recipient", "final_recipient", "status",
                    "bounce_type", "description", "message_id", "tracking_id", "timestamp"]
        for line in lines.dropLast() {
            let positions = keys.map { line.range(of: "\"\($0)\":")?.lowerBound }
            XCTAssertFalse(positions.contains(nil), String(line))
            XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted(), String(line))
        }
        let last = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
        XCTAssertEqual(last["quarantined"] as? Bool, true)
        XCTAssertEqual(last["position"] as? String, "offset 0")
        XCTAssertTrue(out.contains(#""type":"hard_bounce","reason":"user_unknown","cause":"user_unknown","side":"address""#))
        XCTAssertTrue(out.contains(#""type":"soft_bounce","reason":"spam_content","cause":"spam_content","side":"sender""#), out)
        XCTAssertEqual(try fx.count("SELECT count(*) FROM events"), 0, "a dry run touches no store")
    }

    func testIngestSummaryAndListings() throws {
        let fx = try PollerFixture()
        try fx.postCaptureMessages()
        let bad = fx.path("bad.jsonl")
        try Data("not json\n{\"type\":\"delivered\",\"timestamp\":1795608000,\"message_id\":\"nobody@x\"}\n".utf8)
            .write(to: URL(fileURLWithPath: bad))
        let log = PollerFixture.samples.appendingPathComponent("postfix.log").path
        let (status, out, err) = try chatter(["ingest", "--db", fx.store.path, log, bad])
        XCTAssertEqual(status, 0, err)
        XCTAssertTrue(out.hasPrefix("applied "), out)
        XCTAssertTrue(out.contains("unmatched 1, quarantined 1"), out)
        let (_, again, _) = try chatter(["ingest", "--json", "--from-start", "--db", fx.store.path, log])
        XCTAssertTrue(again.contains(#""applied": 0"#) && !again.contains(#""duplicate": 0"#), again)
        let (_, quarantine, _) = try chatter(["quarantine", "--json", "--db", fx.store.path])
        XCTAssertTrue(quarantine.contains(#""reason": "not a JSON object""#), quarantine)
        let (_, unmatched, _) = try chatter(["unmatched", "--db", fx.store.path])
        XCTAssertTrue(unmatched.contains("nobody@x"), unmatched)
        let (missing, _, missingErr) = try chatter(["ingest", "--db", fx.store.path, fx.path("nope.log")])
        XCTAssertEqual(missing, 2, missingErr)
    }

    func testPollDaemonStopsCleanlyOnSigtermWithItsCursorSaved() throws {
        let fx = try PollerFixture()
        let id = try XCTUnwrap(try fx.post(messageId: "d@app.test", to: ["d@x.test"])["d@x.test"]).id
        let events = fx.path("events.jsonl")
        try Data(#"{"type":"delivered","timestamp":1795608000,"tracking_id":"\#(id)"}"#.utf8 + [10])
            .write(to: URL(fileURLWithPath: events))
        try FileManager.default.createDirectory(atPath: fx.path("config/chatter"), withIntermediateDirectories: true)
        try "[poller]\ninterval = 0.05\n\n[[source]]\nkind = \"events\"\npath = \"\(events)\"\nformat = \"jsonl\"\n"
            .write(toFile: fx.path("config/chatter/config.toml"), atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = ChatterBinary.url
        p.arguments = ["poll", "--db", fx.store.path]
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = fx.path("config")
        p.environment = environment
        let err = Pipe()
        p.standardError = err
        try p.run()
        let deadline = Date().addingTimeInterval(20)
        while try fx.store.tracking(id: id).state != .delivered, Date() < deadline { usleep(20_000) }
        kill(p.processIdentifier, SIGTERM)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, log)
        XCTAssertEqual(try fx.store.tracking(id: id).state, .delivered)
        XCTAssertTrue(log.contains("batch") && log.contains("applied=1"), log)
        XCTAssertTrue(log.contains("stopping on signal"), log)
        XCTAssertNotNil(try fx.store.cursor(source: PollerSource(kind: .events, path: events).name))

        try "[[source]]\nkind = \"smtp\"\npath = \"/x\"\n".write(
            toFile: fx.path("config/chatter/config.toml"), atomically: true, encoding: .utf8)
        let (status, _, badErr) = try chatter(["poll", "--once", "--db", fx.store.path], env: ["XDG_CONFIG_HOME": fx.path("config")])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(badErr.contains("config.toml:2: source 1: unknown kind smtp"), badErr)
    }
}
