/// The keys a delivery signal carries to find its tracking row, strongest first.
///
/// Parsers fill it and the store's resolver reads it (one type from parser to resolver); the
/// recipient picks the row among a message's rows for the per-message keys.
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
