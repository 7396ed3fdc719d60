import DeliverySignals
import Foundation
import EventIngest
import TestSupport
import TrackingModel
import XCTest

/// Which address a bounce is about, and what is not a failure at all.
final class DsnRecipientTests: XCTestCase {
    private func parse(_ text: String) throws -> [ParsedEvent] {
        try DsnParser.parse(IngestFixtures.mail(text), path: "r.eml", position: "1")
    }

    func testMessageIdListAddressOursAndProseAreNeverTheRecipient() throws {
        let events = try parse("""
            From: MAILER-DAEMON@mx.example.org
            To: bounce+t1@bounces.shop.example.com
            List-Post: <mailto:announce@lists.example.org>
            Subject: failure notice

            Hi. This is the qmail-send program at mx.example.org.
            Your message <20251125.abc@shop.example.com> sent by <orders@shop.example.com>
            through <announce@lists.example.org> could not be delivered.
            Please contact abuse@mx.example.org or owner-announce@lists.example.org for help.

            <20251125.abc@shop.example.com>
            <reader@example.net>:
            Sorry, no mailbox here by that name. (#5.1.1)

            --- Below this line is a copy of the message.

            From: orders@shop.example.com
            Message-ID: <20251125.abc@shop.example.com>
            """)
        XCTAssertEqual(events.map(\.recipient), ["reader@example.net"])
        XCTAssertEqual(events.first?.kind, .event(.hardBounce))
    }

    func testSeveralFailedRecipientsGiveOneEventEach() throws {
        let events = try parse("""
            From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
            Subject: Delivery Status Notification (Failure)
            X-Failed-Recipients: first@example.net, Second@Example.net

            Delivery to the following recipients failed permanently:

                 first@example.net
                 second@example.net

            Technical details of permanent failure:
            The error that the other server returned was:
            550 5.1.1 User unknown
            """)
        XCTAssertEqual(events.map(\.recipient), ["first@example.net", "second@example.net"])
        XCTAssertEqual(events.map(\.status), ["5.1.1", "5.1.1"], "one reason stated for a list of addresses")
        XCTAssertEqual(Set(events.map(\.key)).count, 2)
    }

    func testReportAddressesLoseExchangePrefixesAndPipesAreSkipped() throws {
        let events = try parse("""
            Content-Type: multipart/report; report-type=delivery-status; boundary=b

            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; ex.example.org

            Final-Recipient: rfc822;smtp=Kim@Ex.Example.org
            Action: failed
            Status: 5.1.1

            Final-Recipient: rfc822; |/usr/bin/procmail
            Original-Recipient: rfc822; desk@example.org
            Action: failed
            Status: 5.3.0
            Diagnostic-Code: x-unix; procmail: exit code 75
            --b--
            """)
        XCTAssertEqual(events.map(\.recipient), ["kim@ex.example.org", "desk@example.org"])
        XCTAssertEqual(events.map(\.finalRecipient), [nil, nil], "a pipe is no final address")
    }

    func testForwardKeepsOriginalRecipientAndFinalRecipientInTheDryRunJson() throws {
        let events = try parse("""
            Content-Type: multipart/report; report-type=delivery-status; boundary=b

            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; relay.example.org

            Final-Recipient: rfc822; anna.new@elsewhere.example
            Original-Recipient: rfc822; anna@example.org
            Action: failed
            Status: 5.1.1
            --b--
            """)
        let event = try XCTUnwrap(events.first)
        XCTAssertEqual(event.recipient, "anna@example.org")
        XCTAssertEqual(event.finalRecipient, "anna.new@elsewhere.example")
        XCTAssertTrue(DryRunJSON.line(for: event).contains(#""final_recipient":"anna.new@elsewhere.example""#))
    }

    func testDelayWarningsAreDeferralsNeverHardBounces() throws {
        let exim = try parse("""
            From: Mail Delivery System <Mailer-Daemon@mx2.example.com>
            Subject: Warning: message 1tS0aa-0001Bc-7Q delayed 24 hours

            A message that you sent has not yet been delivered to one or more of its
            recipients after more than 24 hours on the queue on mx2.example.com.

              slow@example.com
                Delay reason: SMTP error from remote mail server after RCPT TO:<slow@example.com>:
                550 5.7.1 Greylisted, please try again later

            No action is required on your part. This is just a warning.
            """)
        XCTAssertEqual(exim.map(\.kind), [.event(.deferral)], "a 550 quoted in a warning is still a deferral")
        let attempts = try parse("""
            From: postmaster@mail.example.net
            Subject: Delivery delayed: Quote

            Your message to late@example.net has not been delivered yet.
            The server will continue to attempt for 5 days.
            """)
        XCTAssertEqual(attempts.map(\.recipient), ["late@example.net"])
        XCTAssertEqual(attempts.map(\.kind), [.event(.deferral)])
    }

    func testBounceOfOurOwnBounceNotificationIsIgnored() throws {
        let events = try parse("""
            From: MAILER-DAEMON@mx.example.org
            Subject: Undelivered Mail Returned to Sender
            Content-Type: multipart/report; report-type=delivery-status; boundary=b

            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.org

            Final-Recipient: rfc822; someone@example.org
            Action: failed
            Status: 5.1.1
            --b
            Content-Type: message/rfc822

            From: MAILER-DAEMON@bounces.shop.example.com
            Subject: Undelivered Mail Returned to Sender
            To: someone@example.org

            Your message could not be delivered.
            --b--
            """)
        XCTAssertEqual(events.map(\.kind), [.ignored(.ownNotification)])
    }

    func testMailThatIsNoBounceIsIgnoredWithAReasonEvenWhenItMentionsFailure() throws {
        let events = try parse("""
            From: colleague@example.com
            Subject: Re: the delivery problem

            The parcel could not be delivered to the warehouse; please call jim@example.com.
            """)
        XCTAssertEqual(events.map(\.kind), [.ignored(.notABounce)])
        let person = try parse("""
            From: reader@example.net
            To: bounce+p1@bounces.shop.example.com
            Subject: Re: your newsletter

            Sorry, my mailbox is full this week. Please send it again later.
            """)
        XCTAssertEqual(person.map(\.kind), [.ignored(.notABounce)], "a person's words are no carrier notice")
    }

    func testOutOfOfficeReplyToABounceIsAnAutoReply() throws {
        let events = try parse("""
            From: anna@example.org
            To: bounce+p2@bounces.shop.example.com
            Auto-Submitted: auto-replied
            Subject: Automatic reply: Undeliverable: Invoice

            I am out of the office until Monday.
            """)
        XCTAssertEqual(events.map(\.kind), [.ignored(.autoReply)])
    }
}
