/// The stored state of a tracking email. "Waiting" (no state yet) is `nil`
/// wherever a `TrackingState?` appears, exactly like the reference's empty state.
public enum TrackingState: String, Sendable, CaseIterable, Codable, Hashable {
    case error
    case deferred
    case sent
    case delivered
    case opened
    case rejected
    case spam
    case unsub
    case bounced
    case softBounced = "soft-bounced"

    /// The failed states (README "The rules"): a row in one of them makes its message
    /// need action and puts it in the Failed mailbox.
    public var isFailed: Bool {
        switch self {
        case .error, .rejected, .spam, .bounced, .softBounced: return true
        case .deferred, .sent, .delivered, .opened, .unsub: return false
        }
    }

    /// Whether a row in this state, as the newest tracking of a (changed)
    /// address, flags the partner bounced: rejected, spam, and bounced (unless its
    /// cause clears the address), and error only on an address-side cause — the
    /// same rule as `EventType.flagsPartner(errorType:cause:)` for the event that
    /// put the row there.
    public func flagsAddressBounced(errorType: String?, cause: FailureCause?) -> Bool {
        switch self {
        case .rejected: return EventType.reject.flagsPartner(errorType: errorType, cause: cause)
        case .spam: return EventType.spam.flagsPartner(errorType: errorType, cause: cause)
        case .bounced: return EventType.hardBounce.flagsPartner(errorType: errorType, cause: cause)
        case .error: return EventType.error.flagsPartner(errorType: errorType, cause: cause)
        case .deferred, .sent, .delivered, .opened, .unsub, .softBounced: return false
        }
    }

    /// The reference's human name ("Status: <name>" on hover).
    public var humanName: String {
        switch self {
        case .error: return "Error"
        case .deferred: return "Deferred"
        case .sent: return "Sent"
        case .delivered: return "Delivered"
        case .opened: return "Opened"
        case .rejected: return "Rejected"
        case .spam: return "Spam"
        case .unsub: return "Unsubscribed"
        case .bounced: return "Bounced"
        case .softBounced: return "Soft bounced"
        }
    }

    /// Parses a state name as written on the command line (`soft-bounced` or
    /// `soft_bounced`), or `waiting` / `none` for the empty state.
    public static func parse(_ text: String) -> TrackingState?? {
        let t = text.lowercased().replacingOccurrences(of: "_", with: "-")
        if t == "waiting" || t == "none" { return .some(nil) }
        if let s = TrackingState(rawValue: t) { return .some(s) }
        return nil
    }
}

/// Human name of an optional state (nil is "Waiting").
public func humanStateName(_ state: TrackingState?) -> String {
    state?.humanName ?? "Waiting"
}

/// The error type the reference writes when a partner has no address.
public let noRecipientErrorType = "no_recipient"
/// The reference's description for `no_recipient`.
public let noRecipientDescription = "The partner doesn't have a defined email"

/// The per-recipient status marker shown in the chatter (README "Markers").
public enum Marker: String, Sendable, CaseIterable, Codable, Hashable {
    case unknown
    case waiting
    case error
    case sent
    case delivered
    case opened
    case cc
    case noEmail = "no_email"
    case noPartner = "no_partner"

    /// The marker of a recipient that has a tracking row.
    public static func forTracking(state: TrackingState?, errorType: String?) -> Marker {
        guard let state else { return .waiting }
        switch state {
        case .error, .rejected, .spam, .bounced, .softBounced:
            return errorType == noRecipientErrorType ? .noEmail : .error
        case .sent, .deferred: return .sent
        case .delivered: return .delivered
        case .opened, .unsub: return .opened
        }
    }

    /// An error marker whose cause is on the sender side: the receiver refused
    /// *us*, the address is fine. Shown with its own glyph (`✗!`, ASCII `x!`)
    /// and colour so that it is told apart from a bad address without colour too.
    public func refused(cause: FailureCause?) -> Bool {
        self == .error && cause?.side == .sender
    }

    /// The ASCII marker of a failure refused by the receiver (see `refused(cause:)`).
    public static let refusedAsciiGlyph = "x!"

    /// The ASCII marker (README "Markers"; `--ascii`, non-UTF-8 locales, plain CLI tables).
    public var asciiGlyph: String {
        switch self {
        case .unknown: return "?"
        case .waiting: return "~"
        case .error: return "x"
        case .sent: return "v"
        case .delivered: return "vv"
        case .opened: return "VV"
        case .cc: return "cc"
        case .noEmail: return "!@"
        case .noPartner: return "@"
        }
    }

    /// Name in words for the legend and the help screen.
    public var humanName: String {
        switch self {
        case .unknown: return "Unknown"
        case .waiting: return "Waiting"
        case .error: return "Error"
        case .sent: return "Sent"
        case .delivered: return "Delivered"
        case .opened: return "Opened"
        case .cc: return "Cc"
        case .noEmail: return "No Email"
        case .noPartner: return "No Partner"
        }
    }

    /// The reference's explanation of the marker (legend text).
    public var explanation: String {
        switch self {
        case .unknown: return "No email tracking info available"
        case .waiting: return "Waiting to be sent"
        case .error: return "Error while sending"
        case .sent: return "Sent to SMTP server configured"
        case .delivered: return "Delivered to final MX server"
        case .opened: return "Opened by partner"
        case .cc: return "Carbon-Copy recipient; its status can't be known"
        case .noEmail: return "The partner doesn't have a defined email"
        case .noPartner: return "The recipient doesn't have a defined partner"
        }
    }
}
