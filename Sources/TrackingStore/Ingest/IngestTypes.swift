import TrackingModel

/// Which key tied an event to its row.
public enum TieBackVia: String, Sendable, Hashable {
    case trackingId = "tracking_id"
    case verpToken = "verp_token"
    case envelopeId = "envelope_id"
    case queueId = "queue_id"
    case providerMessageId = "provider_message_id"
    case messageId = "message_id"
}

/// The result of resolving `TieBackKeys`.
public enum TieBackResolution: Sendable, Hashable {
    /// The tracking row, and the key that found it.
    case tracking(Int64, via: TieBackVia)
    /// Nothing matched: why, in words for `chatter unmatched`.
    case unresolved(reason: String)
}

/// An event that tied to no tracking row, kept with its reason (never dropped).
public struct UnmatchedEvent: Sendable, Hashable {
    public var source: String
    /// Unique within `source`: the same signal read twice is kept once.
    public var key: String
    public var path: String
    /// The event type name (`hard_bounce`...).
    public var type: String
    public var timestamp: Double
    public var recipient: String?
    public var status: String?
    public var bounceType: String?
    /// The event's cause word (`user_unknown`, `blocked`...), when it has one.
    public var eventReason: String?
    public var description: String?
    public var machine: Bool
    /// The tie-back keys it carried.
    public var keys: TieBackKeys
    /// Why it is unmatched.
    public var reason: String

    public init(
        source: String, key: String, path: String, type: String, timestamp: Double, recipient: String? = nil,
        status: String? = nil, bounceType: String? = nil, eventReason: String? = nil, description: String? = nil,
        machine: Bool = false, keys: TieBackKeys = TieBackKeys(), reason: String
    ) {
        self.source = source
        self.key = key
        self.path = path
        self.type = type
        self.timestamp = timestamp
        self.recipient = recipient
        self.status = status
        self.bounceType = bounceType
        self.eventReason = eventReason
        self.description = description
        self.machine = machine
        self.keys = keys
        self.reason = reason
    }
}

/// A stored quarantine row (`chatter quarantine`).
public struct QuarantineRow: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var item: QuarantineItem
    public var firstSeen: Double
    public var lastSeen: Double
    /// How many times the same input was met.
    public var count: Int
}

/// A stored unmatched event (`chatter unmatched`).
public struct UnmatchedRow: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var event: UnmatchedEvent
    public var recordedAt: Double
}

/// One stored Postfix queue-id life, as the link store needs it.
public struct StoredQueueLink: Sendable, Hashable {
    public var host: String
    public var queueId: String
    public var firstSeen: Double
    public var messageId: String?
    public var trackingId: String?
    /// Our own notification: its deliveries are not application deliveries.
    public var system: Bool
    /// The whole link, encoded by its owner (DeliverySignals' `QueueLink` as JSON).
    public var encoded: String

    public init(
        host: String, queueId: String, firstSeen: Double, messageId: String?, trackingId: String?, system: Bool,
        encoded: String
    ) {
        self.host = host
        self.queueId = queueId
        self.firstSeen = firstSeen
        self.messageId = messageId
        self.trackingId = trackingId
        self.system = system
        self.encoded = encoded
    }
}
