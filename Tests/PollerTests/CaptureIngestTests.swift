import Foundation
import TrackingModel
import TrackingStore
import XCTest

@testable import EventIngest

/// The real capture (Postfix log + the DSNs it produced) into a store holding its messages.
final class CaptureIngestTests: XCTestCase {
    /// 2026-11-25 12:00 UTC: the capture's syslog timestamps fall in 2026.
    static let clock: @Sendable () -> Double = { 1_795_608_000 }

    private func ingest(_ fx: PollerFixture, fromStart: Bool = false) throws -> PollReport {
        var total = PollReport()
        for name in ["postfix.log", "bounces.mbox"] {
            let one = try OneShotIngest(
                store: fx.store, path: PollerFixture.samples.appendingPathComponent(name).path, format: nil,
                batchSize: 7, fromStart: fromStart, clock: Self.clock)
            total.add(try one.run())
        }
        return total
    }

    func testCaptureEndsInTheRightStatesAndReingestGivesOnlyDuplicates() throws {
        let fx = try PollerFixture()
        try fx.postCaptureMessages()
        let first = try ingest(fx)
        XCTAssertEqual(first.unmatched, 0, "every application event ties back")
        XCTAssertEqual(first.quarantined, 0)
        XCTAssertGreaterThan(first.applied, 40)
        XCTAssertGreaterThan(first.ignored, 5, "own notifications and the auto-reply are ignored")

        let expected: [(String, String, TrackingState)] = [
            ("20241125.1@app.testhost.localdomain", "root@testhost.localdomain", .delivered),
            ("20241125.2@app.testhost.localdomain", "nosuchuser@testhost.localdomain", .bounced),
            ("A.20261125@app.testhost.localdomain", "ok@remote.test", .delivered),
            ("A.20261125@app.testhost.localdomain", "bad@remote.test", .bounced),
            ("A.20261125@app.testhost.localdomain", "full@remote.test", .softBounced),
            ("A.20261125@app.testhost.localdomain", "grey@remote.test", .softBounced),
            ("A.20261125@app.testhost.localdomain", "spam@remote.test", .softBounced),
            ("B.20261125@app.testhost.localdomain", "ok2@remote.test", .delivered),
            ("B.20261125@app.testhost.localdomain", "bad2@remote.test", .bounced),
            ("C.20261125@app.testhost.localdomain", "someone@down.test", .softBounced),
        ]
        for (messageId, address, state) in expected {
            XCTAssertEqual(try fx.state(messageId, address), state, "\(messageId) \(address)")
        }
        // Refused by our own server (error transport) and then reported by a DSN: failed either way.
        let blocked = try XCTUnwrap(try fx.state("E.20261125@app.testhost.localdomain", "x@blocked.test"))
        XCTAssertTrue([TrackingState.rejected, .softBounced].contains(blocked), "\(blocked)")

        let eventsBefore = try fx.count("SELECT count(*) FROM events")
        // Resumed: nothing new.
        XCTAssertEqual(try ingest(fx).total, 0)
        // Read again from the start: only duplicates.
        let again = try ingest(fx, fromStart: true)
        XCTAssertEqual(again.applied, 0)
        XCTAssertEqual(again.unmatched, 0)
        XCTAssertEqual(again.duplicate, first.applied + first.suppressed)
        XCTAssertEqual(try fx.count("SELECT count(*) FROM events"), eventsBefore)
    }

    func testWithoutTheMessagesEverythingIsUnmatchedNotLost() throws {
        let fx = try PollerFixture()
        let report = try ingest(fx)
        XCTAssertEqual(report.applied, 0)
        XCTAssertGreaterThan(report.unmatched, 40)
        XCTAssertEqual(try fx.store.unmatched(limit: 1000).count, report.unmatched)
        XCTAssertEqual(try fx.count("SELECT count(*) FROM queue_links WHERE system = 1") > 0, true)
    }
}
