/// What a Retry would do before it does it: per failed recipient, the checks
/// (bounced, suppressed, last events, already queued) and a verdict, plus the
/// dry-run count. The store builds it (`TrackingStore.retryPlan`) and `retry`
/// executes the same plan, so the count shown is the count queued; the CLI prints
/// it and the front's Retry dialog draws it. Pure values: the verdict and the
/// counts are computed here so every caller reads them the same way.
public struct RetryPlan: Sendable, Hashable {
    public var messageId: Int64
    /// The failed recipients the retry is about, in tracking id order.
    public var recipients: [RetryRecipient]

    public init(messageId: Int64, recipients: [RetryRecipient]) {
        self.messageId = messageId
        self.recipients = recipients
    }

    /// The dry-run count of the whole plan (every recipient as the store would treat
    /// it: unticked rows are not queued unless they were named).
    public var count: RetryCount { count(ticked: Set(sendable.map(\.trackingId))) }

    /// The dry-run count when only the `ticked` tracking rows are asked for: the
    /// others count as skipped (the front's dialog with the user's ticks).
    public func count(ticked: Set<Int64>) -> RetryCount {
        var c = RetryCount()
        for r in recipients {
            c.add(r.verdict, ticked: ticked.contains(r.trackingId))
        }
        return c
    }

    /// The recipients a retry queues (verdict send or warn; unticked and skipped rows stay).
    public var sendable: [RetryRecipient] { recipients.filter(\.verdict.ticksByDefault) }

    /// Failed rows this plan leaves failed (unticked or skipped).
    public var leftFailed: Int { recipients.count - sendable.count }
}

/// The dry-run count: mails that would be queued, recipients skipped, and how
/// many of the queued ones carry a warning.
public struct RetryCount: Sendable, Hashable {
    public var queue = 0
    public var skip = 0
    public var warnings = 0

    public init(queue: Int = 0, skip: Int = 0, warnings: Int = 0) {
        self.queue = queue
        self.skip = skip
        self.warnings = warnings
    }

    /// Counts one recipient: queued when asked for and sendable, else skipped.
    public mutating func add(_ verdict: RetryVerdict, ticked: Bool) {
        switch verdict {
        case .send where ticked: queue += 1
        case .warn where ticked:
            queue += 1
            warnings += 1
        case .unticked where ticked:
            queue += 1
            warnings += 1
        case .send, .warn, .unticked, .skip: skip += 1
        }
    }

    /// "resend 2 · skip 1 · 1 warning" (`separator` for ASCII screens).
    public func text(separator: String = "·") -> String {
        var parts = ["resend \(queue)", "skip \(skip)"]
        if warnings > 0 { parts.append(warnings == 1 ? "1 warning" : "\(warnings) warnings") }
        return parts.joined(separator: " \(separator) ")
    }
}

/// What a retry does with one recipient.
public enum RetryVerdict: String, Sendable, Hashable, CaseIterable, Codable {
    /// Queued, nothing against it.
    case send
    /// Queued, but a check says it will probably fail again (bounced, suppressed).
    case warn
    /// Not queued unless named: the address is suppressed by the person (a `spam`
    /// or `unsub` event). Offered unticked; ticking or naming it queues it with the warning.
    case unticked
    /// Not queued and cannot be (no address, or a send is already queued).
    case skip

    /// Queued when nobody chose otherwise (send and warn).
    public var ticksByDefault: Bool {
        switch self {
        case .send, .warn: return true
        case .unticked, .skip: return false
        }
    }
}

/// Why a recipient is skipped.
public enum RetrySkipReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// The row has no address (the partner has none: `no_recipient`).
    case noAddress = "no_address"
    /// An outbox entry for the row is already queued or being sent: a retry would duplicate it.
    case alreadyQueued = "already_queued"

    /// Words for screens.
    public var text: String {
        switch self {
        case .noAddress: return "no address"
        case .alreadyQueued: return "already queued"
        }
    }
}

/// Why an address counts as suppressed (see `TrackingStore.retryPlan` for the rule).
public enum Suppression: String, Sendable, Hashable, CaseIterable, Codable {
    /// A provider or the outgoing server refused to send to it.
    case reject
    /// The recipient reported a mail as spam.
    case spam
    /// The recipient unsubscribed.
    case unsub
}

/// A check that warns about resending (the mail is still queued).
public enum RetryWarning: Sendable, Hashable {
    /// The address is flagged bounced; `times` is how many hard failures (hard
    /// bounce, reject, spam, SMTP error) its rows have recorded.
    case bounced(times: Int)
    /// The address is suppressed.
    case suppressed(Suppression)

