import DeliverySignals
import TestSupport
import TrackingModel
import XCTest

/// Bounce mails that are not Postfix's: other MTAs, auto-replies, complaints, broken input.
final class DsnMailTests: XCTestCase {
    private func parse(_ text: String, crlf: Bool = false) throws -> [ParsedEvent] {
        try DsnParser.parse(IngestFixtures.mail(text, crlf: crlf), path: "test.eml", position: "7")
    }

    func testOldGmailPlainTextBounce() throws {
        let events = try parse("""
            Return-Path: <>
            To: bounce+tok123@bounces.shop.example.com
            From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
            Subject: Delivery Status Notification (Failure)
            X-Failed-Recipients: Nobody@Example.JP
            Date: Tue, 25 Nov 2014 10:00:00 +0000
            Content-Type: text/plain; charset=ISO-8859-1

            Delivery to the following recipient failed permanently:

                 nobody@example.jp

            Technical details of permanent failure:
            Google tried to deliver your message, but it was rejected by the server for the recipient domain example.jp.
            The error that the other server returned was: 550 5.1.1 <nobody@example.jp>... User Unknown

            ----- Original message -----

            Message-ID: <orig.1@shop.example.com>
            X-Chatter-Tracking-ID: trk-gmail-1
            Subject: hello
            """, crlf: true)
        XCTAssertEqual(events.count, 1)
        let event = try XCTUnwrap(events.first)
        XCTAssertEqual(event.kind, .event(.hardBounce))
        XCTAssertEqual(event.recipient, "nobody@example.jp")
        XCTAssertEqual(event.status, "5.1.1")
        XCTAssertEqual(event.cause, .userUnknown)
        XCTAssertEqual(event.tieBack.verpToken, "tok123")
        XCTAssertEqual(event.tieBack.messageId, "orig.1@shop.example.com")
        XCTAssertEqual(event.tieBack.trackingId, "trk-gmail-1")
        XCTAssertEqual(event.timestamp, 1_416_909_600)
        XCTAssertTrue(event.description?.contains("550 5.1.1") == true)
    }

    func testQmailFailureNotice() throws {
        let events = try parse("""
            From: MAILER-DAEMON@mail.example.org
            To: bounce+q42@bounces.shop.example.com
            Subject: failure notice

            Hi. This is the qmail-send program at mail.example.org.
            I'm afraid I wasn't able to deliver your message to the following addresses.
            This is a permanent error; I've given up. Sorry it didn't work out.

            <gone@example.org>:
            Sorry, no mailbox here by that name. (#5.1.1)

            --- Below this line is a copy of the message.

            Return-Path: <bounce+q42@bounces.shop.example.com>
            Message-ID: <q.1@shop.example.com>
            To: gone@example.org
            """)
        let event = try XCTUnwrap(events.first)
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(event.recipient, "gone@example.org")
        XCTAssertEqual(event.kind, .event(.hardBounce))
        XCTAssertEqual(event.status, "5.1.1")
        XCTAssertEqual(event.tieBack.verpToken, "q42")
        XCTAssertEqual(event.tieBack.messageId, "q.1@shop.example.com")
    }

    func testQmailProtocolErrorCode() throws {
        let event = try XCTUnwrap(try parse("""
            From: MAILER-DAEMON@mx.example.org
            Subject: failure notice

            Hi. This is the qmail-send program at mx.example.org.
            <x@example.org>:
            Connected to 192.0.2.1 but sender was rejected. (#5.5.0)
            """).first)
        XCTAssertEqual(event.status, "5.5.0")
        XCTAssertEqual(event.kind, .event(.softBounce), "the receiver refused our sender: not the address")
        XCTAssertEqual(event.cause, .senderRejected)
        XCTAssertEqual(event.recipient, "x@example.org")
    }

