/// What a parser makes of one delivery signal, before it is tied to a tracking row.
///
/// Every parser (Postfix log, DSN / ARF mail, provider JSON, our JSON lines)
/// produces these; the tie-back step resolves `tieBack` to a tracking id and the
/// store applies the result under (`source`, `key`), so re-reading is harmless.
public struct ParsedEvent: Sendable, Hashable {
    /// What kind of signal this is, or why it carries none.
    public enum Kind: Sendable, Hashable {
        /// A tracking event (README "The rules").
        case event(EventType)
        /// Parsed and understood, but not a delivery signal (auto-reply, vacation,
        /// informational provider record, our own bounce notification...).
        case ignored(IgnoredReason)
    }

    /// The parser family.
    public var source: SignalSource
    /// File the signal was read from (or a URL / `-` for stdin).
    public var path: String
    public var kind: Kind
    /// Unique key within `source`: the same signal read twice
    /// gives the same key.
    public var key: String
    /// UTC epoch seconds.
    public var timestamp: Double
    /// The recipient address as the signal names it (lower-cased).
    public var recipient: String?
    /// The final recipient a report names when it differs from `recipient` (a forward), else nil.
    public var finalRecipient: String?
    /// RFC 3463 enhanced status code (`5.1.1`), when known.
    public var status: String?
    /// Hard or soft, for bounces.
    public var bounceType: BounceType?
    /// Human text: the remote reply, the diagnostic code, the provider's message.
    public var description: String?
    /// A machine open (provider flag or known proxy / prefetch).
    public var machine: Bool
    /// The keys that tie this signal to a tracking row, strongest first.
    public var tieBack: TieBackKeys
    /// Further details for the event row (ip, user agent, url, smtp server, error and bounce texts...);
    /// the recipient and the bounce type are the fields above, never repeated here (the store's
    /// applier writes them into the row's details).
    public var details: EventDetails

    public init(
        source: SignalSource, path: String, kind: Kind, key: String, timestamp: Double, recipient: String? = nil,
        finalRecipient: String? = nil, status: String? = nil, bounceType: BounceType? = nil, description: String? = nil,
        machine: Bool = false, tieBack: TieBackKeys = TieBackKeys(), details: EventDetails = EventDetails()
    ) {
        self.source = source
        self.path = path
        self.kind = kind
        self.key = key
        self.timestamp = timestamp
        self.recipient = recipient
        self.finalRecipient = finalRecipient
        self.status = status
        self.bounceType = bounceType
        self.description = description
        self.machine = machine
        self.tieBack = tieBack
        self.details = details
    }
}

extension ParsedEvent.Kind {
    /// Hard / soft for a bounce, nil for the rest.
    public var bounceType: BounceType? {
        switch self {
        case .event(let type): return BounceType(of: type)
        case .ignored: return nil
        }
    }
}

extension ParsedEvent {
    /// The quarantined item of a signal whose time `EventTime` refuses at `now`, or nil when it is sane
    /// (the ingest and its dry run quarantine such a signal alike).
    public func outOfWindow(type: EventType, now: Double) -> QuarantineItem? {
        guard let reason = EventTime.problem(timestamp, now: now) else { return nil }
        let excerpt = [type.rawValue, "at \(timestamp)", recipient, tieBack.messageId]
            .compactMap { $0 }.joined(separator: " ")
        return QuarantineItem(source: source.rawValue, path: path, position: key, reason: reason, excerpt: excerpt)
    }

    /// Why a failure or deferral happened (carried in `details.cause`, the one field the store reads).
    public var cause: FailureCause? {
        get { details.cause }
        set { details.cause = newValue }
    }
}
