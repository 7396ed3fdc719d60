import XCTest
@testable import TrackingModel

final class StateRuleTests: XCTestCase {
    func facts(_ events: [(EventType, Double, Bool)]) -> [EventFacts] {
        events.enumerated().map { i, e in
            EventFacts(type: e.0, order: EventOrder(timestamp: e.1, type: e.0, source: "t", key: "\(i)"), machine: e.2)
        }
    }

    func testTruthTableHasAtLeastTwentySequences() {
        XCTAssertGreaterThanOrEqual(PrecedenceTruthTable.cases.count, 20)
    }

    func testTruthTableInEveryArrivalOrder() {
        for c in PrecedenceTruthTable.cases {
            let all = facts(c.events)
            let perms = PrecedenceTruthTable.permutations(all)
            XCTAssertEqual(perms.count, (1...all.count).reduce(1, *))
            for p in perms {
                // Incremental folding in arrival order, re-deriving when an event is older than the last one
                // (what the store does), must equal the in-order result.
                var status = TrackingStatus()
                var seen: [EventFacts] = []
                for e in p {
                    seen.append(e)
                    if let last = status.last, e.order < last {
                        status = TrackingStatus.derive(from: seen)
                    } else {
                        status.fold(e)
                    }
                }
                XCTAssertEqual(status.state, c.expected, "\(c.note): order \(p.map { "\($0.type.rawValue)@\($0.order.timestamp)" })")
                XCTAssertEqual(status, TrackingStatus.derive(from: all), c.note)
            }
        }
    }

    func testRetryClearsErrorAndBounceFields() {
        let s = TrackingStatus.derive(from: [
            EventFacts(type: .hardBounce, order: EventOrder(timestamp: 1, type: .hardBounce, source: "t", key: "1"),
                       bounceType: "hard", bounceDescription: "550"),
            EventFacts(type: .retry, order: EventOrder(timestamp: 2, type: .retry, source: "t", key: "2")),
        ])
        XCTAssertNil(s.state)
        XCTAssertNil(s.bounceDescription)
        XCTAssertNil(s.failureText)
    }

    func testBounceKeepsItsFields() {
        let s = TrackingStatus.derive(from: [
            EventFacts(type: .softBounce, order: EventOrder(timestamp: 1, type: .softBounce, source: "t", key: "1"),
                       bounceType: "soft", bounceDescription: "452 4.2.2 Mailbox full"),
        ])
        XCTAssertEqual(s.state, .softBounced)
        XCTAssertEqual(s.bounceType, "soft")
        XCTAssertEqual(s.failureText, "452 4.2.2 Mailbox full")
    }

    func testEventOrderIsTotal() {
        let a = EventOrder(timestamp: 1, type: .open, source: "a", key: "1")
        let b = EventOrder(timestamp: 1, type: .open, source: "a", key: "2")
        XCTAssertTrue(a < b)
        XCTAssertFalse(b < a)
        XCTAssertTrue(EventOrder(timestamp: 1, type: .click, source: "z", key: "z") < EventOrder(timestamp: 1.5, type: .sent, source: "a", key: "a"))
    }

    func testFailedStates() {
        XCTAssertEqual(Set(TrackingState.allCases.filter(\.isFailed)), [.error, .rejected, .spam, .bounced, .softBounced])
    }

    func testDuplicateWindows() {
        XCTAssertEqual(DuplicateWindow.seconds(for: .open), 10)
        XCTAssertEqual(DuplicateWindow.seconds(for: .click), 5)
        XCTAssertNil(DuplicateWindow.seconds(for: .delivered))
    }

    func testScoreFormula() {
        XCTAssertEqual(EmailScore.compute(counts: [.bounced: 9]).score, 0)
        XCTAssertEqual(EmailScore.compute(counts: [.opened: 11]).score, 100)
        XCTAssertEqual(EmailScore.compute(counts: [:]).score, 50)
        XCTAssertEqual(EmailScore.compute(counts: [.error: 1, .delivered: 3]).score, 3)
        XCTAssertEqual(EmailScore.compute(counts: [nil: 4, .sent: 2, .deferred: 1]).score, 50)
    }

    func testSafeTextNeutralisesControlsAndBidi() {
        XCTAssertEqual(SafeText.clean("a\u{1B}]0;pwned\u{07}b"), "a^[]0;pwned^Gb")
        XCTAssertEqual(SafeText.clean("ok\rEVIL"), "ok^MEVIL")
        XCTAssertEqual(SafeText.clean("x\u{202E}y"), "x<U+202E>y")
        XCTAssertEqual(SafeText.clean("c1\u{9B}31m"), "c1<U+009B>31m")
        XCTAssertEqual(SafeText.clean("l1\nl2", .multiline), "l1\nl2")
        XCTAssertEqual(SafeText.clean("l1\r\nl2", .line), "l1 l2")
        XCTAssertEqual(SafeText.clean("日本 👨‍👩‍👧"), "日本 👨‍👩‍👧")
        XCTAssertTrue(SafeText.isClean(SafeText.clean("\u{0}\u{1F}\u{7F}\u{85}\u{2066}")))
    }
}
