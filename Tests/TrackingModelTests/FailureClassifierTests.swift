import XCTest

@testable import TrackingModel

/// The classifier from status code + reply text to (event, cause, hard / soft): one
/// short literal reply per cause, the SEMANTICS rules of hard and soft, and the codes.
final class FailureClassifierTests: XCTestCase {
    private func check(
        _ status: String?, _ text: String?, permanent: Bool = false, _ type: EventType, _ cause: FailureCause?,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let c = FailureClassifier.classify(status: status, text: text, permanent: permanent)
        XCTAssertEqual(c.eventType, type, "event of \(text ?? status ?? "nil")", file: file, line: line)
        XCTAssertEqual(c.cause, cause, "cause of \(text ?? status ?? "nil")", file: file, line: line)
    }

    func testAddressSideCausesAreHard() {
        check("5.1.1", "550 5.1.1 <bad@remote.test>: Recipient address rejected: User unknown", .hardBounce, .userUnknown)
        check(nil, "550-5.1.1 The email account that you tried to reach does not exist.", .hardBounce, .userUnknown)
        check(nil, "550 No such user here", .hardBounce, .userUnknown)
        check("5.1.2", "Host or domain name not found. Name service error for name=nx.test", .hardBounce, .hostUnknown)
        check(nil, "550 5.4.4 Unrouteable address", .hardBounce, .hostUnknown)
        check("5.1.6", "550 5.1.6 Recipient mailbox has moved, no forwarding address", .hardBounce, .hasMoved)
        check("5.1.10", "556 5.1.10 Recipient address has null MX", .hardBounce, .notAccept)
        check("5.7.27", "550 5.7.27 Domain does not accept mail", .hardBounce, .notAccept)
        check(nil, "smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found", .hardBounce, .userUnknown)
    }

    func testNotAcceptIsHardOnlyOnA5xx() {
        check(nil, "451 domain does not accept mail", permanent: true, .softBounce, .notAccept)
        XCTAssertEqual(FailureClassifier.outcome(of: .notAccept, permanent: true, replyClass: 4), .softBounce)
        XCTAssertEqual(FailureClassifier.outcome(of: .notAccept, permanent: true, replyClass: 5), .hardBounce)
    }

    func testMailboxSideCausesAreSoft() {
        check("5.2.2", "552 5.2.2 Mailbox full", .softBounce, .mailboxFull)
        check(nil, "550 user is over quota", .softBounce, .mailboxFull)
        check("5.2.1", "550 5.2.1 The email account that you tried to reach is disabled.", .softBounce, .suspended)
        check(nil, "554 delivery error: This user's account has been suspended", .softBounce, .suspended)
        check("5.3.4", "552 5.3.4 Message size exceeds fixed maximum message size", .softBounce, .tooLarge)
        check("5.2.3", nil, .softBounce, .tooLarge)
    }

    func testFiveSevenOneIsReadByItsWording() {
        check("5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", .softBounce, .blocked)
        check("5.7.1", "550 5.7.1 Message rejected: SPF check failed", .softBounce, .auth)
        check("5.7.1", "550 5.7.1 Our system has detected that this message is likely unsolicited mail (spam)", .softBounce, .spamContent)
        check("5.7.1", "550 5.7.1 Recipient domain blocked by local policy", .softBounce, .policy)
        check("5.7.1", "554 5.7.1 <x@remote.test>: Relay access denied", .softBounce, .noRelaying)
        check("5.7.1", nil, .softBounce, .policy)
        check(nil, "554 5.7.1 <x@remote.test>: Recipient address rejected: Access denied", .softBounce, .policy)
        check(nil, "550 5.7.26 Unauthenticated email from sender.test is not accepted due to DMARC policy", .softBounce, .auth)
    }

