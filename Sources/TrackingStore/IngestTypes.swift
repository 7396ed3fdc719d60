import TrackingModel

/// The keys a delivery signal carries to find its tracking row, strongest first.
///
/// Parsers fill it (EventIngest calls it `TieBack`); the recipient picks the row
/// among a message's rows for the per-message keys.
public struct TieBackKeys: Sendable, Hashable {
    /// Our tracking header value or a provider variable: a tracking row id (digits) or its token.
    public var trackingId: String?
    /// The token of a VERP envelope sender: a tracking token (or row id).
    public var verpToken: String?
    /// `ENVID`: a tracking token / id, else the message's Message-ID.
    public var envelopeId: String?
    /// The MTA queue id returned at submission (`trackings.queue_id`).
    public var queueId: String?
    /// The provider's message id returned at submission (`trackings.provider_message_id`).
    public var providerMessageId: String?
    /// RFC 5322 Message-ID without brackets (`messages.message_id`).
    public var messageId: String?
    /// The recipient address (normalized by the resolver); picks the row among a message's rows.
    public var recipient: String?

    public init(
        trackingId: String? = nil, verpToken: String? = nil, envelopeId: String? = nil, queueId: String? = nil,
        providerMessageId: String? = nil, messageId: String? = nil, recipient: String? = nil
    ) {
        self.trackingId = trackingId
        self.verpToken = verpToken
        self.envelopeId = envelopeId
        self.queueId = queueId
        self.providerMessageId = providerMessageId
        self.messageId = messageId
        self.recipient = recipient
    }
}

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

/// Input a parser could not use, as stored.
public struct QuarantineItem: Sendable, Hashable {
    public var source: String
    public var path: String
    /// Byte offset, line number, mail identity... as text.
    public var position: String
    public var reason: String
    /// The start of the input (sanitise before showing).
    public var excerpt: String

    public init(source: String, path: String, position: String, reason: String, excerpt: String) {
        self.source = source
        self.path = path
        self.position = position
        self.reason = reason
        self.excerpt = excerpt
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
    /// The whole link, encoded by its owner (EventIngest's `QueueLink` as JSON).
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
