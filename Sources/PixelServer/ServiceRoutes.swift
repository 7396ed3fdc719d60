import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TrackingModel

/// `GET /healthz` (200 `ok`, or 503 with the reason: store file gone or unusable, schema
/// not current) and `GET /metrics` (Prometheus text), and the count of every request by
/// route and status. `serve` registers them on its router; `poll --metrics` serves only them.
public struct ServiceEndpoints: Sendable {
    public let metrics: ServiceMetrics

    public init(metrics: ServiceMetrics = ServiceMetrics()) { self.metrics = metrics }

    /// Adds the request counting middleware (first, so it sees every route added after it,
    /// and the 404s) and the two routes.
    func register<Context: RequestContext>(on router: Router<Context>, store: any ServeRole, counters: PixelCounters?) {
        router.add(middleware: RequestCounting<Context>(metrics: metrics))
        let queue = DispatchQueue(label: "chatter.service.store", attributes: .concurrent)
        router.get("healthz") { _, _ -> Response in
            let health = await Self.offPool(queue) { store.health() }
            let body = health.problem.map { "unhealthy: \($0)\n" } ?? "ok\n"
            return Self.text(health.isHealthy ? .ok : .serviceUnavailable, body, type: "text/plain; charset=utf-8")
        }
        let metrics = self.metrics
        router.get("metrics") { _, _ -> Response in
            let text = await Self.offPool(queue) { metrics.exposition(store: store, counters: counters) }
            return Self.text(.ok, text, type: "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    /// The poller's own endpoint (`poll --metrics ADDRESS:PORT`): `/healthz` and `/metrics` only.
    public func application(
        store: any ServeRole, host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        register(on: router, store: store, counters: nil)
        return Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: PixelServer.quietLogger)
    }

    static func text(_ status: HTTPResponse.Status, _ body: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// SQLite calls block: run them off the cooperative pool.
    static func offPool<T: Sendable>(_ queue: DispatchQueue, _ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in queue.async { continuation.resume(returning: work()) } }
    }
}

/// Counts each request under a route name of bounded cardinality (never the raw path:
/// pixel paths carry tracking ids and tokens).
struct RequestCounting<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let route = Self.route(request.uri.path)
        do {
            let response = try await next(request, context)
            metrics.request(route: route, status: response.status.code)
            return response
        } catch {
            metrics.request(route: route, status: (error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
    }

    /// `pixel`, `webhook_<provider>`, `healthz`, `metrics` or `other`.
    static func route(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        switch (parts.first, parts.count) {
        case ("t", _): return "pixel"
        case ("webhooks", 2) where ["mailgun", "postmark", "sendgrid", "ses"].contains(String(parts[1])):
            return "webhook_\(parts[1])"
        case ("healthz", 1): return "healthz"
        case ("metrics", 1): return "metrics"
        default: return "other"
        }
    }
}
