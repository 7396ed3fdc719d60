import Foundation
import GRDB
import TestSupport
import TrackingStore
import XCTest

@testable import EventIngest

/// `poll` and `serve` as systemd runs them: READY then STOPPING on `$NOTIFY_SOCKET`
/// (path and abstract names), WATCHDOG pings at half of `$WATCHDOG_USEC`, and SIGTERM in
/// the middle of a large ingest leaving the store consistent, the cursor at a batch boundary.
final class ServiceLifecycleTests: XCTestCase {
    /// Writes `count` JSON-lines deferrals on the fixture's rows and a config with that file as source.
    private func eventsSource(_ fx: PollerFixture, count: Int, batch: Int) throws -> (config: String, file: String) {
        var ids: [Int64] = []
        for n in 0..<10 { ids += try fx.post(messageId: "svc\(n)@app.test", to: ["s\(n)@x.test"]).values.map(\.id) }
        let file = fx.path("events.jsonl")
        var text = ""
        text.reserveCapacity(count * 110)
        for n in 0..<count {
            text += #"{"type":"deferral","timestamp":\#(1_795_600_000 + n),"tracking_id":"\#(ids[n % ids.count])","key":"k\#(n)","status":"4.2.2"}"#
            text += "\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let config = fx.path("config.toml")
        try """
        [poller]
        batch_size = \(batch)
        [[source]]
        kind = "events"
        path = "\(file)"
        format = "jsonl"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return (config, file)
    }

    private func spawn(_ args: [String], env: [String: String]) throws -> Process {
        let p = Process()
        p.executableURL = ChatterBinary.url
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    private func waitExit(_ p: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning, Date() < deadline { usleep(10_000) }
        return !p.isRunning
    }

    func testPollNotifiesReadyWatchdogThenStoppingOnSigterm() throws {
        for abstract in [true, false] {
            let fx = try PollerFixture()
            let (config, _) = try eventsSource(fx, count: 10, batch: 100)
            let socket = try NotifySocket(abstract: abstract, dir: URL(fileURLWithPath: fx.path(".")))
            let p = try spawn(
                ["poll", "--db", fx.store.path, "--config", config],
                env: ["NOTIFY_SOCKET": socket.name, "WATCHDOG_USEC": "200000"])
            defer { if p.isRunning { p.terminate() } }
            let ready = try XCTUnwrap(socket.receive(until: "READY=1", timeout: 30), "no READY=1 (\(socket.name))")
            XCTAssertFalse(ready.contains { $0.contains("STOPPING=1") })
            XCTAssertNotNil(socket.receive(until: "WATCHDOG=1", timeout: 5), "no WATCHDOG=1 within 5 s at 0.2 s")
            kill(p.processIdentifier, SIGTERM)
            XCTAssertNotNil(socket.receive(until: "STOPPING=1", timeout: 10), "no STOPPING=1")
            XCTAssertTrue(waitExit(p, seconds: 30))
            XCTAssertEqual(p.terminationStatus, 0)
        }
    }

    func testServeNotifiesReadyThenStoppingOnSigterm() throws {
        let fx = try PollerFixture()
        let socket = try NotifySocket(abstract: true, dir: URL(fileURLWithPath: fx.path(".")))
        let p = try spawn(
            ["serve", "--db", fx.store.path, "--listen", "127.0.0.1:0"],
            env: ["NOTIFY_SOCKET": socket.name, "XDG_CONFIG_HOME": fx.path("config")])
        defer { if p.isRunning { p.terminate() } }
        XCTAssertNotNil(socket.receive(until: "READY=1", timeout: 30), "no READY=1")
        kill(p.processIdentifier, SIGTERM)
        XCTAssertNotNil(socket.receive(until: "STOPPING=1", timeout: 10), "no STOPPING=1")
        XCTAssertTrue(waitExit(p, seconds: 30))
        XCTAssertEqual(p.terminationStatus, 0)
    }

    func testSigtermDuringALargeIngestStopsAtABatchBoundary() throws {
        let events = 60_000
        let batch = 500
        let fx = try PollerFixture()
        let (config, file) = try eventsSource(fx, count: events, batch: batch)
        let p = try spawn(["poll", "--db", fx.store.path, "--config", config], env: [:])
        defer { if p.isRunning { p.terminate() } }
        let reader = try fx.dbQueue()
        let deadline = Date().addingTimeInterval(60)
        var seen = 0
        while p.isRunning, Date() < deadline, seen < events / 10 {
            seen = try reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM events WHERE source = 'jsonl'") ?? 0 }
            usleep(2_000)
        }
        kill(p.processIdentifier, SIGTERM)
        XCTAssertTrue(waitExit(p, seconds: 30))
        XCTAssertEqual(p.terminationStatus, 0)

        let applied = try fx.count("SELECT count(*) FROM events WHERE source = 'jsonl'")
        XCTAssertLessThan(applied, events, "SIGTERM landed after the whole file: make it larger")
        XCTAssertGreaterThan(applied, 0)
        XCTAssertEqual(applied % batch, 0, "\(applied) events: not a whole number of batches")
        let integrity = try reader.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(integrity, "ok")
        // The cursor is exactly after the last line of the last committed batch.
        let saved = try XCTUnwrap(try fx.store.cursor(source: PollerSource(kind: .events, path: file).name))
        let cursor = try JSONDecoder().decode(FileCursor.self, from: Data(saved.utf8))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let lines = bytes.prefix(Int(cursor.offset)).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        XCTAssertEqual(lines, applied, "cursor at byte \(cursor.offset) = \(lines) lines, store has \(applied) events")
        XCTAssertEqual(bytes[Int(cursor.offset) - 1], UInt8(ascii: "\n"))
    }
}
