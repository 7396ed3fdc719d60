import Foundation

/// A token bucket per client address: `burst` requests at once, refilled at
/// `perSecond`. Over the limit a request is still answered (the same GIF) but
/// never reaches the store. The table is bounded: when it holds more than
/// `maxClients` addresses, the idle ones are forgotten.
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
    public func allow(_ client: String, now: Double) -> Bool {
        lock.withLock {
            if buckets.count > maxClients {
                buckets = buckets.filter { now - $0.value.at < burst / max(perSecond, 0.001) }
            }
            var b = buckets[client] ?? (burst, now)
            b.tokens = min(burst, b.tokens + (now - b.at) * perSecond)
            b.at = now
            guard b.tokens >= 1 else {
                buckets[client] = b
                return false
            }
            b.tokens -= 1
            buckets[client] = b
            return true
        }
    }
}
