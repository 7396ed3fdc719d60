/// The store as `chatter serve` uses it beyond the webhooks (which go through `IngestRole`):
/// the tracking pixel's open, and the figures of `/healthz` and `/metrics`. Both stores (the
/// SQLite file and the PostgreSQL server) implement it, so the server never knows which one
/// it answers for.
public protocol ServeRole: IngestRole {
    /// An open through the tracking pixel: recorded only when the token matches (a row
    /// without a token accepts a request without one; a row with a token never accepts a
    /// missing or wrong one) and the row is `sent` or `delivered`, with the ±10 s duplicate
    /// window of the event rules. A message's shared token records the open on every
    /// openable row of that message, marked `shared_pixel`.
    func recordPixelOpen(trackingId: Int64, token: String?, ip: String?, userAgent: String?) throws -> PixelResult

    /// Whether the store can serve (reachable, schema current); never throws: a failure is the answer.
    func health() -> StoreHealth

    /// The counts of `/metrics`: events, quarantined and unmatched items, the outbox by status.
    func gauges() throws -> StoreGauges
}

/// What a pixel request came to (for the server's counters and tests; never
/// shown to the client, which always gets the same GIF).
public enum PixelResult: Sendable, Hashable {
    /// An `open` was recorded.
    case recorded
    /// Right token, but an open within ±10 s was already there.
    case suppressed
    /// Right token, but the row is not in `sent` or `delivered`.
    case notOpenable
    /// Unknown id, or the token does not match (or is missing where one is required).
    case refused
}

/// Whether the store can serve: where it was opened and usable, and its schema is the one
/// this build writes (`serve`'s `/healthz`).
public struct StoreHealth: Sendable, Equatable {
    /// Nil when healthy, else why not, in one line for the operator.
    public var problem: String?

    public var isHealthy: Bool { problem == nil }

    public init(problem: String?) { self.problem = problem }
}

/// Counts an operator watches (`/metrics`), read in one transaction.
public struct StoreGauges: Sendable, Equatable {
    public var events = 0
    public var quarantined = 0
    public var unmatched = 0
    /// Outbox entries by status (`queued`, `sending`, `failed`; the others are history).
    public var outboxQueued = 0
    public var outboxSending = 0
    public var outboxFailed = 0

    public init() {}
}

/// The pixel's token rule, one for both stores.
public enum PixelToken {
    /// Whether `given` opens a row whose token is `stored` (nil: a legacy row without one,
    /// which accepts a request without a token); compared in time independent of where they differ.
    public static func matches(stored: String?, given: String?) -> Bool {
        guard let stored else { return given == nil || given == "" }
        guard let given else { return false }
        let a = Array(stored.utf8)
        let b = Array(given.lowercased().utf8)
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
