import XCTest
@testable import TrackingModel

final class StateRuleSmokeTests: XCTestCase {
    func testOpenMovesSentToOpened() {
        let s = TrackingStatus.derive(from: [
            EventFacts(type: .sent, order: EventOrder(timestamp: 1, type: .sent, source: "t", key: "1")),
            EventFacts(type: .open, order: EventOrder(timestamp: 2, type: .open, source: "t", key: "2")),
        ])
        XCTAssertEqual(s.state, .opened)
    }
}
