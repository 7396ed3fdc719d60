import Atomics
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import TrackingModel

/// How `chatter serve` behaves.
public struct PixelServerOptions: Sendable {
    public var host: String
    public var port: Int
    /// Per client address: sustained requests per second, and the burst allowed.
    public var ratePerSecond: Double
    public var rateBurst: Double
    /// The provider webhooks' secrets (none configured by default: their paths answer 404).
    public var webhooks: WebhookOptions
    /// Connection limits and timeouts.
    public var limits: ConnectionLimits
    /// Reverse proxies whose `X-Forwarded-For` names the client (rate limits, recorded IP),
    /// exempt from the per-address connection cap.
    public var trustedProxies: TrustedProxies

    public init(
        host: String = "127.0.0.1", port: Int = 8025, ratePerSecond: Double = 20, rateBurst: Double = 40,
        webhooks: WebhookOptions = WebhookOptions(), limits: ConnectionLimits = ConnectionLimits(),
        trustedProxies: TrustedProxies = TrustedProxies()
    ) {
        self.host = host
        self.port = port
        self.ratePerSecond = ratePerSecond
        self.rateBurst = rateBurst
        self.webhooks = webhooks
        self.limits = limits
        self.trustedProxies = trustedProxies
    }
}

/// Counts of what pixel requests came to (never told to clients).
public final class PixelCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private let droppedOpens = ManagedAtomic<Int>(0)

    public init() {}

    /// Pixel requests of a well-formed link that the per-client rate limit kept from the store:
    /// opens that may have been lost (for metrics; lock-free).
    public var opensDroppedByRateLimit: Int { droppedOpens.load(ordering: .relaxed) }

    func addDroppedOpen() {
        droppedOpens.wrappingIncrement(ordering: .relaxed)
        add("rateLimited")
    }

    func add(_ key: String) { lock.withLock { counts[key, default: 0] += 1 } }
    /// `recorded`, `suppressed`, `notOpenable`, `refused`, `rateLimited`, `storeError`, `head`;
    /// `webhook.<provider>.<outcome>` for the webhooks.
    public subscript(_ key: String) -> Int { lock.withLock { counts[key] ?? 0 } }
}

/// The request context: the client's address for the rate limit and the event.
public struct PixelRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's address: the peer's, or behind a trusted proxy the one `X-Forwarded-For` names.
    func clientAddress(trusting proxies: TrustedProxies, _ request: Request) -> String? {
        let peer = remoteAddress?.ipAddress
        guard !proxies.isEmpty, let name = HTTPField.Name("X-Forwarded-For") else { return peer }
        return proxies.clientAddress(peer: peer, forwardedFor: request.headers[values: name])
    }

    /// For Hummingbird's decoders only (none used): the pixel reads no body, and the
    /// webhooks collect theirs up to `WebhookOptions.maxBodyBytes`.
    public var maxUploadSize: Int { 1024 }
}

/// The HTTP side (Hummingbird): `GET /t/<tracking id>/<token>/blank.gif` records
/// an open by the store's rules and ALWAYS answers the same 43-byte GIF with
/// no-cache headers, whether the id exists, the token is wrong, the client is
/// over its rate limit or the store failed: no oracle. `HEAD` gets the same headers
/// without the body. `POST /webhooks/<provider>`
/// takes provider events (see `WebhookRoutes`), with a rate limit of its own. `GET /healthz`
/// and `GET /metrics` see `ServiceEndpoints`. Other paths get 404.
public enum PixelServer {
    /// The no-cache headers of the pixel answer.
    static var pixelHeaders: HTTPFields {
        var h = HTTPFields()
        h[.contentType] = "image/gif"
        h[.cacheControl] = "no-store, no-cache, must-revalidate, private, max-age=0"
        if let pragma = HTTPField.Name("Pragma") { h[pragma] = "no-cache" }
        h[.expires] = "0"
        h[.contentLength] = String(PixelGIF.bytes.count)
        return h
    }

