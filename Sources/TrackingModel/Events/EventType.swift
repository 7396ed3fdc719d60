/// A tracking event type. The first ten are the reference's (README "The rules");
/// `error` and `retry` are ours (beyond): the SMTP error of a send attempt and a
/// user's Retry are kept in the event log too, so that the state of a row is
/// always a pure function of its events.
public enum EventType: String, Sendable, CaseIterable, Codable, Hashable {
    case sent
    case delivered
    case deferral
    case hardBounce = "hard_bounce"
    case softBounce = "soft_bounce"
    case open
    case click
    case spam
    case unsub
    case reject
    /// SMTP error while sending (state `error`).
    case error
    /// A user asked to resend: the row goes back to waiting.
    case retry

    /// The event types a user may apply by hand with `chatter event`.
    public static let manual: [EventType] = [
        .sent, .delivered, .deferral, .hardBounce, .softBounce, .open, .click, .spam, .unsub, .reject,
    ]

    /// The state the event moves a row to (`nil` = back to waiting).
    public var targetState: TrackingState? {
        switch self {
        case .sent: return .sent
        case .delivered: return .delivered
        case .deferral: return .deferred
        case .hardBounce: return .bounced
        case .softBounce: return .softBounced
        case .open, .click: return .opened
        case .spam: return .spam
        case .unsub: return .unsub
        case .reject: return .rejected
        case .error: return .error
        case .retry: return nil
        }
    }

    /// Whether the event flags every partner with the address as bounced
    /// (README "The rules" and "Why it failed: causes"):
    /// - spam and reject always flag (the reference's rule);
    /// - a hard bounce flags unless its cause says the address is fine (a hard
    ///   bounce without a cause, e.g. typed by hand, keeps the reference's rule);
    /// - an SMTP error flags only on an address-side cause, never for
    ///   `no_recipient`: a wrong relay password or our IP on a block list says
    ///   nothing about the recipient's address.
    public func flagsPartner(errorType: String?, cause: FailureCause?) -> Bool {
        switch self {
        case .spam, .reject: return true
        case .hardBounce: return cause?.isHard ?? true
        case .error: return errorType != noRecipientErrorType && (cause?.isHard ?? false)
        case .sent, .delivered, .deferral, .softBounce, .open, .click, .unsub, .retry: return false
        }
    }

    /// Tie-break rank for events with the same timestamp: a later stage of a
    /// mail's life wins, so equal times resolve the same whatever the arrival order.
    public var rank: Int {
        switch self {
        case .retry: return 0
        case .sent: return 1
        case .deferral: return 2
        case .delivered: return 3
        case .open: return 4
        case .click: return 5
        case .softBounce: return 6
        case .error: return 7
        case .hardBounce: return 8
        case .reject: return 9
        case .spam: return 10
        case .unsub: return 11
        }
    }

    /// Parses a type name as written on the command line (`hard_bounce` or `hard-bounce`).
    public init?(name: String) {
        self.init(rawValue: name.lowercased().replacingOccurrences(of: "-", with: "_"))
    }
}

/// The ordering position of an event: timestamp, then type rank, then its unique
/// (source, key). Total and independent of arrival order.
public struct EventOrder: Sendable, Hashable, Comparable {
    public var timestamp: Double
    public var rank: Int
    /// `source + "\u{1}" + key`: unique per event, the final tie-break.
    public var tiebreak: String

    public init(timestamp: Double, rank: Int, tiebreak: String) {
        self.timestamp = timestamp
        self.rank = rank
        self.tiebreak = tiebreak
    }

    public init(timestamp: Double, type: EventType, source: String, key: String) {
        self.init(timestamp: timestamp, rank: type.rank, tiebreak: source + "\u{1}" + key)
    }

    public static func < (a: EventOrder, b: EventOrder) -> Bool {
        if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
        if a.rank != b.rank { return a.rank < b.rank }
        return a.tiebreak < b.tiebreak
    }
}

/// What the state rule needs to know of one event.
public struct EventFacts: Sendable, Hashable {
    public var type: EventType
    public var order: EventOrder
    /// A machine open (image proxy, privacy prefetch): kept, never moves the state.
    public var machine: Bool
    public var smtpServer: String?
    public var errorType: String?
    public var errorDescription: String?
    public var bounceType: String?
    public var bounceDescription: String?
    /// Why a failure or deferral happened; nil for other events and for history not yet classified.
    public var cause: FailureCause?

    public init(
        type: EventType, order: EventOrder, machine: Bool = false, smtpServer: String? = nil,
        errorType: String? = nil, errorDescription: String? = nil, bounceType: String? = nil,
        bounceDescription: String? = nil, cause: FailureCause? = nil
    ) {
        self.type = type
        self.order = order
        self.machine = machine
        self.smtpServer = smtpServer
        self.errorType = errorType
        self.errorDescription = errorDescription
        self.bounceType = bounceType
        self.bounceDescription = bounceDescription
        self.cause = cause
    }
}
