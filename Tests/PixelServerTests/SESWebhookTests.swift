import DeliverySignals
import Foundation
import MailFormat
import PixelServer
import TrackingModel
import TrackingStore
import XCTest

/// `/webhooks/ses` over real HTTP, with SNS messages signed by `openssl` and a certificate
/// served by a stub fetcher (AWS is not reachable here) behind the real host rule: valid
/// notifications land their SES events; every alteration, foreign certificate URL, expired
/// certificate, wrong topic, stale timestamp, replay and unknown signature version is refused
/// and leaves the store as it was.
final class SESWebhookTests: XCTestCase {
    private static let topic = "arn:aws:sns:eu-west-1:123456789012:ses-events-prod"
    private static let certURL =
        "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem"
    private static let expiredCertURL = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-expired.pem"
    private static let subscribeURL =
        "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=\(topic)&Token=2336412f37fb687f5d51e6e2425"

    private static let keysDir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "chatter-sns-keys-\(UUID().uuidString)")
    /// One key pair and its certificates for the whole class (RSA key generation is slow-ish).
    private nonisolated(unsafe) static var sharedSigner: SNSTestSigner?

    private var dir: URL!
    private var signer: SNSTestSigner!

    override class func tearDown() { try? FileManager.default.removeItem(at: keysDir) }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-ses-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if Self.sharedSigner == nil { Self.sharedSigner = try SNSTestSigner(dir: Self.keysDir) }
        signer = try XCTUnwrap(Self.sharedSigner)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    // MARK: Messages

    private static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// An SES Bounce record as AWS documents it (Transient / MailboxFull), addressed to our row.
    private static func bounceRecord(_ trackingId: Int64) -> String {
        """
        {"eventType":"Bounce","bounce":{"bounceType":"Transient","bounceSubType":"MailboxFull","bouncedRecipients":[\
        {"emailAddress":"jane@x.org","action":"failed","status":"5.2.2","diagnosticCode":"smtp; 552 5.2.2 Mailbox full"}],\
        "timestamp":"2025-11-25T12:14:03.118Z","feedbackId":"0102019ab3c4d5e6-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-000000",\
        "reportingMTA":"dns; b224-13.smtp-out.eu-west-1.amazonses.com"},"mail":{"timestamp":"2025-11-25T12:13:58.402Z",\
        "source":"billing@shop.example.com","sendingAccountId":"123456789012",\
        "messageId":"0102019ab3c4c1f2-7d6e5f4a-3b2c-1d0e-9f8a-7b6c5d4e3f2a-000000","destination":["jane@x.org"],\
        "headersTruncated":false,"headers":[{"name":"Message-ID","value":"<20251125.3@app.shop.example.com>"},\
        {"name":"Subject","value":"Invoice INV/2025/0043"}],"commonHeaders":{"from":["billing@shop.example.com"],\
        "to":["jane@x.org"],"subject":"Invoice INV/2025/0043"},"tags":{"ses:configuration-set":["tracking"],\
        "tracking_id":["\(trackingId)"]}}}
        """
    }

    /// A Delivery record for our row.
    private static func deliveryRecord(_ trackingId: Int64) -> String {
        """
        {"eventType":"Delivery","mail":{"timestamp":"2025-11-25T12:13:58.402Z","source":"me@yourcompany.example",\
        "messageId":"0102019ab3c4c1f2-delivery-000000","destination":["jane@x.org"],"headersTruncated":false,\
        "headers":[],"tags":{"tracking_id":["\(trackingId)"]}},"delivery":{"timestamp":"2025-11-25T12:14:00.001Z",\
        "recipients":["jane@x.org"],"smtpResponse":"250 2.6.0 Message received","reportingMTA":"a8-70.smtp-out.amazonses.com"}}
        """
    }

    /// An unsigned Notification envelope around `record`.
    private static func notification(
        _ record: String, id: String = UUID().uuidString.lowercased(), at date: Date = Date(), topic: String = topic,
        certURL: String = certURL, subject: String? = "Amazon SES Email Event Notification"
    ) -> [String: String] {
        var fields = [
            "Type": "Notification", "MessageId": id, "TopicArn": topic, "Message": record, "Timestamp": iso(date),
            "SigningCertURL": certURL,
            "UnsubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=\(topic):0d1c2b3a",
        ]
        fields["Subject"] = subject
        return fields
    }

    /// An unsigned SubscriptionConfirmation envelope.
    private static func confirmation(subscribeURL: String = subscribeURL, type: String = "SubscriptionConfirmation")
        -> [String: String]
    {
        [
            "Type": type, "MessageId": UUID().uuidString.lowercased(), "TopicArn": topic, "Token": "2336412f37fb687f5d51e6e2425",
            "Message": "You have chosen to subscribe to the topic \(topic).\nTo confirm the subscription, visit the SubscribeURL included in this message.",
            "SubscribeURL": subscribeURL, "Timestamp": iso(Date()), "SigningCertURL": certURL,
        ]
    }

    /// Flips the lowest bit of the character at `index` (from the end when negative).
    private static func flip(_ s: String, at index: Int) -> String {
        var bytes = Array(s.utf8)
        let i = index < 0 ? bytes.count + index : index
        bytes[i] ^= 1
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func headers(_ fields: [String: String]) -> [String] {
        [
            "Content-Type: text/plain; charset=UTF-8", "x-amz-sns-message-type: \(fields["Type"] ?? "")",
            "x-amz-sns-message-id: \(fields["MessageId"] ?? "")", "x-amz-sns-topic-arn: \(fields["TopicArn"] ?? "")",
        ]
    }

    private func events(_ store: TrackingStore, _ id: Int64, _ type: EventType) throws -> Int {
        try store.events(EventFilter(trackingId: id, type: type)).rows.count
    }

    private func options(_ fetcher: StubSNSFetcher, autoConfirm: Bool = false, maxBodyBytes: Int = 1 << 20)
        -> WebhookOptions
    {
        WebhookOptions(
            sesTopicArns: [Self.topic, "arn:aws:sns:us-east-1:123456789012:other"], sesAutoConfirm: autoConfirm,
            snsFetcher: fetcher, maxBodyBytes: maxBodyBytes)
    }

    // MARK: Tests

    func testSignedNotificationsWithSHA1AndSHA256LandTheirSESEvents() async throws {
        let (store, id) = try WebhookFixture.sentRow(in: dir)
        let fetcher = StubSNSFetcher(fallback: nil)
        fetcher.serve(signer.certificate, at: Self.certURL)
        let counters = PixelCounters()
        let (port, task) = try await WebhookFixture.serve(store, options(fetcher), counters: counters)
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)

        let delivery = try signer.signed(Self.notification(Self.deliveryRecord(id)), version: "1")
        let r1 = try probe.post("/webhooks/ses", headers: Self.headers(delivery), body: SNSTestSigner.body(delivery))
        XCTAssertEqual(r1.status, 200)
        XCTAssertEqual(try events(store, id, .delivered), 1)
        XCTAssertEqual(try store.tracking(id: id).state, .delivered)

        // No Subject (then it is not in the signed text), SHA-256, no x-amz-sns-* headers.
        let bounce = try signer.signed(Self.notification(Self.bounceRecord(id), subject: nil), version: "2")
        let r2 = try probe.post("/webhooks/ses", body: SNSTestSigner.body(bounce))
        XCTAssertEqual(r2.status, 200)
        XCTAssertEqual(try events(store, id, .softBounce), 1)

        // SES's own test notification when the topic is set up: accepted, nothing recorded.
        let before = try WebhookFixture.footprint(store)
        let hello = try signer.signed(
            Self.notification(#"{"notificationType":"AmazonSnsSubscriptionSucceeded","message":"You have successfully subscribed"}"#),
            version: "2")
        XCTAssertEqual(try probe.post("/webhooks/ses", body: SNSTestSigner.body(hello)).status, 200)
        XCTAssertEqual(try WebhookFixture.footprint(store), before)

        XCTAssertEqual(counters["webhook.ses.accepted"], 3)
        XCTAssertEqual(fetcher.requested, [Self.certURL], "the certificate is fetched once, then cached")
    }

    func testEveryAlteredForeignStaleReplayedOrUnknownMessageIsRefusedAndStoresNothing() async throws {
        let (store, id) = try WebhookFixture.sentRow(in: dir)
        // The stub would hand out the good certificate for ANY URL: only the host rule keeps
        // foreign URLs out, and `requested` shows they never reached the network layer.
        let fetcher = StubSNSFetcher(fallback: signer.certificate)
        fetcher.serve(signer.expiredCertificate, at: Self.expiredCertURL)
        let counters = PixelCounters()
        let (port, task) = try await WebhookFixture.serve(store, options(fetcher), counters: counters)
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)
        let record = Self.deliveryRecord(id)
        let good = try signer.signed(Self.notification(record), version: "2")
        func altered(_ name: String, _ change: (String) -> String) -> [String: String] {
            var fields = good
            fields[name] = change(fields[name] ?? "")
            return fields
        }
        let foreignURLs = [
            "https://sns.evil.com/SimpleNotificationService-1.pem",
            "http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-1.pem",
            "https://sns.us-east-1.amazonaws.com.evil.com/SimpleNotificationService-1.pem",
            "https://sns.eu-west-1.amazonaws.com@evil.com/SimpleNotificationService-1.pem",
            "https://sns.eu-west-1.amazonaws.com:8443/SimpleNotificationService-1.pem",
            "https://evil.com/sns.eu-west-1.amazonaws.com/x.pem", "https://sqs.eu-west-1.amazonaws.com/x.pem",
            "file:///etc/passwd",
        ]
        var refusals: [(String, [String: String], Int)] = [
            ("Message bit", altered("Message") { Self.flip($0, at: 30) }, 403),
            ("Message end bit", altered("Message") { Self.flip($0, at: -3) }, 403),
            ("Timestamp bit", altered("Timestamp") { Self.flip($0, at: -6) }, 403),
            ("MessageId bit", altered("MessageId") { Self.flip($0, at: 2) }, 403),
            ("Subject dropped", altered("Subject") { _ in "" }.filter { $0.key != "Subject" }, 403),
            ("Signature bit", altered("Signature") { Self.flip($0, at: 40) }, 403),
            ("Signature not base64", altered("Signature") { "!" + $0.dropFirst() }, 403),
            ("SHA-1 claimed for a SHA-256 signature", altered("SignatureVersion") { _ in "1" }, 403),
            ("unknown SignatureVersion", altered("SignatureVersion") { _ in "3" }, 403),
            ("wrong key", try signer.signed(Self.notification(record), version: "2", otherKey: true), 403),
            ("expired certificate", try signer.signed(Self.notification(record, certURL: Self.expiredCertURL), version: "2"), 403),
            ("foreign topic", try signer.signed(
                Self.notification(record, topic: "arn:aws:sns:eu-west-1:999999999999:ses-events-prod"), version: "2"), 403),
            ("stale", try signer.signed(Self.notification(record, at: Date().addingTimeInterval(-301)), version: "2"), 406),
            ("future", try signer.signed(Self.notification(record, at: Date().addingTimeInterval(400)), version: "2"), 406),
            ("no Type", good.filter { $0.key != "Type" }, 400),
            ("no Signature", good.filter { $0.key != "Signature" }, 400),
        ]
        for url in foreignURLs {
            refusals.append(("cert URL \(url)", try signer.signed(Self.notification(record, certURL: url), version: "2"), 403))
        }
        let before = try WebhookFixture.footprint(store)
        for (name, fields, status) in refusals {
            let r = try probe.post("/webhooks/ses", headers: Self.headers(fields), body: SNSTestSigner.body(fields))
            XCTAssertEqual(r.status, status, name)
            XCTAssertEqual(try WebhookFixture.footprint(store), before, name)
        }
        // Headers that disagree with the signed body.
        for header in [
            "x-amz-sns-topic-arn: arn:aws:sns:us-east-1:123456789012:other", "x-amz-sns-message-type: SubscriptionConfirmation",
            "x-amz-sns-message-id: 00000000-0000-0000-0000-000000000000",
        ] {
            let r = try probe.post("/webhooks/ses", headers: [header], body: SNSTestSigner.body(good))
            XCTAssertEqual(r.status, 400, header)
        }
        XCTAssertEqual(try WebhookFixture.footprint(store), before)
        XCTAssertEqual(Set(fetcher.requested), [Self.certURL, Self.expiredCertURL], "no foreign URL was fetched")
        XCTAssertEqual(counters["webhook.ses.badCertificate"], foreignURLs.count + 1)
        XCTAssertEqual(counters["webhook.ses.foreignTopic"], 1)

        // The untouched message is accepted once; the same MessageId again is a replay.
        let accepted = try probe.post("/webhooks/ses", headers: Self.headers(good), body: SNSTestSigner.body(good))
        XCTAssertEqual(accepted.status, 200)
        XCTAssertEqual(try events(store, id, .delivered), 1)
        let after = try WebhookFixture.footprint(store)
        let resigned = try signer.signed(
            Self.notification(Self.bounceRecord(id), id: good["MessageId"] ?? ""), version: "1")
        for (name, fields) in [("same message", good), ("same MessageId, other record", resigned)] {
            let r = try probe.post("/webhooks/ses", headers: Self.headers(fields), body: SNSTestSigner.body(fields))
            XCTAssertEqual(r.status, 406, name)
            XCTAssertEqual(try WebhookFixture.footprint(store), after, name)
        }
    }

    func testASubscriptionIsConfirmedOnlyWhenAutoConfirmIsOnAndItsURLIsAnSNSHost() async throws {
        let (store, _) = try WebhookFixture.sentRow(in: dir)
        let fetcher = StubSNSFetcher(fallback: nil)
        fetcher.serve(signer.certificate, at: Self.certURL)
        fetcher.serve(Array("<ConfirmSubscriptionResponse/>".utf8), at: Self.subscribeURL)
        let counters = PixelCounters()
        let (port, task) = try await WebhookFixture.serve(store, options(fetcher, autoConfirm: true), counters: counters)
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)
        let before = try WebhookFixture.footprint(store)

        let tampered = try signer.signed(Self.confirmation(), version: "1")
        for name in ["Token", "SubscribeURL"] {
            var fields = tampered
            fields[name] = Self.flip(fields[name] ?? "", at: -2)
            XCTAssertEqual(try probe.post("/webhooks/ses", body: SNSTestSigner.body(fields)).status, 403, name)
        }
        XCTAssertEqual(fetcher.requested, [Self.certURL], "nothing confirmed for an altered message")

        let valid = try signer.signed(Self.confirmation(), version: "1")
        XCTAssertEqual(try probe.post("/webhooks/ses", headers: Self.headers(valid), body: SNSTestSigner.body(valid)).status, 200)
        XCTAssertEqual(fetcher.requested, [Self.certURL, Self.subscribeURL])
        XCTAssertEqual(counters["webhook.ses.subscriptionConfirmed"], 1)

        // A signed confirmation whose SubscribeURL is not an SNS host is never visited.
        let foreign = try signer.signed(Self.confirmation(subscribeURL: "https://evil.com/?Action=ConfirmSubscription"), version: "2")
        XCTAssertEqual(try probe.post("/webhooks/ses", body: SNSTestSigner.body(foreign)).status, 502)
        // An UnsubscribeConfirmation's URL would subscribe again: only noticed.
        let unsubscribed = try signer.signed(Self.confirmation(type: "UnsubscribeConfirmation"), version: "2")
        XCTAssertEqual(try probe.post("/webhooks/ses", body: SNSTestSigner.body(unsubscribed)).status, 200)
        XCTAssertEqual(counters["webhook.ses.unsubscribeNoticed"], 1)
        XCTAssertEqual(fetcher.requested, [Self.certURL, Self.subscribeURL])
        XCTAssertEqual(try WebhookFixture.footprint(store), before, "subscription messages leave no event")
    }

    func testWithoutAutoConfirmTheSubscriptionIsLeftToTheOperator() async throws {
        let (store, _) = try WebhookFixture.sentRow(in: dir)
        let fetcher = StubSNSFetcher(fallback: nil)
        fetcher.serve(signer.certificate, at: Self.certURL)
        let counters = PixelCounters()
        let (port, task) = try await WebhookFixture.serve(store, options(fetcher), counters: counters)
        defer { task.cancel() }
        let valid = try signer.signed(Self.confirmation(), version: "2")
        XCTAssertEqual(try HTTPProbe(port: port).post("/webhooks/ses", body: SNSTestSigner.body(valid)).status, 200)
        XCTAssertEqual(counters["webhook.ses.subscriptionPending"], 1)
        XCTAssertEqual(fetcher.requested, [Self.certURL])
    }

    func testUnconfiguredUnreachableAndOversizedAreRefusedWithoutAStoreRow() async throws {
        let (store, id) = try WebhookFixture.sentRow(in: dir)
        let fetcher = StubSNSFetcher(fallback: nil)
        let before = try WebhookFixture.footprint(store)
        let message = try signer.signed(Self.notification(Self.deliveryRecord(id)), version: "2")

        let (port, task) = try await WebhookFixture.serve(store, options(fetcher, maxBodyBytes: 8192))
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)
        // The certificate cannot be had (the stub answers 404): 502, so SNS retries later.
        XCTAssertEqual(try probe.post("/webhooks/ses", body: SNSTestSigner.body(message)).status, 502)
        XCTAssertEqual(try probe.post("/webhooks/ses", body: [UInt8](repeating: 0x20, count: 9000)).status, 413)
        XCTAssertEqual(try probe.post("/webhooks/ses", body: Array("not json".utf8)).status, 400)

        let (otherPort, other) = try await WebhookFixture.serve(store, WebhookOptions(snsFetcher: fetcher))
        defer { other.cancel() }
        XCTAssertEqual(try HTTPProbe(port: otherPort).post("/webhooks/ses", body: SNSTestSigner.body(message)).status, 404)
        XCTAssertEqual(try WebhookFixture.footprint(store), before)
        XCTAssertEqual(fetcher.requested, [Self.certURL])

        // Once the certificate is reachable, the same (still fresh) message is accepted.
        fetcher.serve(signer.certificate, at: Self.certURL)
        XCTAssertEqual(try probe.post("/webhooks/ses", body: SNSTestSigner.body(message)).status, 200)
        XCTAssertEqual(try events(store, id, .delivered), 1)
    }
}
