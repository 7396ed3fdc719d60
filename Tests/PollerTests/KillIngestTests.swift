import Foundation
import TestSupport
import GRDB
import TrackingStore
import XCTest

@testable import EventIngest

/// `kill -9` of `chatter ingest` at random moments: after restarts, exactly every event once,
/// an intact database and the cursor at the end of the file.
///
/// The suite runs a short seeded smoke; `make soak` sets CHATTER_SOAK_EVENTS=100000 and CHATTER_SOAK_KILLS=100.
final class KillIngestTests: XCTestCase {
    private func environmentInt(_ name: String, _ fallback: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap(Int.init) ?? fallback
    }

    private func spawnIngest(db: String, file: String) throws -> Process {
        let p = Process()
        p.executableURL = ChatterBinary.url
        p.arguments = ["ingest", "--db", db, "--batch-size", "500", file]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func testKillNineDuringIngestNeitherLosesNorDuplicates() throws {
        let events = environmentInt("CHATTER_SOAK_EVENTS", 10_000)
        let kills = environmentInt("CHATTER_SOAK_KILLS", 10)
        var rng = SeededGenerator(seed: UInt64(environmentInt("CHATTER_SOAK_SEED", 4242)))
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: ChatterBinary.path), "build chatter first: \(ChatterBinary.path)")

        let fx = try PollerFixture()
        var ids: [Int64] = []
        for n in 0..<20 { ids += try fx.post(messageId: "kill\(n)@app.test", to: ["r\(n)@x.test"]).values.map(\.id) }
        let file = fx.path("events.jsonl")
        var text = ""
        text.reserveCapacity(events * 110)
        for n in 0..<events {
            text += #"{"type":"deferral","timestamp":\#(1_795_600_000 + n),"tracking_id":"\#(ids[n % ids.count])","key":"e\#(n)","status":"4.2.2"}"#
            text += "\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let size = Int64(text.utf8.count)

        // Kill points: random event counts, each reached by a restarted ingest, then SIGKILL at once.
        // Targets leave at least a tenth of the file, so a restarted ingest is still busy when it is killed.
        let targets = (0..<kills).map { _ in Int.random(in: 1..<(events * 9 / 10), using: &rng) }.sorted()
        var killed = 0
        let reader = try fx.dbQueue()
        for target in targets {
            let process = try spawnIngest(db: fx.store.path, file: file)
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning, Date() < deadline {
                let done = try reader.read { db in
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE source = 'jsonl'") ?? 0
                }
                if done >= target { break }
                usleep(500)
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
        }
        // On a loaded machine a restart can outrun the watcher now and then; most kills must land mid-ingest.
        XCTAssertGreaterThanOrEqual(killed, max(1, kills * 8 / 10), "kills that landed while ingesting")
        let final = try spawnIngest(db: fx.store.path, file: file)
        final.waitUntilExit()
        XCTAssertEqual(final.terminationStatus, 0)

        XCTAssertEqual(try fx.count("SELECT count(*) FROM events WHERE source = 'jsonl'"), events)
        XCTAssertEqual(try fx.count("SELECT count(DISTINCT key) FROM events WHERE source = 'jsonl'"), events)
        let integrity = try fx.dbQueue().read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(integrity, "ok")
        let saved = try XCTUnwrap(try fx.store.cursor(source: PollerSource(kind: .events, path: file).name))
        let cursor = try JSONDecoder().decode(FileCursor.self, from: Data(saved.utf8))
        XCTAssertEqual(cursor.offset, size, "cursor at the end")
    }
}
