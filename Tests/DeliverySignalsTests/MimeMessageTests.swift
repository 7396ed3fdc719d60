import MailFormat
import TestSupport
import XCTest

final class MimeMessageTests: XCTestCase {
    func testHeadersUnfoldAndLookUpCaseInsensitively() {
        let mail = MimeMessage(bytes: IngestFixtures.mail("""
            Subject: a long
            \tsubject line
            x-tracking-id: abc
            Received: one
            Received: two

            body
            """, crlf: true))
        XCTAssertEqual(mail.headers["subject"], "a long subject line")
        XCTAssertEqual(mail.headers["X-Tracking-ID"], "abc")
        XCTAssertEqual(mail.headers.all("received"), ["one", "two"])
        XCTAssertEqual(mail.text, "body")
    }

    func testEncodedWordsInSeveralCharsets() {
        let cases: [(String, String)] = [
            ("=?utf-8?B?R3LDvMOfZQ==?=", "Grüße"),
            ("=?ISO-8859-1?Q?Abwesenheitsnotiz:_M=FCller?=", "Abwesenheitsnotiz: Müller"),
            ("=?iso-8859-15?Q?=A4uro?=", "€uro"),
            ("=?windows-1252?Q?=80_price?=", "€ price"),
            ("=?iso-2022-jp?B?GyRCJEEkYxsoQg==?=", "ちゃ"),
            ("=?shift_jis?B?grGC8YLJgr+CzQ==?=", "こんにちは"),
            ("=?gb2312?B?xOO6ww==?=", "你好"),
            ("=?utf-8?q?a?= =?utf-8?q?b?=", "ab"),
            ("Re: =?utf-8?Q?caf=C3=A9?= ok", "Re: café ok"),
            ("=?utf-8*en?Q?hi?=", "hi"),
        ]
        for (raw, expected) in cases {
            XCTAssertEqual(MimeEncodedWords.decode(raw), expected, raw)
        }
    }

    func testInvalidEncodedWordsStayRaw() {
        XCTAssertEqual(MimeEncodedWords.decode("=?x-unknown?Q?abc?="), "=?x-unknown?Q?abc?=")
        XCTAssertEqual(MimeEncodedWords.decode("=?utf-8?B?/w==?="), "=?utf-8?B?/w==?=", "0xFF is not UTF-8")
        XCTAssertEqual(MimeEncodedWords.decode("=?utf-8?X?abc?="), "=?utf-8?X?abc?=")
        XCTAssertEqual(MimeEncodedWords.decode("a =?utf-8?Q?unterminated"), "a =?utf-8?Q?unterminated")
    }

    func testQuotedPrintableSoftBreaksAndEscapes() {
        let decoded = MimeTransferDecoding.quotedPrintable(Array("caf=C3=A9 is a lo=\r\nng line   \r\nx=3D1 =ZZ end=".utf8))
        XCTAssertEqual(String(decoding: decoded, as: UTF8.self), "café is a long line\r\nx=1 =ZZ end")
    }

    func testBase64IgnoresLineBreaksAndMissingPadding() {
        XCTAssertEqual(String(decoding: MimeTransferDecoding.base64(Array("SGVs\r\nbG8g\nd29y bGQ".utf8)), as: UTF8.self), "Hello world")
        XCTAssertEqual(MimeTransferDecoding.base64(Array("!!!".utf8)), [])
    }

    func testNestedMultipartsWithEncodingsAndCharsets() {
        let mail = MimeMessage(bytes: IngestFixtures.mail("""
            Content-Type: multipart/mixed; boundary="outer"

            preamble text
            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            Gr=FC=DFe aus M=FCnchen, sehr lange Zei=
            le
            --inner
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: base64

            PHA+R3LDvMOfZTwvcD4=
            --inner--
            --outer
            Content-Type: message/rfc822

            Message-ID: <orig@example.com>
            Subject: =?utf-8?B?R3LDvMOfZQ==?=

            original body
            --outer--
            epilogue
            """, crlf: true))
        XCTAssertEqual(mail.contentType.mimeType, "multipart/mixed")
        XCTAssertEqual(mail.parts.count, 2)
        XCTAssertEqual(String(decoding: mail.preamble, as: UTF8.self), "preamble text")
        XCTAssertEqual(String(decoding: mail.epilogue, as: UTF8.self), "epilogue")
        let alternative = mail.parts[0]
        XCTAssertEqual(alternative.parts.count, 2)
        XCTAssertEqual(alternative.parts[0].text, "Grüße aus München, sehr lange Zeile")
        XCTAssertEqual(alternative.parts[1].text, "<p>Grüße</p>")
        let attached = try! XCTUnwrap(mail.parts[1].attached)
        XCTAssertEqual(attached.headers.decoded("Subject"), "Grüße")
        XCTAssertEqual(attached.headers["message-id"], "<orig@example.com>")
        XCTAssertEqual(attached.text, "original body")
        XCTAssertTrue(mail.allDefects.isEmpty, "\(mail.allDefects)")
        XCTAssertEqual(mail.allParts.count, 6)
    }

