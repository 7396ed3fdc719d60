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
