/// A row of the tracking emails list.
public struct TrackingRow: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var messageId: Int64
    public var partnerId: Int64?
    public var createdAt: Double
    public var subject: String
    public var sender: String
    public var recipient: String
    public var address: String?
    public var state: TrackingState?
    public var cc: Bool
    public var errorSmtpServer: String?
    public var errorType: String?
    public var errorDescription: String?
    public var bounceType: String?
    public var bounceDescription: String?
    /// Why the row failed or is deferred: the cause of the event that decided its state.
    public var cause: FailureCause?
    /// The open-tracking pixel token (128 bits, hex) of the row's mail: the row's own,
    /// or its message's shared token when the message went as one shared mail; nil for legacy rows.
    public var token: String?
    /// The pixel URL the row's mail carried, stamped when the server accepted it; nil
    /// when it went without a pixel, is not sent yet, or was sent before chatter kept it.
    public var pixelURL: String?

    public init(
        id: Int64, messageId: Int64, partnerId: Int64?, createdAt: Double, subject: String, sender: String,
        recipient: String, address: String?, state: TrackingState?, cc: Bool, errorSmtpServer: String?,
        errorType: String?, errorDescription: String?, bounceType: String?, bounceDescription: String?,
        token: String?, cause: FailureCause? = nil, pixelURL: String? = nil
    ) {
        self.id = id
        self.messageId = messageId
        self.partnerId = partnerId
        self.createdAt = createdAt
        self.subject = subject
        self.sender = sender
        self.recipient = recipient
        self.address = address
        self.state = state
        self.cc = cc
        self.errorSmtpServer = errorSmtpServer
        self.errorType = errorType
        self.errorDescription = errorDescription
        self.bounceType = bounceType
        self.bounceDescription = bounceDescription
        self.token = token
        self.cause = cause
        self.pixelURL = pixelURL
    }

    public var marker: Marker { Marker.forTracking(state: state, errorType: errorType) }
    /// A failure on the sender side (the receiver refused us): drawn with its own marker look.
    public var refused: Bool { marker.refused(cause: cause) }
}