    /// A stable code for scripts: `address_bounced`, `suppressed_reject` …
    public var code: String {
        switch self {
        case .bounced: return "address_bounced"
        case .suppressed(let s): return "suppressed_\(s.rawValue)"
        }
    }

    /// Words for screens: "address bounced 3×", "suppressed (reject)".
    public func text(ascii: Bool = false) -> String {
        switch self {
        case .bounced(let n): return n > 0 ? "address bounced \(n)\(ascii ? "x" : "×")" : "address flagged bounced"
        case .suppressed(let s): return "suppressed (\(s.rawValue))"
        }
    }
}

/// One event of a recipient's recent history, as the checks show it.
public struct RetryEvent: Sendable, Hashable {
    public var type: EventType
    public var timestamp: Double
    public var source: String
    /// Error or bounce description, when the event has one.
    public var description: String?

    public init(type: EventType, timestamp: Double, source: String, description: String?) {
        self.type = type
        self.timestamp = timestamp
        self.source = source
        self.description = description
    }
}

/// One failed recipient in a retry plan, with its checks.
public struct RetryRecipient: Sendable, Hashable, Identifiable {
    public var trackingId: Int64
    /// Partner name, else the raw recipient.
    public var name: String
    /// Normalized address (nil: the partner has none).
    public var address: String?
    public var state: TrackingState?
    public var errorType: String?
    /// The bounce description, else the SMTP error description (as the message view shows it).
    public var errorDescription: String?
    /// The partner holding the address, if any.
    public var partnerId: Int64?
    /// The address is flagged bounced (partner `email_bounced`; without a partner, any hard failure recorded).
    public var bounced: Bool
    /// Failures that flag the address (hard bounce, reject, spam, address-side SMTP error) on its rows.
    public var hardFailures: Int
    /// The address's email score (nil without an address).
    public var score: Double?
    public var suppressed: Suppression?
    /// The row's last events, newest first (at most `RetryRecipient.eventLimit`).
    public var lastEvents: [RetryEvent]
    /// The outbox entry already queued or sending for this row, if any.
    public var pendingOutboxId: Int64?
    /// The row was named in the selection (`--recipient`, a tick): a suppressed
    /// address is then queued (with its warning) instead of left unticked.
    public var chosen: Bool
    /// Why the row failed (its side follows), nil when unknown.
    public var cause: FailureCause?

    /// How many recent events a plan carries per recipient.
    public static let eventLimit = 3

    public var id: Int64 { trackingId }

    public init(
        trackingId: Int64, name: String, address: String?, state: TrackingState?, errorType: String?,
        errorDescription: String?, partnerId: Int64?, bounced: Bool, hardFailures: Int, score: Double?,
        suppressed: Suppression?, lastEvents: [RetryEvent], pendingOutboxId: Int64?, cause: FailureCause? = nil,
        chosen: Bool = false
    ) {
        self.trackingId = trackingId
        self.name = name
        self.address = address
        self.state = state
        self.errorType = errorType
        self.errorDescription = errorDescription
        self.partnerId = partnerId
        self.bounced = bounced
        self.hardFailures = hardFailures
        self.score = score
        self.suppressed = suppressed
        self.lastEvents = lastEvents
        self.pendingOutboxId = pendingOutboxId
        self.cause = cause
        self.chosen = chosen
    }

    /// Why the row would be skipped (empty: it is queued).
    public var skipReasons: [RetrySkipReason] {
        var reasons: [RetrySkipReason] = []
        if address == nil { reasons.append(.noAddress) }
        if pendingOutboxId != nil { reasons.append(.alreadyQueued) }
        return reasons
    }

    /// What speaks against resending (the row is still queued).
    public var warnings: [RetryWarning] {
        var list: [RetryWarning] = []
        if bounced { list.append(.bounced(times: hardFailures)) }
        if let suppressed { list.append(.suppressed(suppressed)) }
        return list
    }

    /// Suppressed by the person (spam complaint or unsubscribe): never resent unless chosen.
    public var suppressedByPerson: Bool {
        switch suppressed {
        case .spam, .unsub: return true
        case .reject, nil: return false
        }
    }

    public var verdict: RetryVerdict {
        if !skipReasons.isEmpty { return .skip }
        if suppressedByPerson && !chosen { return .unticked }
        return warnings.isEmpty ? .send : .warn
    }

    /// Skip reasons then warnings, as stable codes for scripts.
    public var reasonCodes: [String] { skipReasons.map(\.rawValue) + warnings.map(\.code) }

    /// Skip reasons then warnings, in words.
    public func reasonTexts(ascii: Bool = false) -> [String] {
        skipReasons.map(\.text) + warnings.map { $0.text(ascii: ascii) }
    }
}