    func testSenderSideCausesAreSoft() {
        check(nil, "554 5.7.1 Service unavailable; Client host rejected: cannot find your reverse hostname", .softBounce, .blocked)
        check(nil, "550 5.7.1 Your IP 192.0.2.1 is listed by barracudacentral.org", .softBounce, .blocked)
        check(nil, "554 Your access to this mail system has been rejected due to the sending MTA's poor reputation", .softBounce, .blocked)
        check(nil, "550 5.7.1 Helo command rejected: Host not found", .softBounce, .blocked)
        check(nil, "550 5.7.1 Email rejected per DMARC policy", .softBounce, .auth)
        check(nil, "554 5.7.1 Message rejected as spam by content filter", .softBounce, .spamContent)
        check(nil, "550 Message rejected by recipient's mail filter", .softBounce, .filtered)
        check("5.6.0", "554 5.6.0 Message contains malformed headers", .softBounce, .contentError)
        check("5.6.1", nil, .softBounce, .contentError)
        check(nil, "554 5.7.1 Virus found in message: Eicar-Test-Signature", .softBounce, .virus)
        check(nil, "421 4.7.0 Too many connections from your IP, try again later", permanent: true, .softBounce, .rateLimited)
        check(nil, "550 5.7.1 Daily sending rate limit exceeded", .softBounce, .rateLimited)
        check("5.1.8", "553 5.1.8 <noreply@sender.test>: Sender address rejected: Domain not found", .softBounce, .senderRejected)
        check(nil, "550 5.1.7 Sender address rejected: Domain not found", .softBounce, .senderRejected)
        check("5.5.2", "500 5.5.2 Syntax error, command unrecognized", .softBounce, .syntaxError)
        check("5.5.4", nil, .softBounce, .syntaxError)
    }

    func testTransportSideCausesAreSoft() {
        check("5.4.7", "Delivery time expired", .softBounce, .expired)
        check("4.4.7", nil, permanent: true, .softBounce, .expired)
        check(nil, "smtp;550 4.4.7 QUEUE.Expired; message expired", .softBounce, .expired)
        check("5.4.0", "554 5.4.0 Error: too many hops", .softBounce, .network)
        check(nil, "550 5.3.0 Mail delivery program failed: exit code 75", .softBounce, .mailerError)
        check("5.3.0", "554 5.3.0 Internal server error", .softBounce, .systemError)
        check(nil, "550 message on hold", .softBounce, .onHold)
        check(nil, "This is a permanent error; I've given up. (#5.5.0)", .softBounce, .syntaxError)
        check(nil, nil, permanent: true, .softBounce, .other)
    }

    func testTemporaryRepliesAreDeferralsWithTheirCause() {
        check("4.2.2", "452 4.2.2 <full@remote.test>: Mailbox full, try again later", .deferral, .mailboxFull)
        check("4.7.1", "450 4.7.1 <grey@remote.test>: Recipient address rejected: Greylisted", .deferral, .greylisted)
        check(nil, "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume", .deferral, .rateLimited)
        check(nil, "421 4.7.0 Try again later, closing connection.", .deferral, .rateLimited)
        check("4.4.1", "connect to 127.0.0.1[127.0.0.1]:2526: Connection refused", .deferral, .network)
        check(nil, "451 4.3.0 Temporary local problem", .deferral, .systemError)
        check("4.1.1", "450 4.1.1 <x@remote.test>: Recipient address rejected: unverified address", .deferral, .userUnknown)
        check(nil, nil, .deferral, .other)
    }

    func testGivingUpOnATransientTransportFailureIsExpired() {
        check("4.4.1", "Connection timed out", permanent: true, .softBounce, .expired)
        check("4.2.2", "Mailbox full", permanent: true, .softBounce, .mailboxFull)
        check("4.1.1", "User unknown", permanent: true, .hardBounce, .userUnknown)
    }

    func testDelivered() {
        check("2.0.0", "250 2.0.0 Ok: queued as 1F41471326", .delivered, nil)
        check(nil, "250 OK id=1abc", .delivered, nil)
    }

    func testEnhancedStatusInText() {
        XCTAssertEqual(FailureClassifier.enhancedStatus(in: "said: 452 4.2.2 <x>"), "4.2.2")
        XCTAssertEqual(FailureClassifier.enhancedStatus(in: "#550 5.1.1 RESOLVER.ADR.RecipNotFound"), "5.1.1")
        XCTAssertEqual(FailureClassifier.enhancedStatus(in: "554 5.4.316 Message expired"), "5.4.316")
        XCTAssertNil(FailureClassifier.enhancedStatus(in: "version 3.7.11 at 10.4.5.6"))
        XCTAssertEqual(FailureClassifier.classify(status: "garbage", text: "550 5.1.1 x").status, "5.1.1")
    }