    /// Builds the application; run it with `runService()`.
    public static func application(
        store: any ServeRole, options: PixelServerOptions, counters: PixelCounters = PixelCounters(),
        service: ServiceEndpoints = ServiceEndpoints(), onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let limiter = RateLimiter(perSecond: options.ratePerSecond, burst: options.rateBurst)
        let recorder = PixelRecorder(store: store)
        let router = Router(context: PixelRequestContext.self)
        service.register(on: router, store: store, counters: counters)  // /healthz, /metrics; first: counts every route
        let gif = ByteBuffer(bytes: PixelGIF.bytes)
        let headers = pixelHeaders
        let proxies = options.trustedProxies
        router.get("t/**") { request, context -> Response in
            let ip = context.clientAddress(trusting: proxies, request)
            if let (id, token) = PixelLink.parse(path: request.uri.path) {
                if limiter.allow(ip ?? "?", now: Date().timeIntervalSince1970) {
                    let ua = request.headers[.userAgent].map { String($0.prefix(512)) }
                    counters.add(await recorder.record(trackingId: id, token: token, ip: ip, userAgent: ua))
                } else {
                    counters.addDroppedOpen()
                }
            } else {
                counters.add("refused")
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: gif))
        }
        // HEAD (link checkers, proxies) answers like GET without the body and records nothing:
        // it does not load the image. The headers keep Content-Length 43.
        router.head("t/**") { _, _ -> Response in
            counters.add("head")
            return Response(status: .ok, headers: headers, body: .init())
        }
        WebhookRoutes.add(
            to: router, store: store, options: options.webhooks, proxies: proxies, counters: counters, logger: webhookLogger)
        let gate = ConnectionGate(limits: options.limits, counters: counters, isExempt: { proxies.contains($0) })
        let pauseAt = ConnectionLimits.acceptPauseThreshold(
            maxConnections: options.limits.maxConnections, descriptorLimit: DescriptorLimit.current)
        return Application(
            router: router,
            server: .http1(limits: options.limits),
            configuration: ApplicationConfiguration(
                address: .hostname(options.host, port: options.port), backlog: 4096,
                availableConnectionsDelegate: MaximumAvailableConnections(pauseAt, logger: quietLogger)),
            onServerRunning: { channel in
                try? await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectionAdmission(gate: gate, counters: counters), position: .first)
                }.get()
                await onRunning(channel.localAddress?.port ?? 0)
            },
            logger: quietLogger)
    }

    /// What the operator must see about the webhooks (SNS subscriptions and their URLs);
    /// still no line per request.
    static var webhookLogger: Logger {
        var logger = Logger(label: "chatter.serve.webhooks")
        logger.logLevel = .notice
        return logger
    }

    /// Warnings and errors only; no line per request (tokens stay out of logs).
    static var quietLogger: Logger {
        var logger = Logger(label: "chatter.serve")
        logger.logLevel = .warning
        return logger
    }
}

/// Runs the store's pixel use case off the cooperative pool (SQLite calls block).
final class PixelRecorder: Sendable {
    private let store: any ServeRole
    private let queue = DispatchQueue(label: "chatter.pixel.store", attributes: .concurrent)

    init(store: any ServeRole) { self.store = store }

    /// The counter key of the outcome.
    func record(trackingId: Int64, token: String?, ip: String?, userAgent: String?) async -> String {
        let store = self.store
        return await withCheckedContinuation { continuation in
            queue.async {
                let key: String
                do {
                    switch try store.recordPixelOpen(trackingId: trackingId, token: token, ip: ip, userAgent: userAgent) {
                    case .recorded: key = "recorded"
                    case .suppressed: key = "suppressed"
                    case .notOpenable: key = "notOpenable"
                    case .refused: key = "refused"
                    }
                } catch {
                    key = "storeError"
                }
                continuation.resume(returning: key)
            }
        }
    }
}
