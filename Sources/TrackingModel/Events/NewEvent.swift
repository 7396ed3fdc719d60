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

    /// The event as a store keeps it, whoever wrote it: its texts safe to store, and a
    /// hard bounce whose cause is not the address's (README "Why it failed: causes")
    /// taken as the soft bounce it is. Both stores apply this form.
    public var asStored: NewEvent {
        var e = self
        e.details = details.storable
        e.source = StoredText.storable(source)
        e.key = StoredText.storable(key)
        if e.type == .hardBounce, let cause = e.details.cause, !cause.isHard {
            e.type = .softBounce
            e.details.bounceType = "soft"
        }
        return e
    }
}
