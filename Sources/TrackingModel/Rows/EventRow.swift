/// A stored tracking event.
public struct EventRow: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var trackingId: Int64
    public var type: EventType
    public var timestamp: Double
    public var source: String
    public var key: String
    public var machine: Bool
    public var details: EventDetails

    public init(
        id: Int64, trackingId: Int64, type: EventType, timestamp: Double, source: String, key: String,
        machine: Bool, details: EventDetails
    ) {
        self.id = id
        self.trackingId = trackingId
        self.type = type
        self.timestamp = timestamp
        self.source = source
        self.key = key
        self.machine = machine
        self.details = details
    }
}
