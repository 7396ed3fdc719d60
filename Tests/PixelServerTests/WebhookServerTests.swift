import Crypto
import DeliverySignals
import Foundation
import PixelServer
import TrackingModel
import TrackingStore
import XCTest

/// `chatter serve`'s provider webhooks over real HTTP: a valid request lands its event on
/// the right row; every tampered, stale, replayed or wrongly keyed one is refused and
/// leaves the store as it was.
final class WebhookServerTests: XCTestCase {
    private var dir: URL!
    private let mailgunKey = "mg-test-signing-key"

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-webhook-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func sentRow() throws -> (TrackingStore, Int64) { try WebhookFixture.sentRow(in: dir) }

    private func serve(_ store: TrackingStore, _ webhooks: WebhookOptions) async throws -> (Int, Task<Void, any Error>) {
        try await WebhookFixture.serve(store, webhooks)
    }

    private func footprint(_ store: TrackingStore) throws -> [Int] { try WebhookFixture.footprint(store) }

    private func delivered(_ store: TrackingStore, _ id: Int64) throws -> Int {
        try store.events(EventFilter(trackingId: id, type: .delivered)).rows.count
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// Flips the lowest bit of the character at `index` (kept printable for hex and base64 text).
    private static func flip(_ s: String, at index: Int) -> String {
        var bytes = Array(s.utf8)
        bytes[index] ^= 1
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Mailgun

    func testMailgunSignatureMatchesTheSourcesVector() {
        let token = "a8c1f0e2b6d94c1e9f3a7b2d5e8c0f41a6b9d3e7c2f5a8b1d4"
        let signature = "5f95cb8c3aa458c2024160219d91570c65edc52686557c04af236d10dd8e99bb"
        XCTAssertTrue(
            WebhookSignatures.mailgunIsValid(
                timestamp: "1764071351", token: token, signatureHex: signature, key: "whsec-demo-key-not-real"))
        XCTAssertTrue(
            WebhookSignatures.mailgunIsValid(
                timestamp: "1764071351", token: token, signatureHex: signature.uppercased(), key: "whsec-demo-key-not-real"))
        XCTAssertFalse(
            WebhookSignatures.mailgunIsValid(
                timestamp: "1764071351", token: token, signatureHex: signature, key: "whsec-demo-key-not-reaL"))
        XCTAssertFalse(
            WebhookSignatures.mailgunIsValid(
                timestamp: "1764071352", token: token, signatureHex: signature, key: "whsec-demo-key-not-real"))
        XCTAssertFalse(
            WebhookSignatures.mailgunIsValid(
                timestamp: "1764071351", token: token, signatureHex: Self.flip(signature, at: 63),
                key: "whsec-demo-key-not-real"))
        XCTAssertFalse(
            WebhookSignatures.mailgunIsValid(
                timestamp: "1764071351", token: token, signatureHex: String(signature.dropLast(2)),
                key: "whsec-demo-key-not-real"))
        XCTAssertFalse(
            WebhookSignatures.mailgunIsValid(
                timestamp: "1764071351", token: token, signatureHex: "zz" + signature.dropFirst(2),
                key: "whsec-demo-key-not-real"))
    }

    /// A Mailgun webhook body for a `delivered` event on `trackingId`, signed with `key`
    /// unless `signature` is given.
    private func mailgunBody(
        trackingId: Int64, timestamp: String, token: String, key: String, signature: String? = nil, eventId: String = "ev1"
    ) -> [UInt8] {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Array((timestamp + token).utf8), using: SymmetricKey(data: Array(key.utf8)))
        let body: [String: Any] = [
            "signature": ["timestamp": timestamp, "token": token, "signature": signature ?? Self.hex(mac)],
            "event-data": [
                "id": eventId, "event": "delivered", "timestamp": 1_764_071_350.5, "recipient": "jane@x.org",
                "message": ["headers": ["message-id": "m1@x.org"]], "user-variables": ["tracking_id": "\(trackingId)"],
            ],
        ]
        return Array((try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data())
    }

    func testMailgunAcceptsASignedEventAndRefusesTamperedStaleReplayedAndWronglyKeyedOnes() async throws {
        let (store, id) = try sentRow()
        let (port, task) = try await serve(store, WebhookOptions(mailgunSigningKey: mailgunKey))
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)
        let now = String(Int(Date().timeIntervalSince1970))
        let token = "tok-" + UUID().uuidString
        let path = "/webhooks/mailgun"

        let refusals: [(String, [UInt8], Int)] = [
            ("token bit", mailgunBody(trackingId: id, timestamp: now, token: token, key: mailgunKey).replacing(
                Array(token.utf8), with: Array(Self.flip(token, at: 6).utf8)), 403),
            ("timestamp bit", mailgunBody(trackingId: id, timestamp: now, token: token, key: mailgunKey).replacing(
                Array("\"\(now)\"".utf8), with: Array("\"\(Self.flip(now, at: now.count - 1))\"".utf8)), 403),
            ("signature bit", {
                let good = HMAC<SHA256>.authenticationCode(
                    for: Array((now + token).utf8), using: SymmetricKey(data: Array(mailgunKey.utf8)))
                return mailgunBody(
                    trackingId: id, timestamp: now, token: token, key: mailgunKey,
                    signature: Self.flip(Self.hex(good), at: 10))
            }(), 403),
            ("wrong key", mailgunBody(trackingId: id, timestamp: now, token: token, key: mailgunKey + "x"), 403),
            ("stale", mailgunBody(
                trackingId: id, timestamp: String(Int(Date().timeIntervalSince1970) - 301), token: token + "s",
                key: mailgunKey), 406),
            ("future", mailgunBody(
                trackingId: id, timestamp: String(Int(Date().timeIntervalSince1970) + 400), token: token + "f",
                key: mailgunKey), 406),
            ("no signature", Array(#"{"event-data":{"event":"delivered"}}"#.utf8), 403),
            ("not JSON", Array("signature=1&token=2".utf8), 400),
        ]
        let before = try footprint(store)
        for (name, body, status) in refusals {
            let r = try probe.post(path, headers: ["Content-Type: application/json"], body: body)
            XCTAssertEqual(r.status, status, name)
            XCTAssertEqual(try footprint(store), before, name)
        }

        let valid = mailgunBody(trackingId: id, timestamp: now, token: token, key: mailgunKey)
        let accepted = try probe.post(path, headers: ["Content-Type: application/json"], body: valid)
        XCTAssertEqual(accepted.status, 200)
        XCTAssertEqual(try delivered(store, id), 1)
        XCTAssertEqual(try store.tracking(id: id).state, .delivered)
        let afterValid = try footprint(store)
        XCTAssertEqual(afterValid[0], before[0] + 1)

        // The same token again, even with other event data: a replay.
        for body in [valid, mailgunBody(trackingId: id, timestamp: now, token: token, key: mailgunKey, eventId: "ev2")] {
            let replay = try probe.post(path, headers: ["Content-Type: application/json"], body: body)
            XCTAssertEqual(replay.status, 406)
            XCTAssertEqual(try footprint(store), afterValid)
        }
    }

    func testMailgunTokenSignedAheadIsRefusedOnReplayAfterTheWindowFromArrival() async throws {
        // The server's clock is driven by the test: a request signed 50 s ahead (within the
        // future allowance) arrives at T; replayed with other event data at T + 301, when the
        // window counted from arrival has passed but its signature is still fresh, it must be
        // refused as a replay.
        let (store, id) = try sentRow()
        let clock = ManualClock(1_764_000_000)
        let (port, task) = try await serve(
            store, WebhookOptions(mailgunSigningKey: mailgunKey, replayWindow: 300, clock: { clock.now }))
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)
        let path = "/webhooks/mailgun"
        let ahead = String(Int(clock.now) + 50)
        let token = "tok-" + UUID().uuidString
        let first = try probe.post(
            path, headers: ["Content-Type: application/json"],
            body: mailgunBody(trackingId: id, timestamp: ahead, token: token, key: mailgunKey))
        XCTAssertEqual(first.status, 200)
        let after = try footprint(store)

        clock.now += 301
        let replay = try probe.post(
            path, headers: ["Content-Type: application/json"],
            body: mailgunBody(trackingId: id, timestamp: ahead, token: token, key: mailgunKey, eventId: "ev2"))
        XCTAssertEqual(replay.status, 406, String(decoding: replay.body, as: UTF8.self))
        XCTAssertEqual(try footprint(store), after)

        // Past signed time + window the signature itself is stale: still refused.
        clock.now = 1_764_000_000 + 50 + 301
        let late = try probe.post(
            path, headers: ["Content-Type: application/json"],
            body: mailgunBody(trackingId: id, timestamp: ahead, token: token, key: mailgunKey, eventId: "ev3"))
        XCTAssertEqual(late.status, 406)

        // The future allowance is much smaller than the window: 120 s ahead is refused.
        let far = try probe.post(
            path, headers: ["Content-Type: application/json"],
            body: mailgunBody(
                trackingId: id, timestamp: String(Int(clock.now) + 120), token: token + "-far", key: mailgunKey))
        XCTAssertEqual(far.status, 406)
        XCTAssertEqual(try footprint(store), after)
    }

    func testReplayGuardRemembersANonceUntilItsSignedTimePlusTheWindow() {
        let guardian = ReplayGuard(window: 300)
        XCTAssertTrue(guardian.claim("a", now: 1000, signedAt: 1060))
        XCTAssertFalse(guardian.claim("a", now: 1301, signedAt: 1060), "remembered until 1360, not 1300")
        XCTAssertFalse(guardian.claim("a", now: 1359))
        XCTAssertTrue(guardian.claim("a", now: 1361))
        XCTAssertTrue(guardian.claim("b", now: 1000, signedAt: 900))
        XCTAssertFalse(guardian.claim("b", now: 1299))
        XCTAssertTrue(guardian.claim("b", now: 1301), "an older signature: remembered from arrival")
        XCTAssertFalse(WebhookSignatures.isFresh(1000 + 61, now: 1000, window: 300, futureSkew: 60))
        XCTAssertTrue(WebhookSignatures.isFresh(1000 + 60, now: 1000, window: 300, futureSkew: 60))
        XCTAssertTrue(WebhookSignatures.isFresh(1000 - 300, now: 1000, window: 300, futureSkew: 60))
        XCTAssertFalse(WebhookSignatures.isFresh(1000 - 301, now: 1000, window: 300, futureSkew: 60))
        XCTAssertNil(WebhookSignatures.freshTime("nan", now: 1000, window: 300, futureSkew: 60))
    }

    // MARK: Postmark

    private func postmarkBody(_ trackingId: Int64) -> [UInt8] {
        Array(
            """
            {"RecordType":"Delivery","MessageID":"pm-1","Recipient":"jane@x.org","DeliveredAt":"2026-11-25T10:00:00Z",
             "Details":"smtp;250 ok","Metadata":{"tracking_id":"\(trackingId)"}}
            """.utf8)
    }

    private static func basic(_ user: String, _ password: String) -> String {
        "Authorization: Basic " + Data((user + ":" + password).utf8).base64EncodedString()
    }

    func testPostmarkAcceptsTheRightBasicAuthAndRefusesAnyOther() async throws {
        let (store, id) = try sentRow()
        let (port, task) = try await serve(store, WebhookOptions(postmarkUser: "pm", postmarkPassword: "s3cret"))
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)
        let good = Self.basic("pm", "s3cret")
        let before = try footprint(store)
        for (name, headers) in [
            ("none", [String]()), ("wrong password", [Self.basic("pm", "s3creT")]), ("wrong user", [Self.basic("pM", "s3cret")]),
            ("flipped bit", [Self.flip(good, at: good.count - 3)]), ("bearer", ["Authorization: Bearer s3cret"]),
        ] {
            let r = try probe.post("/webhooks/postmark", headers: headers, body: postmarkBody(id))
            XCTAssertEqual(r.status, 401, name)
            XCTAssertTrue(r.headers.contains { $0.lowercased().hasPrefix("www-authenticate: basic") }, name)
            XCTAssertEqual(try footprint(store), before, name)
        }
        let accepted = try probe.post("/webhooks/postmark", headers: [good], body: postmarkBody(id))
        XCTAssertEqual(accepted.status, 200)
        XCTAssertEqual(try delivered(store, id), 1)
        // A provider retry is a duplicate: still 200, nothing new.
        let again = try probe.post("/webhooks/postmark", headers: [good], body: postmarkBody(id))
        XCTAssertEqual(again.status, 200)
        XCTAssertEqual(try delivered(store, id), 1)
        // Authenticated garbage is quarantined and answered 400.
        let garbage = try probe.post("/webhooks/postmark", headers: [good], body: Array("{not json".utf8))
        XCTAssertEqual(garbage.status, 400)
        XCTAssertEqual(try store.ingestCounts().quarantined, before[2] + 1)
    }

    // MARK: SendGrid

    private func sendgridBody(_ trackingId: Int64, eventId: String = "sg-ev-1") -> [UInt8] {
        Array(
            """
            [{"email":"jane@x.org","timestamp":1764071350,"event":"delivered","sg_event_id":"\(eventId)",
              "sg_message_id":"sgm1.filter","tracking_id":"\(trackingId)","response":"250 ok"}]
            """.utf8)
    }

    private static func signed(_ key: P256.Signing.PrivateKey, _ timestamp: String, _ body: [UInt8]) throws -> String {
        try key.signature(for: Data(timestamp.utf8) + body).derRepresentation.base64EncodedString()
    }

    private static func sendgridHeaders(_ signature: String, _ timestamp: String) -> [String] {
        [
            "X-Twilio-Email-Event-Webhook-Signature: \(signature)", "X-Twilio-Email-Event-Webhook-Timestamp: \(timestamp)",
            "Content-Type: application/json",
        ]
    }

    func testSendGridAcceptsAValidECDSASignatureAndRefusesEveryAlteration() async throws {
        let (store, id) = try sentRow()
        let key = P256.Signing.PrivateKey()
        let (port, task) = try await serve(
            store, WebhookOptions(sendgridVerificationKey: key.publicKey.derRepresentation.base64EncodedString()))
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)
        let now = String(Int(Date().timeIntervalSince1970))
        let body = sendgridBody(id)
        let signature = try Self.signed(key, now, body)
        var flippedBody = body
        flippedBody[20] ^= 1
        let stale = String(Int(Date().timeIntervalSince1970) - 301)
        let refusals: [(String, [String], [UInt8], Int)] = [
            ("body bit", Self.sendgridHeaders(signature, now), flippedBody, 403),
            ("timestamp bit", Self.sendgridHeaders(signature, Self.flip(now, at: now.count - 1)), body, 403),
            ("signature bit", Self.sendgridHeaders(Self.flip(signature, at: 20), now), body, 403),
            ("wrong key", Self.sendgridHeaders(try Self.signed(P256.Signing.PrivateKey(), now, body), now), body, 403),
            ("stale", Self.sendgridHeaders(try Self.signed(key, stale, body), stale), body, 406),
            ("no headers", ["Content-Type: application/json"], body, 403),
        ]
        let before = try footprint(store)
        for (name, headers, body, status) in refusals {
            let r = try probe.post("/webhooks/sendgrid", headers: headers, body: body)
            XCTAssertEqual(r.status, status, name)
            XCTAssertEqual(try footprint(store), before, name)
        }
        let accepted = try probe.post("/webhooks/sendgrid", headers: Self.sendgridHeaders(signature, now), body: body)
        XCTAssertEqual(accepted.status, 200)
        XCTAssertEqual(try delivered(store, id), 1)
        let after = try footprint(store)
        let replay = try probe.post("/webhooks/sendgrid", headers: Self.sendgridHeaders(signature, now), body: body)
        XCTAssertEqual(replay.status, 406)
        XCTAssertEqual(try footprint(store), after)
    }

