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