    func testExchangeUndeliverablePlainText() throws {
        let event = try XCTUnwrap(try parse("""
            From: postmaster@contoso.example
            To: bounce+ex9@bounces.shop.example.com
            Subject: Undeliverable: Invoice INV/2025/0042
            Content-Type: text/plain; charset="us-ascii"

            Delivery has failed to these recipients or groups:

            someone@contoso.example
            The e-mail address you entered couldn't be found.

            Diagnostic information for administrators:
            Generating server: EX01.contoso.example
            someone@contoso.example
            #550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
            """).first)
        XCTAssertEqual(event.recipient, "someone@contoso.example")
        XCTAssertEqual(event.status, "5.1.1")
        XCTAssertEqual(event.cause, .userUnknown)
        XCTAssertEqual(event.description, "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##")
    }

    func testGoogleWorkspaceEmptyDeliveryStatusUsesXFailedRecipients() throws {
        let events = try parse("""
            From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
            To: bounce+gw1@bounces.shop.example.com
            X-Failed-Recipients: missing@workspace.example
            Subject: Delivery Status Notification (Failure)
            Content-Type: multipart/report; report-type=delivery-status; boundary="r1"

            --r1
            Content-Type: multipart/related; boundary="rel"

            --rel
            Content-Type: multipart/alternative; boundary="alt"

            --alt
            Content-Type: text/plain; charset="UTF-8"

            ** Message not delivered **
            The response was: 550 5.1.1 The email account that you tried to reach does not exist.
            --alt
            Content-Type: text/html; charset="UTF-8"

            <p>Message not delivered</p>
            --alt--
            --rel--
            --r1
            Content-Type: message/delivery-status

            --r1
            Content-Type: message/rfc822

            Message-ID: <gw.1@shop.example.com>
            X-Chatter-Tracking-ID: trk-gw

            ----- Message truncated -----
            --r1--
            """, crlf: true)
        XCTAssertEqual(events.count, 1)
        let event = try XCTUnwrap(events.first)
        XCTAssertEqual(event.recipient, "missing@workspace.example")
        XCTAssertEqual(event.kind, .event(.hardBounce))
        XCTAssertEqual(event.status, "5.1.1")
        XCTAssertEqual(event.tieBack.trackingId, "trk-gw")
        XCTAssertEqual(event.tieBack.messageId, "gw.1@shop.example.com")
    }

    func testExchangeStyleReportWithoutSpaceAndDiagnosticFirst() throws {
        let events = try parse("""
            From: postmaster@outlook.example
            Subject: Undeliverable: hi
            Message-ID: <ndr.1@outlook.example>
            Content-Type: multipart/report; report-type=delivery-status; boundary=b

            --b
            Content-Type: text/plain

            Your message to a@outlook.example couldn't be delivered.
            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns;EX02.outlook.example

            Final-recipient: RFC822;A@outlook.example
            Action: failed
            Status: 5.1.10
            Diagnostic-code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup
            Remote-MTA: dns;mx.outlook.example
            X-Display-Name: A

            Final-recipient: RFC822;q@outlook.example
            Action: failed
            Status: 4.4.7
            Diagnostic-code: smtp;550 4.4.7 QUEUE.Expired; message expired
            --b--
            """)
        XCTAssertEqual(events.count, 2)
        XCTAssertEqual(events[0].recipient, "a@outlook.example")
        XCTAssertEqual(events[0].status, "5.1.10")
        XCTAssertEqual(events[0].kind, .event(.hardBounce))
        XCTAssertEqual(events[0].description, "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup")
        XCTAssertEqual(events[0].details.smtpServer, "mx.outlook.example")
        XCTAssertEqual(events[0].key, "ndr.1@outlook.example|a@outlook.example|failed")
        XCTAssertEqual(events[1].kind, .event(.softBounce), "4.4.7 expired: the enhanced code wins over 550")
        XCTAssertEqual(events[1].cause, .expired)
    }

