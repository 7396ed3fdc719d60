import Foundation
import Prometheus
import TrackingModel

/// The Prometheus side of `serve` and `poll --metrics` (swift-prometheus' registry, which
/// swift-metrics users feed through `PrometheusMetricsFactory`): requests by route and
/// status counted as they happen; the rest sampled at each scrape from what already counts
/// it (the pixel and webhook counters, the poller's totals, the store, the tailed files).
public final class ServiceMetrics: Sendable {
    /// How far the poller is behind on one tailed file: bytes not yet committed, and seconds since it was
    /// last caught up (the poller's `PollerLag.sample`, handed in so the server needs no poller).
    public typealias LagSampler = @Sendable (any IngestRole) -> [(source: String, bytes: Int64, seconds: Double)]

    /// Everything `/metrics` prints.
    public let registry: PrometheusCollectorRegistry
    /// The poller's lag by tailed source, sampled at each scrape (nil: no tailed sources configured).
    let lag: LagSampler?
    /// The running poller's totals (`poll`; nil in `serve`, which has no poller).
    let pollerTotals: (@Sendable () -> PollReport)?
    private let deltas = Deltas()

    public init(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), lag: LagSampler? = nil,
        pollerTotals: (@Sendable () -> PollReport)? = nil
    ) {
        self.registry = registry
        self.lag = lag
        self.pollerTotals = pollerTotals
    }

    /// One answered HTTP request.
    func request(route: String, status: Int) {
        registry.makeCounter(
            name: "chatter_http_requests_total", labels: [("route", route), ("status", String(status))],
            help: "HTTP requests answered, by route and status."
        ).increment()
    }

    /// The exposition text, after sampling the store, the counters and the poller.
    public func exposition(store: any ServeRole, counters: PixelCounters?) -> String {
        let health = store.health()
        gauge("chatter_store_up", [], health.isHealthy ? 1 : 0, "1 when the store is reachable with the current schema.")
        if let g = try? store.gauges() {
            gauge("chatter_store_events", [], g.events, "Events kept in the store.")
            gauge("chatter_store_quarantined", [], g.quarantined, "Inputs kept in quarantine.")
            gauge("chatter_store_unmatched", [], g.unmatched, "Events that tied to no tracking row.")
            for (status, n) in [("queued", g.outboxQueued), ("sending", g.outboxSending), ("failed", g.outboxFailed)] {
                gauge("chatter_outbox_entries", [("status", status)], n, "Outbox entries by status.")
            }
        }
        if let counters { sampleCounters(counters) }
        if let totals = pollerTotals?() {
            for (outcome, n) in [
                ("applied", totals.applied), ("duplicate", totals.duplicate), ("suppressed", totals.suppressed),
                ("unmatched", totals.unmatched), ("quarantined", totals.quarantined), ("ignored", totals.ignored),
            ] {
                counter("chatter_poller_events_total", [("outcome", outcome)], n, "Events the poller read, by outcome.")
            }
            counter("chatter_poller_batches_total", [], totals.batches, "Batches the poller committed.")
        }
        for s in lag?(store) ?? [] {
            gauge("chatter_poller_lag_bytes", [("source", s.source)], Int(s.bytes), "Bytes written to a tailed file and not yet committed.")
            registry.makeGauge(
                name: "chatter_poller_lag_seconds", labels: [("source", s.source)],
                help: "Seconds since the source was last read to its end (0 when caught up)."
            ).set(s.seconds)
        }
        return registry.emitToString()
    }

    /// Pixel outcomes and webhook outcomes from `PixelCounters` (cumulative, so counted by difference).
    private func sampleCounters(_ counters: PixelCounters) {
        for outcome in ["recorded", "suppressed", "notOpenable", "refused", "rateLimited", "storeError"] {
            counter("chatter_pixel_requests_total", [("outcome", outcome)], counters[outcome], "Pixel requests by outcome.")
        }
        counter("chatter_pixel_opens_total", [], counters["recorded"], "Opens recorded from the pixel.")
        for provider in ["mailgun", "postmark", "sendgrid", "ses"] {
            for outcome in WebhookOutcome.everyKind {
                let n = counters["webhook.\(provider).\(outcome.counterKey)"]
                let labels = [("provider", provider), ("result", outcome.isAccepted ? "accepted" : "refused"), ("reason", outcome.counterKey)]
                counter("chatter_webhook_requests_total", labels, n, "Webhook requests, accepted or refused, by reason.")
            }
        }
    }

    private func gauge(_ name: String, _ labels: [(String, String)], _ value: Int, _ help: String) {
        registry.makeGauge(name: name, labels: labels, help: help).set(Int64(value))
    }

    /// Brings a Prometheus counter up to a cumulative `value` kept elsewhere.
    private func counter(_ name: String, _ labels: [(String, String)], _ value: Int, _ help: String) {
        let key = name + labels.map { "|\($0.0)=\($0.1)" }.joined()
        let delta = deltas.advance(key, to: value)
        let c = registry.makeCounter(name: name, labels: labels, help: help)
        if delta > 0 { c.increment(by: Int64(delta)) }
    }
}

/// The last value seen of each cumulative count.
private final class Deltas: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String: Int] = [:]

    func advance(_ key: String, to value: Int) -> Int {
        lock.withLock {
            let delta = value - (seen[key] ?? 0)
            seen[key] = max(value, seen[key] ?? 0)
            return delta
        }
    }
}

extension WebhookOutcome {
    /// One of each outcome (the metrics list them all, at zero until met).
    static var everyKind: [WebhookOutcome] {
        [
            .accepted, .unparsable, .malformed, .notConfigured, .unauthorized, .badSignature, .badCertificate,
            .certificateUnavailable, .foreignTopic, .subscriptionConfirmed, .subscriptionPending, .confirmationFailed,
            .unsubscribeNoticed, .rateLimited(retryAfter: 0), .stale, .replayed, .tooLarge, .storeError,
        ]
    }

    /// Whether the provider's request was taken (events stored or a subscription handled).
    var isAccepted: Bool {
        switch self {
        case .accepted, .subscriptionConfirmed, .subscriptionPending, .unsubscribeNoticed: true
        case .unparsable, .malformed, .notConfigured, .unauthorized, .badSignature, .badCertificate,
            .certificateUnavailable, .foreignTopic, .confirmationFailed, .rateLimited, .stale, .replayed, .tooLarge,
            .storeError:
            false
        }
    }
}
