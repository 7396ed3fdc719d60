import TermGrid
import XCTest

@testable import ChatterUI

/// The mailbox counters: the Failed counter comes at once, the Inbox count
/// (a full count on a big store) apart, and the two answers may cross.
final class CountsTests: XCTestCase {
    func testAFailedOnlyAnswerAfterTheInboxCountKeepsIt() {
        var s = AppState(me: Fixtures.me, size: Size(width: 80, height: 24))
        _ = update(&s, .countsLoaded(MailboxCounts(inbox: 42, failed: 3)))
        _ = update(&s, .countsLoaded(MailboxCounts(inbox: nil, failed: 4)))
        XCTAssertEqual(s.counts, MailboxCounts(inbox: 42, failed: 4))
    }

    func testANewInboxCountReplacesTheOld() {
        var s = AppState(me: Fixtures.me, size: Size(width: 80, height: 24))
        _ = update(&s, .countsLoaded(MailboxCounts(inbox: nil, failed: 3)))
        XCTAssertEqual(s.counts, MailboxCounts(inbox: nil, failed: 3))
        _ = update(&s, .countsLoaded(MailboxCounts(inbox: 43, failed: 3)))
        XCTAssertEqual(s.counts, MailboxCounts(inbox: 43, failed: 3))
    }
}
