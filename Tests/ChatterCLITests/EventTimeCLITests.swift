import Foundation
import XCTest

/// `chatter event --at` outside the sane window is a usage error (exit 1) with the reason,
/// and the row is left as it was; `chatter ingest` quarantines such a signal with the reason.
final class EventTimeCLITests: XCTestCase {
    private var dir: URL!
    private var db: String { dir.appendingPathComponent("store.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-time-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func trackingId() throws -> Int {
        let post = try Chatter.run([
            "post", "--json", "--db", db, "--as", "me@example.org", "--thread", "t/1", "--to", "ann@example.org",
            "--subject", "s", "--body", "b",
        ])
        XCTAssertEqual(post.status, 0, post.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(post.stdout.utf8)) as? [String: Any])
        let trackings = try XCTUnwrap(object["trackings"] as? [[String: Any]])
        return try XCTUnwrap(trackings.first?["id"] as? Int)
    }

    func testAbsurdTimesFromPeopleAreUsageErrors() throws {
        let id = String(try trackingId())
        for (at, reason) in [
            ("1e300", "more than a day ahead of the clock"), ("nan", "is not a number"), ("100", "before 1990"),
            ("4102444800", "2100-01-01 is more than a day ahead"),
        ] {
            let r = try Chatter.run(["event", id, "open", "--at", at, "--db", db])
            XCTAssertEqual(r.status, 1, "--at \(at): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(reason), "--at \(at): \(r.stderr)")
        }
        let events = try Chatter.run(["events", "--json", "--db", db])
        XCTAssertFalse(events.stdout.contains("\"open\""), "nothing applied: \(events.stdout)")
        let now = String(Int(Date().timeIntervalSince1970))
        let ok = try Chatter.run(["event", id, "open", "--at", now, "--db", db])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let bounce = try Chatter.run(["event", id, "hard_bounce", "--db", db, "--json"])
        let state = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bounce.stdout.utf8)) as? [String: Any])["state"]
        XCTAssertEqual(state as? String, "bounced", "a sane open does not pin the row: \(bounce.stdout)")
    }

    func testAbsurdTimesFromSignalsAreQuarantinedWithTheReason() throws {
        let id = try trackingId()
        let events = dir.appendingPathComponent("events.jsonl")
        try Data(
            (#"{"type":"open","timestamp":4102444800,"tracking_id":"\#(id)"}"# + "\n"
                + #"{"type":"hard_bounce","timestamp":"\#(Int(Date().timeIntervalSince1970))","tracking_id":"\#(id)"}"# + "\n").utf8
        ).write(to: events)
        let dry = try Chatter.run(["ingest", "--dry-run", "--json", events.path])
        XCTAssertTrue(dry.stdout.contains("is more than a day ahead of the clock"), dry.stdout)
        let run = try Chatter.run(["ingest", "--db", db, events.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("applied 1,") && run.stdout.contains("quarantined 1,"), run.stdout)
        let quarantine = try Chatter.run(["quarantine", "--json", "--db", db])
        XCTAssertTrue(quarantine.stdout.contains("event time 2100-01-01 is more than a day ahead of the clock"), quarantine.stdout)
        let bounced = try Chatter.run(["trackings", "--json", "--db", db])
        XCTAssertTrue(bounced.stdout.contains(#""state": "bounced""#) || bounced.stdout.contains(#""state":"bounced""#), bounced.stdout)
    }
}
