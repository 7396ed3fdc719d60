/// One recipient entry of a message, in the reference's order, with its marker.
public struct RecipientEntry: Sendable, Hashable {
    /// Partner name, else the raw recipient.
    public var name: String
    public var address: String?
    public var partnerId: Int64?
    public var trackingId: Int64?
    /// The stored state (nil while waiting or without tracking).
    public var state: TrackingState?
    public var marker: Marker
    /// A Cc recipient (with or without tracking).
    public var cc: Bool
    public var errorType: String?
    public var errorDescription: String?
    /// Why the entry's tracking failed or is deferred (nil when it did not, or unknown).
    public var cause: FailureCause?

    public init(
        name: String, address: String?, partnerId: Int64?, trackingId: Int64?, state: TrackingState?,
        marker: Marker, cc: Bool, errorType: String? = nil, errorDescription: String? = nil,
        cause: FailureCause? = nil
    ) {
        self.name = name
        self.address = address
        self.partnerId = partnerId
        self.trackingId = trackingId
        self.state = state
        self.marker = marker
        self.cc = cc
        self.errorType = errorType
        self.errorDescription = errorDescription
        self.cause = cause
    }

    /// True when the entry's tracking row is in a failed state.
    public var isFailed: Bool { trackingId != nil && (state?.isFailed ?? false) }

    /// The reference's hover text: "Status: <name>", or the description for no_recipient.
    public var statusText: String {
        if marker == .noEmail { return errorDescription ?? noRecipientDescription }
        if trackingId == nil { return "Status: \(marker.humanName)" }
        return "Status: \(humanStateName(state))"
    }

    /// A failure on the sender side (the receiver refused us): drawn with its own marker look.
    public var refused: Bool { marker.refused(cause: cause) }
}
