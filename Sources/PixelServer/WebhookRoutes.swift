import Crypto
import DeliverySignals
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TrackingModel

/// The provider webhooks of `chatter serve` (README "Sending and the pixel"): `POST /webhooks/<provider>`
/// authenticates the request, then hands the body to the provider's DeliverySignals parser and
/// the poller's ingestion path. A rejected request touches nothing in the store (no event,
/// no unmatched or quarantine row); an authenticated body that cannot be parsed is
/// quarantined and answered 400. A client over its per-address rate limit is answered 429
/// before anything else is looked at.
enum WebhookRoutes {
    /// Adds the four webhook paths to `router`.
    static func add(
        to router: Router<PixelRequestContext>, store: any IngestRole, options: WebhookOptions, proxies: TrustedProxies,
        counters: PixelCounters, logger: Logger
    ) {
        let handlers = WebhookHandlers(store: store, options: options, logger: logger)
        let limiter = RateLimiter(perSecond: options.ratePerSecond, burst: options.rateBurst)
        let routes: [(String, @Sendable (Request) async -> WebhookOutcome)] = [
            ("mailgun", handlers.mailgun), ("postmark", handlers.postmark), ("sendgrid", handlers.sendgrid),
            ("ses", handlers.ses),
        ]
        for (provider, handle) in routes {
            router.post("webhooks/\(provider)") { request, context -> Response in
                let outcome: WebhookOutcome
                let client = context.clientAddress(trusting: proxies, request) ?? "?"
                if let wait = limiter.wait(client, now: Date().timeIntervalSince1970) {
                    outcome = .rateLimited(retryAfter: max(1, Int(wait.rounded(.up))))
                } else {
                    outcome = await handle(request)
                }
                counters.add("webhook.\(provider).\(outcome.counterKey)")
                return response(outcome)
            }
        }
    }

    /// The plain-text answer of an outcome.
    static func response(_ outcome: WebhookOutcome) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.cacheControl] = "no-store"
        if outcome == .unauthorized { headers[.wwwAuthenticate] = "Basic realm=\"chatter\"" }
        if case .rateLimited(let seconds) = outcome { headers[.retryAfter] = String(seconds) }
        return Response(
            status: outcome.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: outcome.text + "\n")))
    }
}

/// One handler per provider: authenticate, then parse and store.
struct WebhookHandlers: Sendable {
    let options: WebhookOptions
    let ingestor: WebhookIngestor
    /// Used Mailgun tokens, and digests of SendGrid's signed content, for the window.
    let mailgunTokens: ReplayGuard
    let sendgridNonces: ReplayGuard
    /// SES through SNS: the signature check (certificates cached), used SNS message ids,
    /// and the log of subscription confirmations.
    let snsVerifier: SNSVerifier
    let snsMessageIds: ReplayGuard
    let logger: Logger

    init(store: any IngestRole, options: WebhookOptions, logger: Logger) {
        self.options = options
        self.logger = logger
        ingestor = WebhookIngestor(store: store)
        mailgunTokens = ReplayGuard(window: options.replayWindow)
        sendgridNonces = ReplayGuard(window: options.replayWindow)
        snsVerifier = SNSVerifier(fetcher: options.snsFetcher)
        snsMessageIds = ReplayGuard(window: options.replayWindow)
    }

    /// Mailgun: the signature is inside the JSON body (`signature.{timestamp, token, signature}`).
    func mailgun(_ request: Request) async -> WebhookOutcome {
        guard let key = options.mailgunSigningKey else { return .notConfigured }
        guard let body = await body(of: request) else { return .tooLarge }
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return .malformed }
        guard let signature = json["signature"] as? [String: Any], let timestamp = signature["timestamp"] as? String,
            let token = signature["token"] as? String, let hex = signature["signature"] as? String,
            WebhookSignatures.mailgunIsValid(timestamp: timestamp, token: token, signatureHex: hex, key: key)
        else { return .badSignature }
        let now = options.clock()
        guard let signedAt = freshTime(timestamp, now: now) else { return .stale }
        guard mailgunTokens.claim(token, now: now, signedAt: signedAt) else { return .replayed }
        let outcome = await store(MailgunEvents.parse(body, path: "webhook:mailgun"))
        if outcome == .storeError { mailgunTokens.release(token) }
        return outcome
    }

    /// Postmark: HTTP basic auth, checked before the body is read.
    func postmark(_ request: Request) async -> WebhookOutcome {
        guard let user = options.postmarkUser, let password = options.postmarkPassword else { return .notConfigured }
        guard WebhookSignatures.basicAuthIsValid(header: request.headers[.authorization], user: user, password: password)
        else { return .unauthorized }
        guard let body = await body(of: request) else { return .tooLarge }
        return await store(PostmarkEvents.parse(body, path: "webhook:postmark"))
    }

    /// SendGrid: ECDSA over timestamp ‖ raw body, from two headers.
    func sendgrid(_ request: Request) async -> WebhookOutcome {
        // The key is decoded per request: swift-crypto's key type is not Sendable. An
        // undecodable key counts as none (`chatter serve` refuses one at start).
        guard let key = options.sendgridVerificationKey.flatMap({ WebhookSignatures.sendgridKey(base64: $0) }) else {
            return .notConfigured
        }
        guard let body = await body(of: request) else { return .tooLarge }
        guard let signature = Self.header(request, "X-Twilio-Email-Event-Webhook-Signature"),
            let timestamp = Self.header(request, "X-Twilio-Email-Event-Webhook-Timestamp"),
            WebhookSignatures.sendgridIsValid(timestamp: timestamp, body: body, signatureBase64: signature, key: key)
        else { return .badSignature }
        let now = options.clock()
        guard let signedAt = freshTime(timestamp, now: now) else { return .stale }
        // ECDSA signatures are malleable, so the nonce is the signed content, not the signature.
        let nonce = SHA256.hash(data: Data(timestamp.utf8) + body).map { String(format: "%02x", $0) }.joined()
        guard sendgridNonces.claim(nonce, now: now, signedAt: signedAt) else { return .replayed }
        let outcome = await store(SendGridEvents.parse(body, path: "webhook:sendgrid"))
        if outcome == .storeError { sendgridNonces.release(nonce) }
        return outcome
    }

    /// A signed timestamp when it is fresh by the options' window and future skew.
    func freshTime(_ timestamp: String, now: Double) -> Double? {
        WebhookSignatures.freshTime(timestamp, now: now, window: options.replayWindow, futureSkew: options.maxFutureSkew)
    }

    /// The whole body, or nil when it is over the cap.
    func body(of request: Request) async -> [UInt8]? {
        guard let buffer = try? await request.body.collect(upTo: options.maxBodyBytes) else { return nil }
        return Array(buffer.readableBytesView)
    }

    func store(_ batch: IngestBatch) async -> WebhookOutcome {
        .stored(batch, await ingestor.ingest(batch))
    }

    static func header(_ request: Request, _ name: String) -> String? {
        HTTPField.Name(name).flatMap { request.headers[$0] }
    }
}
