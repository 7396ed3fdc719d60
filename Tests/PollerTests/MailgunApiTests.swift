import Foundation
import TrackingModel
import TrackingStore
import XCTest

@testable import EventIngest

/// The Mailgun Events API source against a local fake (python3 stdlib): a 429 first
/// (backoff, then retry), paging through `paging.next`, the settle window, and a later
/// scan that gives nothing twice.
final class MailgunApiTests: XCTestCase {
    func testPagesSettleWindowRateLimitAndNoRepeats() throws {
        let python = try XCTUnwrap(
            ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "python3 missing: run `make deps`")
        let fx = try PollerFixture()
        let rows = try fx.post(messageId: "mg@app.test", to: ["a@x.test, b@x.test, c@x.test"])
        let now = 1_795_608_000.0
        // Seven settled events (paged by 3) and one too recent for this scan (inside the settle window).
        var items: [[String: Any]] = []
        for (n, address) in ["a@x.test", "b@x.test", "c@x.test", "a@x.test", "b@x.test", "c@x.test", "a@x.test"].enumerated() {
            items.append([
                "id": "ev\(n)", "event": n < 3 ? "delivered" : "opened", "timestamp": now - 4000 + Double(n) * 60,
                "recipient": address, "user-variables": ["tracking_id": String(try XCTUnwrap(rows[address]).id)],
            ])
        }
        items.append([
            // An unknown user: a permanent failure without its reply says no cause and is only soft.
            "id": "late", "event": "failed", "severity": "permanent", "timestamp": now - 60, "recipient": "c@x.test",
            "delivery-status": ["code": 550, "message": "5.1.1 no such user"],
            "message": ["headers": ["message-id": "mg@app.test"]],
        ])
        let eventsFile = fx.path("events.json")
        try JSONSerialization.data(withJSONObject: items).write(to: URL(fileURLWithPath: eventsFile))
        let port = Int.random(in: 30_000..<40_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: python)
        server.arguments = [
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("RealPostfix/fake_mailgun.py").path,
            String(port), "key-test", eventsFile,
        ]
        let out = Pipe()
        server.standardOutput = out
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        _ = out.fileHandleForReading.availableData  // "ready"

        setenv("CHATTER_TEST_MAILGUN_KEY", "key-test", 1)
        let clock = Clock(now)
        var options = Poller.Options()
        options.clock = { clock.now }
        options.initialBackoff = 0
        let source = PollerSource(
            kind: .mailgunApi, path: "http://127.0.0.1:\(port)/v3/test.example/events", batchSize: 3,
            apiKeyEnv: "CHATTER_TEST_MAILGUN_KEY", settle: 1800, fetchInterval: 60)
        let poller = Poller(store: fx.store, sources: [source], options: options)

        XCTAssertEqual(poller.runOnce().total, 0)
        XCTAssertTrue(poller.status.error?.contains("429") ?? false, "\(String(describing: poller.status.error))")
        let first = poller.runOnce()
        XCTAssertNil(poller.status.error)
        XCTAssertEqual(first.applied, 7)
        XCTAssertGreaterThanOrEqual(first.batches, 3, "three pages of three")
        XCTAssertEqual(try fx.store.tracking(id: try XCTUnwrap(rows["a@x.test"]).id).state, .opened)
        XCTAssertNotEqual(
            try fx.store.tracking(id: try XCTUnwrap(rows["c@x.test"]).id).state, .bounced,
            "the late event is not read before it settles")

        // Before the interval: no scan. After it and the settle window: only the late event.
        XCTAssertEqual(poller.runOnce().total, 0)
        clock.now = now + 1800
        let second = Poller(store: fx.store, sources: [source], options: options).runOnce()
        XCTAssertEqual(second.applied, 1)
        XCTAssertLessThanOrEqual(second.duplicate, 1, "a scan begins at the newest event seen")
        XCTAssertEqual(try fx.store.tracking(id: try XCTUnwrap(rows["c@x.test"]).id).state, .bounced)
    }
}

/// A settable clock shared with the poller's thread.
final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double
    init(_ value: Double) { self.value = value }
    var now: Double {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
