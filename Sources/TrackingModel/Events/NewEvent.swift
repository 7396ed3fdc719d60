/// An event to apply to a tracking row. `source` + `key` identify it: applying the
/// same pair twice records it once, so ingestion can be retried safely.
public struct NewEvent: Sendable, Hashable {
    public var trackingId: Int64
    public var type: EventType
    /// UTC epoch seconds, sub-second.
    public var timestamp: Double
    public var source: String
    public var key: String
    public var machine: Bool
    public var details: EventDetails

    public init(
        trackingId: Int64, type: EventType, timestamp: Double, source: String, key: String,
        machine: Bool = false, details: EventDetails = EventDetails()
    ) {
        self.trackingId = trackingId
        self.type = type
        self.timestamp = timestamp
        self.source = source
        self.key = key
        self.machine = machine
        self.details = details
    }

    /// The facts the state rule folds.
    public var facts: EventFacts {
        EventFacts(
            type: type, order: EventOrder(timestamp: timestamp, type: type, source: source, key: key),
            machine: machine, smtpServer: details.smtpServer, errorType: details.errorType,
            errorDescription: details.errorDescription, bounceType: details.bounceType,
            bounceDescription: details.bounceDescription, cause: details.cause)
    }
}