    // MARK: Common

    func testUnconfiguredProvidersAnswer404AndBigBodiesAre413() async throws {
        let (store, _) = try sentRow()
        let (port, task) = try await serve(store, WebhookOptions(mailgunSigningKey: mailgunKey, maxBodyBytes: 4096))
        defer { task.cancel() }
        let before = try footprint(store)
        XCTAssertEqual(try HTTPProbe(port: port).post("/webhooks/postmark", body: Array("[]".utf8)).status, 404)
        XCTAssertEqual(try HTTPProbe(port: port).post("/webhooks/sendgrid", body: Array("[]".utf8)).status, 404)
        XCTAssertEqual(try HTTPProbe(port: port).post("/webhooks/ses", body: Array("{}".utf8)).status, 404)
        let big = try HTTPProbe(port: port).post("/webhooks/mailgun", body: [UInt8](repeating: 0x20, count: 5000))
        XCTAssertEqual(big.status, 413)
        XCTAssertEqual(try footprint(store), before)
    }

    func testAClientOverItsWebhookRateLimitIs429WithRetryAfterAndNothingStored() async throws {
        let (store, id) = try sentRow()
        let counters = PixelCounters()
        let (port, task) = try await WebhookFixture.serve(
            store, WebhookOptions(postmarkUser: "pm", postmarkPassword: "pw", ratePerSecond: 0.01, rateBurst: 2),
            counters: counters)
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)
        let auth = Self.basic("pm", "pw")
        func body(_ messageId: String, _ type: String) -> [UInt8] {
            Array(
                """
                {"RecordType":"\(type)","MessageID":"\(messageId)","Recipient":"jane@x.org","DeliveredAt":"2026-11-25T10:00:00Z",
                 "BouncedAt":"2026-11-25T10:01:00Z","Type":"HardBounce","Details":"x","Metadata":{"tracking_id":"\(id)"}}
                """.utf8)
        }
        XCTAssertEqual(try probe.post("/webhooks/postmark", headers: [auth], body: body("pm-1", "Delivery")).status, 200)
        XCTAssertEqual(try probe.post("/webhooks/postmark", headers: [auth], body: body("pm-1", "Delivery")).status, 200)
        let before = try footprint(store)
        let limited = try probe.post("/webhooks/postmark", headers: [auth], body: body("pm-2", "Bounce"))
        XCTAssertEqual(limited.status, 429)
        let retryAfter = limited.headers.first { $0.lowercased().hasPrefix("retry-after:") }
            .flatMap { Int($0.dropFirst("retry-after:".count).trimmingCharacters(in: .whitespaces)) }
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(retryAfter), 1)
        XCTAssertEqual(try footprint(store), before)
        // Every webhook path shares the client's bucket; the pixel has its own.
        XCTAssertEqual(try probe.post("/webhooks/ses", body: Array("{}".utf8)).status, 429)
        XCTAssertEqual(counters["webhook.postmark.rateLimited"], 1)
        XCTAssertEqual(counters["webhook.ses.rateLimited"], 1)
        XCTAssertEqual(try probe.get("/t/\(id)/nope/blank.gif").status, 200)
        XCTAssertEqual(try footprint(store), before)
    }
}

extension Array where Element == UInt8 {
    /// The first occurrence of `old` replaced by `new` (test helper for bit flips in JSON).
    fileprivate func replacing(_ old: [UInt8], with new: [UInt8]) -> [UInt8] {
        guard old.count <= count else { return self }
        for i in 0...(count - old.count) where self[i..<(i + old.count)].elementsEqual(old) {
            return Array(self[..<i]) + new + Array(self[(i + old.count)...])
        }
        return self
    }
}
