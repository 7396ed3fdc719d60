import MailFormat
import PixelServer
import XCTest

/// The SNS envelope: what is signed, in which order, and which URLs may be fetched.
final class SNSMessageTests: XCTestCase {
    private func parse(_ json: String) -> Result<SNSMessage, SNSMessage.ParseError> { SNSMessage.parse(Array(json.utf8)) }

    func testTheStringToSignFollowsSNSOrderWithSubjectOnlyWhenPresent() throws {
        let base = """
            "MessageId":"m1","TopicArn":"arn:aws:sns:eu-west-1:1:t","Message":"a\\nb","Timestamp":"2025-11-25T12:14:03.561Z",\
            "SignatureVersion":"2","Signature":"c2ln","SigningCertURL":"https://sns.eu-west-1.amazonaws.com/c.pem"
            """
        let withSubject = try parse(#"{"Type":"Notification","Subject":"S",\#(base)}"#).get()
        XCTAssertEqual(
            withSubject.stringToSign,
            "Message\na\nb\nMessageId\nm1\nSubject\nS\nTimestamp\n2025-11-25T12:14:03.561Z\nTopicArn\narn:aws:sns:eu-west-1:1:t\nType\nNotification\n"
        )
        XCTAssertEqual(withSubject.signatureVersion, .v2)
        XCTAssertEqual(try XCTUnwrap(withSubject.epochTimestamp), 1_764_072_843.561, accuracy: 0.001)
        let withoutSubject = try parse(#"{"Type":"Notification","Subject":null,\#(base)}"#).get()
        XCTAssertFalse(withoutSubject.stringToSign.contains("Subject"))

        let confirmation = try parse(
            #"{"Type":"SubscriptionConfirmation","Token":"tok","SubscribeURL":"https://sns.eu-west-1.amazonaws.com/?x","Subject":"ignored",\#(base)}"#
        ).get()
        XCTAssertEqual(
            confirmation.stringToSign,
            "Message\na\nb\nMessageId\nm1\nSubscribeURL\nhttps://sns.eu-west-1.amazonaws.com/?x\nTimestamp\n2025-11-25T12:14:03.561Z\nToken\ntok\nTopicArn\narn:aws:sns:eu-west-1:1:t\nType\nSubscriptionConfirmation\n"
        )
    }

    func testBodiesThatAreNotSNSMessagesAreParseErrors() {
        XCTAssertEqual(parse("[]"), .failure(.notJSONObject))
        XCTAssertEqual(parse("{\"Type\":\"Nope\"}"), .failure(.unknownType("Nope")))
        XCTAssertEqual(parse("{\"Type\":\"Notification\"}"), .failure(.missingField("MessageId")))
        XCTAssertEqual(
            parse(#"{"Type":"SubscriptionConfirmation","MessageId":"m","TopicArn":"t","Message":"x","Timestamp":"t","SignatureVersion":"1","Signature":"s","SigningCertURL":"u"}"#),
            .failure(.missingField("SubscribeURL")))
        XCTAssertEqual(
            parse(#"{"Type":"Notification","MessageId":7,"TopicArn":"t","Message":"x","Timestamp":"t","SignatureVersion":"1","Signature":"s","SigningCertURL":"u"}"#),
            .failure(.missingField("MessageId")))
    }

    func testOnlySNSHostsOverHTTPSPassTheHostRule() {
        for ok in [
            "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem",
            "https://SNS.EU-WEST-1.AMAZONAWS.COM/x.pem", "https://sns.cn-north-1.amazonaws.com.cn/x.pem",
            "https://sns.us-gov-west-1.amazonaws.com:443/x.pem",
        ] {
            XCTAssertNotNil(SNSHostRule.allowedURL(ok), ok)
        }
        for bad in [
            "http://sns.us-east-1.amazonaws.com/x.pem", "https://sns.evil.com/x.pem",
            "https://sns.us-east-1.amazonaws.com.evil.com/x.pem", "https://sns.us-east-1.amazonaws.com./x.pem",
            "https://evil.sns.us-east-1.amazonaws.com/x.pem", "https://sns.a.b.amazonaws.com/x.pem",
            "https://sns..amazonaws.com/x.pem", "https://user@sns.us-east-1.amazonaws.com/x.pem",
            "https://sns.us-east-1.amazonaws.com:8443/x.pem", "https://sns.us_east.amazonaws.com/x.pem",
            "ftp://sns.us-east-1.amazonaws.com/x.pem", "sns.us-east-1.amazonaws.com/x.pem", "", "https://",
            "https://sns.us-east-1.amazonaws.com\u{0}.evil.com/x.pem",
        ] {
            XCTAssertNil(SNSHostRule.allowedURL(bad), bad)
        }
    }
}
