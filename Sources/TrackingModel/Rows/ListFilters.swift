/// Filters of the tracking emails list.
public struct TrackingFilter: Sendable, Hashable {
    /// Only rows in this state; `.some(nil)` = waiting rows.
    public var state: TrackingState??
    /// Only rows to this address (any form; compared normalized).
    public var recipient: String?
    /// Substring of recipient, sender or subject (case-insensitive for ASCII).
    public var search: String?
    /// Only rows in a failed state (error, rejected, spam, bounced, soft-bounced).
    public var failedOnly: Bool

    public init(state: TrackingState?? = nil, recipient: String? = nil, search: String? = nil, failedOnly: Bool = false) {
        self.state = state
        self.recipient = recipient
        self.search = search
        self.failedOnly = failedOnly
    }
}

/// Filters of the events list.
public struct EventFilter: Sendable, Hashable {
    public var trackingId: Int64?
    public var type: EventType?

    public init(trackingId: Int64? = nil, type: EventType? = nil) {
        self.trackingId = trackingId
        self.type = type
    }
}
