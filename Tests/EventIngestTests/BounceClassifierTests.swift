import TrackingModel
import XCTest

@testable import EventIngest

final class BounceClassifierTests: XCTestCase {
    private func check(
        _ status: String?, _ text: String?, permanent: Bool = false, _ bounceType: String?, _ reason: String,
        _ type: EventType, file: StaticString = #filePath, line: UInt = #line
    ) {
        let c = BounceClassifier.classify(status: status, text: text, permanent: permanent)
        XCTAssertEqual(c.bounceType, bounceType, "bounceType", file: file, line: line)
        XCTAssertEqual(c.reason, reason, "reason", file: file, line: line)
        XCTAssertEqual(c.eventType, type, "eventType", file: file, line: line)
    }

    func testCapturedPostfixOutcomes() {
        check("5.1.1", "unknown user: \"nosuchuser\"", "hard", "user_unknown", .hardBounce)
        check(
            "5.1.1", "host 127.0.0.1[127.0.0.1] said: 550 5.1.1 <bad@remote.test>: Recipient address rejected: User unknown",
            "hard", "user_unknown", .hardBounce)
        check("4.2.2", "452 4.2.2 <full@remote.test>: Mailbox full, try again later", nil, "mailbox_full", .deferral)
        check("4.7.1", "450 4.7.1 <grey@remote.test>: Recipient address rejected: Greylisted", nil, "greylisted", .deferral)
        check("5.7.1", "554 5.7.1 <spam@remote.test>: Message rejected as spam by content filter", "hard", "spam", .hardBounce)
        check("4.4.1", "connect to 127.0.0.1[127.0.0.1]:2526: Connection refused", nil, "network", .deferral)
        check("5.7.1", "Recipient domain blocked by local policy", "hard", "policy", .hardBounce)
        check("2.0.0", "250 2.0.0 Ok: queued as 1F41471326", nil, "delivered", .delivered)
    }

    func testCodeTable() {
        check("5.1.2", nil, "hard", "host_unknown", .hardBounce)
        check("5.4.4", nil, "hard", "host_unknown", .hardBounce)
        check("5.1.10", nil, "hard", "user_unknown", .hardBounce)
        check("5.2.2", nil, "soft", "mailbox_full", .softBounce)
        check("5.2.1", nil, "hard", "user_unknown", .hardBounce)
        check("5.2.3", nil, "hard", "too_large", .hardBounce)
        check("5.3.4", nil, "hard", "too_large", .hardBounce)
        check("4.4.7", nil, "soft", "expired", .softBounce)
        check("5.4.7", nil, "soft", "expired", .softBounce)
        check("5.7.26", "Unauthenticated email is not accepted", "hard", "auth", .hardBounce)
        check("5.7.1", "SPF check failed", "hard", "auth", .hardBounce)
        check("5.7.1", "Service unavailable; client host blocked using zen.spamhaus.org", "hard", "spam", .hardBounce)
        check("5.7.0", "relay access denied", "hard", "policy", .hardBounce)
        check("5.4.316", "Message expired, connection refused", "soft", "expired", .softBounce)
    }

    func testPermanentTurnsTransientIntoSoftBounce() {
        check("4.2.2", "Mailbox full", permanent: true, "soft", "mailbox_full", .softBounce)
        check("4.4.1", "Connection refused", permanent: true, "soft", "network", .softBounce)
        check("4.7.1", nil, permanent: true, "soft", "policy", .softBounce)
    }

    func testCodeFoundInTextWhenStatusMissingOrBad() {
        check(nil, "smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found", "hard", "user_unknown", .hardBounce)
        check("garbage", "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", "hard", "user_unknown", .hardBounce)
        // Exchange: reply class 550 disagrees with the enhanced code; the enhanced code wins.
        check(nil, "smtp;550 4.4.7 QUEUE.Expired; message expired", "soft", "expired", .softBounce)
        check(nil, "This is a permanent error; I've given up. (#5.5.0)", "hard", "other", .hardBounce)
        XCTAssertEqual(BounceClassifier.enhancedStatus(in: "said: 452 4.2.2 <x>"), "4.2.2")
        XCTAssertNil(BounceClassifier.enhancedStatus(in: "version 3.7.11 at 10.4.5.6"))
    }

    func testBasicReplyCodeAndWordingAlone() {
        check(nil, "550 Requested action not taken: mailbox unavailable", "hard", "user_unknown", .hardBounce)
        check(nil, "452 Too many recipients", nil, "other", .deferral)
        check(nil, "Mailbox is full", permanent: true, "soft", "mailbox_full", .softBounce)
        check(nil, "no such user here", permanent: true, "hard", "user_unknown", .hardBounce)
        check(nil, nil, permanent: true, "hard", "other", .hardBounce)
        check(nil, nil, nil, "other", .deferral)
    }
}
