import TrackingModel
import TrackingStore
import XCTest

@testable import EventIngest

/// Tie-back by each key (tracking id, Message-ID, queue id, …), strongest first, and unmatched with a reason.
final class TieBackTests: XCTestCase {
    private var fx: PollerFixture!
    private var rows: [String: TrackingRow] = [:]

    override func setUpWithError() throws {
        fx = try PollerFixture()
        rows = try fx.post(messageId: "m1@app.test", to: ["a@x.test, B@X.test"])
        try fx.post(messageId: "m2@app.test", to: ["a@x.test"])
    }

    private func resolve(_ keys: TieBackKeys) throws -> TieBackResolution {
        try fx.store.ingest { tx in try tx.resolve(keys) }
    }

    private var a: TrackingRow { rows["a@x.test"]! }
    private var b: TrackingRow { rows["b@x.test"]! }

    func testTrackingIdAsRowIdOrToken() throws {
        XCTAssertEqual(try resolve(TieBackKeys(trackingId: String(b.id))), .tracking(b.id, via: .trackingId))
        let token = try XCTUnwrap(a.token)
        XCTAssertEqual(try resolve(TieBackKeys(trackingId: token)), .tracking(a.id, via: .trackingId))
    }

    func testVerpTokenAndEnvelopeId() throws {
        XCTAssertEqual(try resolve(TieBackKeys(verpToken: try XCTUnwrap(b.token))), .tracking(b.id, via: .verpToken))
        XCTAssertEqual(try resolve(TieBackKeys(envelopeId: try XCTUnwrap(a.token))), .tracking(a.id, via: .envelopeId))
        // An ENVID that is the message's Message-ID picks the row by recipient.
        XCTAssertEqual(
            try resolve(TieBackKeys(envelopeId: "m1@app.test", recipient: "b@x.test")), .tracking(b.id, via: .envelopeId))
    }

    func testQueueIdAndProviderMessageIdRecordedAtSubmission() throws {
        try fx.store.recordSubmission(trackingIds: [a.id, b.id], queueId: "18591FA0D1", providerMessageId: "pm-77")
        XCTAssertEqual(
            try resolve(TieBackKeys(queueId: "18591FA0D1", recipient: "B@x.test")), .tracking(b.id, via: .queueId))
        XCTAssertEqual(
            try resolve(TieBackKeys(providerMessageId: "pm-77", recipient: "a@x.test")),
            .tracking(a.id, via: .providerMessageId))
        // Two rows share the queue id: without a recipient it is ambiguous.
        guard case .unresolved = try resolve(TieBackKeys(queueId: "18591FA0D1")) else {
            return XCTFail("ambiguous queue id resolved")
        }
    }

    func testMessageIdWithRecipient() throws {
        XCTAssertEqual(
            try resolve(TieBackKeys(messageId: "m1@app.test", recipient: "<A@X.TEST>")), .tracking(a.id, via: .messageId))
        // m2 has a single row: no recipient needed.
        guard case .tracking(_, .messageId) = try resolve(TieBackKeys(messageId: "m2@app.test")) else {
            return XCTFail("single-row message not resolved")
        }
    }

    func testStrongerKeyWinsAndUnknownStrongKeyFallsThrough() throws {
        XCTAssertEqual(
            try resolve(TieBackKeys(trackingId: String(a.id), messageId: "m1@app.test", recipient: "b@x.test")),
            .tracking(a.id, via: .trackingId))
        XCTAssertEqual(
            try resolve(TieBackKeys(trackingId: "trk-A-0001", messageId: "m1@app.test", recipient: "b@x.test")),
            .tracking(b.id, via: .messageId))
    }

    func testUnresolvedEventIsKeptAsUnmatchedWithItsReason() throws {
        let event = ParsedEvent(
            source: .jsonLines, path: "x.jsonl", kind: .event(.hardBounce), key: "k1", timestamp: 1_795_600_000,
            recipient: "c@x.test", status: "5.1.1", tieBack: TieBackKeys(messageId: "m1@app.test"))
        var report = PollReport()
        try fx.store.ingest { tx in try IngestApplier.apply(event, in: tx, report: &report) }
        XCTAssertEqual(report.unmatched, 1)
        let kept = try XCTUnwrap(try fx.store.unmatched().first)
        XCTAssertEqual(kept.event.type, "hard_bounce")
        XCTAssertEqual(kept.event.keys.messageId, "m1@app.test")
        XCTAssertTrue(kept.event.reason.contains("c@x.test"), kept.event.reason)
        // The same signal again is a duplicate, not a second unmatched row.
        var again = PollReport()
        try fx.store.ingest { tx in try IngestApplier.apply(event, in: tx, report: &again) }
        XCTAssertEqual(again.duplicate, 1)
        XCTAssertEqual(try fx.store.unmatched().count, 1)
    }
}
