import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

/// The outbox beside the poller, and "no sender configured" said at once.
final class OutboxHeaderTests: XCTestCase {
    private func press(_ s: inout AppState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += update(&s, .key(k)) }
        return effects
    }

    private func header(_ s: AppState) -> String {
        var grid = Grid(size: s.size)
        render(s, into: &grid)
        return String(grid.text.split(separator: "\n").first ?? "")
    }

    func testTheHeaderShowsTheOutboxBesideThePoller() {
        var s = Fixtures.loaded(size: Size(width: 120, height: 30))
        XCTAssertFalse(header(s).contains("outbox"), "nothing to say: nothing shown")
        _ = update(&s, .senderStatus(.running))
        _ = update(&s, .outboxLoaded(OutboxInfo(queued: 2, sending: 1, failing: 1)))
        XCTAssertTrue(header(s).contains("poller ● live · just now · outbox 2 queued · 1 sending · 1 failing"), header(s))
        _ = update(&s, .outboxLoaded(OutboxInfo(queued: 0, sending: 0, failing: 0)))
        XCTAssertFalse(header(s).contains("outbox"), "live: an emptied outbox leaves the header")
    }

    func testWithNoSenderTheHeaderSaysSo() {
        var s = Fixtures.loaded(size: Size(width: 120, height: 30))
        _ = update(&s, .senderStatus(.notConfigured))
        XCTAssertTrue(header(s).contains("outbox: no sender"), header(s))
        _ = update(&s, .outboxLoaded(OutboxInfo(queued: 3, sending: 0, failing: 0)))
        XCTAssertTrue(header(s).contains("outbox 3 queued (no sender)"), header(s))
    }

    func testRetryWithNoSenderSaysSoAtOnceAndWhenQueued() {
        var s = Fixtures.loaded()
        _ = update(&s, .senderStatus(.notConfigured))
        _ = press(&s, .char("j"), .char("R"))
        _ = update(&s, .retryPlansLoaded([Fixtures.retryPlan101]))
        XCTAssertEqual(press(&s, .enter), [.retry(messageId: 101, trackingIds: [1001])])
        XCTAssertEqual(s.status?.text, "Queued: no sender configured; run `chatter send` or set [smtp] · 1 left failed")
        _ = update(&s, .retryQueued(messageId: 101, trackingIds: [1001], leftFailed: 1))
        XCTAssertEqual(s.status?.text, "1 queued: no sender configured; run `chatter send` or set [smtp] · 1 left failed")
    }

    func testAPartialRetrySaysWhatHappened() {
        var s = Fixtures.loaded()
        _ = update(&s, .senderStatus(.running))
        _ = update(&s, .retryQueued(messageId: 101, trackingIds: [1001, 1002], leftFailed: 1))
        XCTAssertEqual(s.status?.text, "resent 2 · 1 left failed")
        _ = update(&s, .retryQueued(messageId: 104, trackingIds: [1020], leftFailed: 0))
        XCTAssertEqual(s.status?.text, "resent 1")
    }

    func testComposeSaysWhereItsMailWent() {
        var s = Fixtures.loaded()
        _ = update(&s, .senderStatus(.running))
        _ = update(&s, .messagePosted(queued: 2))
        XCTAssertEqual(s.status?.text, "Posted; sending to 2 recipients")
        _ = update(&s, .senderStatus(.notConfigured))
        _ = update(&s, .messagePosted(queued: 2))
        XCTAssertEqual(s.status?.text, "Posted; queued: no sender configured; run `chatter send` or set [smtp]")
    }
}