    func testMissingFinalBoundaryKeepsTheLastPart() {
        let mail = MimeMessage(bytes: IngestFixtures.mail("""
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            one
            --b
            Content-Type: text/plain

            two, cut off
            """))
        XCTAssertEqual(mail.parts.map(\.text), ["one", "two, cut off"])
        XCTAssertEqual(mail.defects, ["missing final boundary"])
    }

    func testMultipartWithoutBoundaryOrDelimiters() {
        let noParameter = MimeMessage(bytes: IngestFixtures.mail("Content-Type: multipart/mixed\n\nbody\n"))
        XCTAssertEqual(noParameter.defects, ["multipart without boundary"])
        let noDelimiter = MimeMessage(bytes: IngestFixtures.mail("Content-Type: multipart/mixed; boundary=zz\n\nbody\n"))
        XCTAssertEqual(noDelimiter.defects, ["no boundary found"])
        XCTAssertEqual(String(decoding: noDelimiter.preamble, as: UTF8.self), "body\n")
    }

    func testContentTypeParametersIncludingRfc2231() {
        let type = MimeContentType.parse(
            #"Text/Plain; charset="UTF-8"; name*0*=utf-8''%E2%82%AC; name*1=uro; title="a \"q\"; b""#)
        XCTAssertEqual(type.mimeType, "text/plain")
        XCTAssertEqual(type.parameters["charset"], "UTF-8")
        XCTAssertEqual(type.parameters["name"], "€uro")
        XCTAssertEqual(type.parameters["title"], #"a "q"; b"#)
        XCTAssertEqual(MimeContentType.parse(nil).mimeType, "text/plain")
        XCTAssertEqual(MimeContentType.parse("garbage").mimeType, "text/plain")
    }

    func testDeliveryStatusGroupsWithFoldingAndExtraBlankLines() {
        let body = "Reporting-MTA: dns; vm\r\n\r\n\r\nFinal-Recipient: rfc822; a@x\r\nDiagnostic-Code: smtp; 550 5.1.1\r\n    no such user\r\n\r\nnot a field\r\nFinal-Recipient: rfc822; b@x\r\n"
        let groups = MimeFieldGroups.parse(ArraySlice(Array(body.utf8)))
        XCTAssertEqual(groups.count, 3)
        XCTAssertEqual(groups[0]["reporting-mta"], "dns; vm")
        XCTAssertEqual(groups[1]["Diagnostic-Code"], "smtp; 550 5.1.1 no such user")
        XCTAssertEqual(groups[2]["Final-Recipient"], "rfc822; b@x")
    }

    func testRfc5322Dates() {
        XCTAssertEqual(MimeDate.parse("Wed, 25 Nov 2026 11:48:56 +0000 (UTC)"), 1_795_607_336)
        XCTAssertEqual(MimeDate.parse("25 Nov 2026 12:48:56 +0100"), 1_795_607_336)
        XCTAssertEqual(MimeDate.parse("Wed, 25 Nov 26 06:48 EST"), 1_795_607_280)
        XCTAssertNil(MimeDate.parse("yesterday"))
        XCTAssertNil(MimeDate.parse("Wed, 45 Foo 2026 99:00:00 +0000"))
    }

    func testMboxSplitsOnFromLinesAndUnquotes() {
        let mbox = IngestFixtures.mail("""
            From a@b Mon Nov 25 10:00:00 2026
            Subject: one

            >From the start
            >>From kept once
            From inside a paragraph is not a separator

            From c@d Mon Nov 25 10:00:01 2026
            Subject: two

            body two
            """)
        let entries = MimeMbox.split(mbox)
        XCTAssertEqual(entries.count, 2)
        let first = String(decoding: entries[0].bytes, as: UTF8.self)
        XCTAssertTrue(first.contains("\nFrom the start\n>From kept once\nFrom inside"), first)
        XCTAssertEqual(MimeMessage(bytes: entries[1].bytes).headers["Subject"], "two")
        XCTAssertGreaterThan(entries[1].offset, 0)
    }
}
