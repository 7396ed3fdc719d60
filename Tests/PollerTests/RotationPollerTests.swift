import Foundation
import TrackingStore
import TestSupport
import XCTest

@testable import EventIngest

/// Rotation torture through the poller: a writer appends numbered events, a rotator
/// alternates rename and copytruncate, the poller is replaced (restarted from its
/// committed cursor) at random moments; the set of ingested events equals the set written.
///
/// The suite runs a short seeded smoke; `make soak` sets CHATTER_SOAK_ROTATIONS=200.
final class RotationPollerTests: XCTestCase {
    func testRotationsAndRestartsLoseNothingAndRepeatNothing() throws {
        let rotations = ProcessInfo.processInfo.environment["CHATTER_SOAK_ROTATIONS"].flatMap(Int.init) ?? 20
        var rng = SeededGenerator(seed: 99)
        let fx = try PollerFixture()
        let id = try XCTUnwrap(try fx.post(messageId: "rot@app.test", to: ["rot@x.test"])["rot@x.test"]).id
        let live = fx.path("events.log")
        let manager = FileManager.default
        manager.createFile(atPath: live, contents: nil)
        let source = PollerSource(kind: .events, path: live, format: .jsonLines, batchSize: 7)
        var poller = Poller(store: fx.store, sources: [source])
        poller.runOnce()  // the first read (no cursor) before any rotation

        var written = 0
        var rotatedFiles = 0
        func append(_ count: Int) throws {
            let handle = try XCTUnwrap(FileHandle(forWritingAtPath: live))
            handle.seekToEndOfFile()
            var chunk = ""
            for _ in 0..<count {
                chunk += #"{"type":"deferral","timestamp":\#(1_795_600_000 + written),"tracking_id":"\#(id)","key":"n\#(written)"}"# + "\n"
                written += 1
            }
            handle.write(Data(chunk.utf8))
            try handle.close()
        }
        func shift() throws {
            var n = rotatedFiles
            while n >= 1 {
                try manager.moveItem(atPath: "\(live).\(n)", toPath: "\(live).\(n + 1)")
                n -= 1
            }
            rotatedFiles += 1
        }
        for round in 0..<rotations {
            try append(Int.random(in: 1...40, using: &rng))
            if Bool.random(using: &rng) { poller.runOnce() }
            if round % 2 == 0 {
                try shift()
                try manager.moveItem(atPath: live, toPath: "\(live).1")
                manager.createFile(atPath: live, contents: nil)
            } else {
                try shift()
                try manager.copyItem(atPath: live, toPath: "\(live).1")
                try XCTUnwrap(FileHandle(forWritingAtPath: live)).truncate(atOffset: 0)
            }
            try append(Int.random(in: 0...15, using: &rng))
            if Int.random(in: 0..<3, using: &rng) == 0 {
                // A restart: the old poller's uncommitted state is gone.
                poller = Poller(store: fx.store, sources: [source])
            }
            if Bool.random(using: &rng) { poller.runOnce() }
        }
        for _ in 0..<3 { poller.runOnce() }
        let keys = try fx.dbQueue().read { db in
            try String.fetchAll(db, sql: "SELECT key FROM events WHERE source = 'jsonl'")
        }
        XCTAssertEqual(keys.count, written, "no event twice, none lost")
        XCTAssertEqual(Set(keys), Set((0..<written).map { "n\($0)" }))
    }
}