    func testEveryCauseIsReachableFromSomeReply() {
        let replies: [FailureCause: String] = [
            .userUnknown: "550 5.1.1 user unknown", .hostUnknown: "550 5.1.2 domain not found",
            .hasMoved: "550 5.1.6 has moved", .notAccept: "550 5.1.10 null MX",
            .mailboxFull: "552 5.2.2 mailbox full", .suspended: "550 5.2.1 account disabled",
            .tooLarge: "552 5.3.4 too big", .blocked: "554 5.7.1 blocked using bl.example",
            .policy: "550 5.7.1 policy", .auth: "550 5.7.26 DMARC", .spamContent: "550 5.7.1 spam",
            .filtered: "550 5.2.0 rejected by filter", .contentError: "554 5.6.0 malformed MIME",
            .virus: "554 5.7.1 virus", .rateLimited: "421 4.7.0 rate limit", .senderRejected: "553 5.1.8 sender",
            .noRelaying: "554 5.7.1 relaying denied", .syntaxError: "500 5.5.1 syntax error",
            .network: "554 5.4.6 routing loop", .expired: "550 4.4.7 expired", .systemError: "554 5.3.0 system error",
            .mailerError: "550 5.3.0 delivery program failed", .greylisted: "450 4.7.1 greylisted",
            .onHold: "550 on hold", .other: "550 computer says no",
        ]
        for cause in FailureCause.allCases {
            guard let reply = replies[cause] else { return XCTFail("no reply for \(cause)") }
            XCTAssertEqual(FailureClassifier.cause(status: nil, text: reply), cause, reply)
        }
    }
}

/// Our own sending's errors and deferrals: a wrong relay password or a TLS failure is
/// never an address problem; `no_recipient` has no cause.
final class SMTPErrorCauseTests: XCTestCase {
    func testErrorKinds() {
        XCTAssertNil(FailureClassifier.smtpErrorCause(kind: "no_recipient", description: "The partner doesn't have a defined email"))
        XCTAssertEqual(FailureClassifier.smtpErrorCause(kind: "rcpt_refused", description: "550 5.1.1 <x@y>: User unknown"), .userUnknown)
        XCTAssertEqual(FailureClassifier.smtpErrorCause(kind: "rcpt_refused", description: "554 5.7.1 Relay access denied"), .noRelaying)
        XCTAssertEqual(FailureClassifier.smtpErrorCause(kind: "data_refused", description: "554 5.7.1 spam detected"), .spamContent)
        XCTAssertEqual(FailureClassifier.smtpErrorCause(kind: "too_large", description: "message of 9 bytes exceeds"), .tooLarge)
        XCTAssertEqual(FailureClassifier.smtpErrorCause(kind: "smtputf8_unsupported", description: nil), .contentError)
        XCTAssertEqual(
            FailureClassifier.smtpErrorCause(
                kind: "expired", description: "gave up after 9 attempts: 535 5.7.8 Authentication credentials invalid"),
            .auth)
        XCTAssertEqual(
            FailureClassifier.smtpErrorCause(kind: "expired", description: "gave up after 9 attempts: connection refused"),
            .expired)
        XCTAssertEqual(FailureClassifier.smtpErrorCause(kind: "sendmail_refused", description: "exit 78"), .mailerError)
    }

    func testDeferrals() {
        XCTAssertEqual(FailureClassifier.smtpDeferralCause(reply: "MAIL FROM: 553 5.1.8 Domain of sender address does not exist"), .senderRejected)
        XCTAssertEqual(FailureClassifier.smtpDeferralCause(reply: "535 5.7.8 Authentication credentials invalid"), .auth)
        XCTAssertEqual(FailureClassifier.smtpDeferralCause(reply: "TLS handshake failed: certificate verify failed"), .network)
        XCTAssertEqual(FailureClassifier.smtpDeferralCause(reply: "connect(descriptor:addr:size:): Connection refused (errno: 111)"), .network)
        XCTAssertEqual(FailureClassifier.smtpDeferralCause(reply: "450 4.2.1 mailbox busy"), .suspended)
    }
}