    func testAutoRepliesAreIgnoredNotBounces() throws {
        let replies = [
            "From: anna@example.de\nAuto-Submitted: auto-replied\nSubject: Re: Invoice\n\nIch bin nicht da.\n",
            "From: bob@example.com\nX-Autoreply: yes\nSubject: Re: Invoice\n\nAway.\n",
            "From: carl@example.com\nPrecedence: auto_reply\nSubject: Invoice\n\nAway.\n",
            "From: dora@example.com\nSubject: Out of Office: Invoice\n\nAway until Monday.\n",
            "From: eve@example.com\nSubject: Automatic reply: Invoice\n\nAway.\n",
            "From: fritz@example.de\nSubject: =?iso-8859-1?Q?Abwesenheitsnotiz:_R=FCckmeldung?=\n\nUrlaub.\n",
        ]
        for text in replies {
            let events = try parse(text)
            XCTAssertEqual(events.map(\.kind), [.ignored(.autoReply)], text)
            XCTAssertEqual(events.first?.source.rawValue, "dsn")
        }
    }

    func testOrdinaryMailIsIgnoredAsNotABounce() throws {
        XCTAssertEqual(try parse("From: a@b.example\nSubject: hello\n\nhi\n").map(\.kind), [.ignored(.notABounce)])
    }

    func testArfAbuseIsSpamWithVerpTokenAndReturnedHeaders() throws {
        let events = try parse("""
            From: feedback@isp.example
            Message-ID: <fbl.9@isp.example>
            Content-Type: multipart/report; report-type=feedback-report; boundary="fbl-7c1d"

            --fbl-7c1d
            Content-Type: text/plain

            This is an abuse report.
            --fbl-7c1d
            Content-Type: message/feedback-report

            Feedback-Type: abuse
            User-Agent: ExampleISP-FBL/2.1
            Version: 1
            Original-Mail-From: <bounce+7f3c2a9e@bounces.shop.example.com>
            Arrival-Date: Tue, 25 Nov 2025 11:58:03 +0000
            Source-IP: 198.51.100.23
            Reported-Domain: shop.example.com

            --fbl-7c1d
            Content-Type: text/rfc822-headers

            Message-ID: <20251125.2@app.shop.example.com>
            X-Tracking-ID: 7f3c2a9e-41d5-4c1b-9a57-1d2e3f4a5b6c
            To: redacted@example.net
            --fbl-7c1d--
            """)
        let event = try XCTUnwrap(events.first)
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(event.source.rawValue, "arf")
        XCTAssertEqual(event.kind, .event(.spam))
        XCTAssertNil(event.recipient, "the complainer is redacted")
        XCTAssertEqual(event.tieBack.verpToken, "7f3c2a9e")
        XCTAssertEqual(event.tieBack.trackingId, "7f3c2a9e-41d5-4c1b-9a57-1d2e3f4a5b6c")
        XCTAssertEqual(event.tieBack.messageId, "20251125.2@app.shop.example.com")
        XCTAssertEqual(event.timestamp, 1_764_071_883)
        XCTAssertEqual(event.key, "fbl.9@isp.example|7f3c2a9e")
        XCTAssertEqual(event.details.errorType, "abuse")
    }

    func testArfNotSpamIsIgnoredAndRecipientComesFromOriginalRcptTo() throws {
        let events = try parse("""
            Content-Type: multipart/report; report-type=feedback-report; boundary=f

            --f
            Content-Type: message/feedback-report

            Feedback-Type: not-spam
            Original-Rcpt-To: <Reader@Example.net>
            --f--
            """)
        XCTAssertEqual(events.map(\.kind), [.ignored(.feedback(type: "not-spam"))])
        XCTAssertEqual(events.first?.recipient, "reader@example.net")
    }

    func testBrokenInputsAreQuarantinedNotCrashes() {
        let broken: [(String, String)] = [
            ("", "not a mail: no header fields"),
            ("\u{0}\u{1}\u{2} binary junk without any header\n", "not a mail: no header fields"),
            ("From: MAILER-DAEMON@x.example\nSubject: failure notice\n\nsomething went wrong\n", "bounce without a recipient"),
            (
                "Content-Type: multipart/report; report-type=feedback-report; boundary=f\n\n--f\nContent-Type: message/feedback-report\n\nVersion: 1\n--f--\n",
                "feedback report without Feedback-Type"
            ),
        ]
        for (text, reason) in broken {
            XCTAssertThrowsError(try parse(text), text) { error in
                let quarantined = error as? QuarantineItem
                XCTAssertEqual(quarantined?.reason, reason)
                XCTAssertEqual(quarantined?.position, "7")
                XCTAssertEqual(quarantined?.path, "test.eml")
            }
        }
    }

