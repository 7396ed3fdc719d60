import TrackingModel

/// The marker-detail popup: one recipient's status in words and its events.
public struct MarkerDetail: Sendable, Hashable {
    /// Who it is about (partner name or raw recipient).
    public var name: String
    public var marker: Marker
    /// "Status: Delivered", or the no_recipient description.
    public var statusText: String
    public var trackingId: Int64?
    /// The tracking row once loaded (nil while loading or without tracking).
    public var row: TrackingRow?
    /// The event timeline, oldest first, once loaded.
    public var events: [EventRow]
    public var loading: Bool
    public var scroll = 0
    /// The recipient's message went as one mail with a shared pixel: its opens may be another recipient's.
    public var sharedPixel: Bool
    /// Why the recipient's tracking failed or is deferred (nil: it did not, or unknown).
    public var cause: FailureCause?

    public init(
        name: String, marker: Marker, statusText: String, trackingId: Int64?, row: TrackingRow? = nil,
        events: [EventRow] = [], loading: Bool, sharedPixel: Bool = false, cause: FailureCause? = nil
    ) {
        self.name = name
        self.marker = marker
        self.statusText = statusText
        self.trackingId = trackingId
        self.row = row
        self.events = events
        self.loading = loading
        self.sharedPixel = sharedPixel
        self.cause = cause
    }

    /// An error refused by the receiver: drawn with its own marker look.
    public var refused: Bool { marker.refused(cause: cause) }
}

/// One recipient line of the retry dialog.
public struct RetryItem: Sendable, Hashable {
    public var messageId: Int64
    public var trackingId: Int64
    public var name: String
    public var marker: Marker
    public var error: String
    public var ticked: Bool
    /// The store's checks for this recipient (nil until the plan is loaded).
    public var check: RetryRecipient?
    /// Why it failed (nil when unknown): shown in words above the error text.
    public var cause: FailureCause?
    /// The address a resend goes to, as last known (the store's check replaces the screen's).
    public var address: String?
    /// The row's own partner, whose address `e` fixes (nil: a bare address).
    public var partnerId: Int64?

    public init(
        messageId: Int64, trackingId: Int64, name: String, marker: Marker, error: String, ticked: Bool = true,
        check: RetryRecipient? = nil, cause: FailureCause? = nil
    ) {
        self.messageId = messageId
        self.trackingId = trackingId
        self.name = name
        self.marker = marker
        self.error = error
        self.ticked = ticked
        self.check = check
        self.cause = cause
    }

    /// An error refused by the receiver: drawn with its own marker look.
    public var refused: Bool { marker.refused(cause: cause) }

    /// The store's verdict once checked; before that, a row without address is
    /// a skip and any other row a send.
    public var verdict: RetryVerdict {
        if let check { return check.verdict }
        return marker == .noEmail ? .skip : .send
    }

    /// Toggles the tick; a skipped row (no address, already queued) cannot be ticked.
    public mutating func toggle() {
        ticked = verdict == .skip ? false : !ticked
    }

    /// Ticked and sendable: confirm resends it.
    public var willSend: Bool { ticked && verdict != .skip }
}
