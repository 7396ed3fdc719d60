import TrackingModel

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
