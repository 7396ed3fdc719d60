import TrackingModel
import XCTest

/// The partner flag rule (README "The rules" with "Why it failed: causes"): only address-side
/// failures say the address is bad.
final class FlagRuleTests: XCTestCase {
    func testOnlyAddressSideFailuresFlag() {
        for cause in FailureCause.allCases {
            let address = cause.side == .address
            XCTAssertEqual(EventType.hardBounce.flagsPartner(errorType: nil, cause: cause), address, "\(cause)")
            XCTAssertEqual(EventType.error.flagsPartner(errorType: "SMTPException", cause: cause), address, "\(cause)")
            XCTAssertFalse(EventType.softBounce.flagsPartner(errorType: nil, cause: cause), "\(cause)")
            XCTAssertFalse(EventType.deferral.flagsPartner(errorType: nil, cause: cause), "\(cause)")
            XCTAssertTrue(EventType.spam.flagsPartner(errorType: nil, cause: cause), "spam always flags (\(cause))")
            XCTAssertTrue(EventType.reject.flagsPartner(errorType: nil, cause: cause), "reject always flags (\(cause))")
        }
    }

    func testWithoutCauseAHardBounceFlagsAndAnSMTPErrorDoesNot() {
        XCTAssertTrue(EventType.hardBounce.flagsPartner(errorType: nil, cause: nil), "typed by hand: the reference's rule")
        XCTAssertFalse(EventType.error.flagsPartner(errorType: "SMTPException", cause: nil), "unknown: not the address")
        XCTAssertFalse(
            EventType.error.flagsPartner(errorType: noRecipientErrorType, cause: .userUnknown), "no_recipient never flags")
        for type in [EventType.sent, .delivered, .open, .click, .unsub, .retry] {
            XCTAssertFalse(type.flagsPartner(errorType: nil, cause: .userUnknown), "\(type)")
        }
    }

    func testNewestStateFlagsByTheSameRule() {
        XCTAssertTrue(TrackingState.error.flagsAddressBounced(errorType: "x", cause: .userUnknown))
        XCTAssertFalse(TrackingState.error.flagsAddressBounced(errorType: "x", cause: .auth))
        XCTAssertFalse(TrackingState.error.flagsAddressBounced(errorType: "x", cause: nil))
        XCTAssertTrue(TrackingState.bounced.flagsAddressBounced(errorType: nil, cause: nil))
        XCTAssertTrue(TrackingState.rejected.flagsAddressBounced(errorType: nil, cause: .policy))
        XCTAssertTrue(TrackingState.spam.flagsAddressBounced(errorType: nil, cause: .spamContent))
        XCTAssertFalse(TrackingState.softBounced.flagsAddressBounced(errorType: nil, cause: .userUnknown))
        XCTAssertFalse(TrackingState.delivered.flagsAddressBounced(errorType: nil, cause: nil))
    }

    func testRowCauseFollowsTheEventThatDecidedTheState() {
        func facts(_ type: EventType, _ t: Double, _ cause: FailureCause? = nil, machine: Bool = false) -> EventFacts {
            EventFacts(
                type: type, order: EventOrder(timestamp: t, type: type, source: "s", key: "\(t)"), machine: machine,
                cause: cause)
        }
        var s = TrackingStatus.derive(from: [facts(.sent, 1), facts(.deferral, 2, .greylisted)])
        XCTAssertEqual(s.cause, .greylisted)
        s = TrackingStatus.derive(from: [facts(.sent, 1), facts(.deferral, 2, .greylisted), facts(.delivered, 3)])
        XCTAssertNil(s.cause, "delivered clears it")
        s = TrackingStatus.derive(from: [facts(.softBounce, 2, .blocked), facts(.open, 3, machine: true)])
        XCTAssertEqual(s.cause, .blocked, "a machine open moves nothing")
        s = TrackingStatus.derive(from: [facts(.error, 2, .auth), facts(.retry, 3)])
        XCTAssertNil(s.cause, "retry: back to waiting")
        XCTAssertNil(s.state)
    }

    func testRefusedLookAndPlainText() {
        XCTAssertTrue(Marker.error.refused(cause: .blocked))
        XCTAssertFalse(Marker.error.refused(cause: .userUnknown))
        XCTAssertFalse(Marker.error.refused(cause: nil))
        XCTAssertFalse(Marker.noEmail.refused(cause: .blocked))
        XCTAssertEqual(Marker.error.asciiGlyph(cause: .auth), "x!")
        XCTAssertEqual(Marker.error.asciiGlyph(cause: .mailboxFull), "x")
        XCTAssertEqual(
            FailureText.line(cause: .blocked, text: "554 listed"), "refused by the receiver: our IP is on a block list (554 listed)")
        XCTAssertEqual(FailureText.line(cause: .mailboxFull, text: nil), "mailbox full")
        XCTAssertEqual(FailureText.line(cause: nil, text: "550 x"), "550 x")
        XCTAssertNil(FailureText.line(cause: nil, text: ""))
    }
}