    func testMailWithoutMessageIdIsKeyedByItsBytes() throws {
        let text = """
            Content-Type: multipart/report; report-type=delivery-status; boundary=b

            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; x

            Final-Recipient: rfc822; a@b.example
            Action: delayed
            Status: 4.4.1
            --b--
            """
        let first = try XCTUnwrap(try parse(text).first)
        XCTAssertTrue(first.key.hasPrefix("sha:"))
        XCTAssertTrue(first.key.hasSuffix("|a@b.example|delayed"))
        XCTAssertEqual(first.kind, .event(.deferral))
        XCTAssertEqual(try parse(text).first?.key, first.key)
        XCTAssertNotEqual(try parse(text + "\n").first?.key, first.key)
    }

    func testOriginalRecipientWinsOverRewrittenFinalRecipient() throws {
        let events = try parse("""
            Message-ID: <r.1@mx.example>
            Content-Type: multipart/report; report-type=delivery-status; boundary=b

            --b
            Content-Type: message/delivery-status
            Content-Transfer-Encoding: base64

            \(Data("Reporting-MTA: dns; mx\r\n\r\nFinal-Recipient: rfc822; mailbox.42@store.example\r\nOriginal-Recipient: rfc822; Alias@Example.org\r\nAction: failed\r\nStatus: 5.2.2\r\nDiagnostic-Code: smtp; 552 5.2.2 quota exceeded\r\n".utf8).base64EncodedString())
            --b--
            """)
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?.recipient, "alias@example.org", "the address the app used")
        XCTAssertEqual(events.first?.kind, .event(.softBounce), "5.2.2 mailbox full is soft")
        XCTAssertEqual(events.first?.cause, .mailboxFull)
        XCTAssertEqual(events.first?.description, "552 5.2.2 quota exceeded")
    }

    func testHtmlOnlyBounceAndLocalisedSubject() throws {
        let event = try XCTUnwrap(try parse("""
            From: postmaster@exemple.fr
            Subject: Non remis : Facture
            X-Failed-Recipients: client@exemple.fr
            Content-Type: text/html; charset=utf-8

            <html><body><p>Remise &agrave; <b>client@exemple.fr</b> impossible.</p><p>550 5.1.1 utilisateur inconnu</p></body></html>
            """).first)
        XCTAssertEqual(event.recipient, "client@exemple.fr")
        XCTAssertEqual(event.status, "5.1.1")
        XCTAssertEqual(event.kind, .event(.hardBounce))
    }

    func testDelayedNonStandardNoticeIsADeferral() throws {
        let event = try XCTUnwrap(try parse("""
            From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
            Subject: Delivery Status Notification (Delay)
            X-Failed-Recipients: slow@example.net

            Delivery to the following recipient has been delayed:

                 slow@example.net

            Message will be retried for 2 more day(s)
            The error that the other server returned was: 451 4.4.1 timeout
            """).first)
        XCTAssertEqual(event.kind, .event(.deferral))
        XCTAssertEqual(event.status, "4.4.1")
        XCTAssertTrue(event.key.hasSuffix("|slow@example.net|delayed"))
    }

    func testVerpTokenFormats() {
        XCTAssertEqual(DsnAddress.verpToken("bounce+7f3c2a9e@bounces.example.com"), "7f3c2a9e")
        XCTAssertEqual(DsnAddress.verpToken("<catchall+12-mail.message-7@example.com>"), "12-mail.message-7")
        XCTAssertEqual(DsnAddress.verpToken("rfc822; bounce+AbC@x.example"), "AbC")
        XCTAssertNil(DsnAddress.verpToken("bounce@x.example"))
        XCTAssertNil(DsnAddress.verpToken("bounce+@x.example"))
        XCTAssertNil(DsnAddress.verpToken(nil))
    }
}
