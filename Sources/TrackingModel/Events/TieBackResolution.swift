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
