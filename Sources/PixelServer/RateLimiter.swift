import Foundation

/// A token bucket per client address: `burst` requests at once, refilled at
/// `perSecond`. Over the limit a request never reaches the store: a pixel request
/// still gets the same GIF, a webhook request a 429 with `Retry-After`. The table is
/// bounded: when it holds more than `maxClients` addresses, the idle ones are forgotten.
public final class RateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private let perSecond: Double
    private let burst: Double
    private let maxClients: Int
    private var buckets: [String: (tokens: Double, at: Double)] = [:]

    public init(perSecond: Double, burst: Double, maxClients: Int = 100_000) {
        self.perSecond = perSecond
        self.burst = burst
        self.maxClients = maxClients
    }

    /// True when `client` may go on at time `now` (one token taken).
    public func allow(_ client: String, now: Double) -> Bool { wait(client, now: now) == nil }

    /// Nil when `client` may go on at time `now` (one token taken), else the seconds until
    /// its next token (for `Retry-After`).
    public func wait(_ client: String, now: Double) -> Double? {
        lock.withLock {
            if buckets.count > maxClients {
                buckets = buckets.filter { now - $0.value.at < burst / max(perSecond, 0.001) }
            }
            var b = buckets[client] ?? (burst, now)
            b.tokens = min(burst, b.tokens + (now - b.at) * perSecond)
            b.at = now
            guard b.tokens >= 1 else {
                buckets[client] = b
                return (1 - b.tokens) / max(perSecond, 0.001)
            }
            b.tokens -= 1
            buckets[client] = b
            return nil
        }
    }
}
