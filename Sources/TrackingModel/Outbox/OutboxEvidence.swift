/// One attempt a dead sender left in `sending`: what an outside record (the MTA's
/// log) needs to say whether the server took that mail.
public struct InterruptedAttempt: Sendable, Hashable {
    /// The outbox entry and its tracking row.
    public var outboxId: Int64
    public var trackingId: Int64
    /// The attempt number and when it started (recorded at claim time, before any byte left).
    public var attempt: Int
    public var startedAt: Double
    /// The Message-ID the attempt carried, without brackets (recorded at claim time).
    public var messageIdHeader: String
    /// The token the mail carried (the tracking row's, or the message's shared one for a shared
    /// mail) and the author's address: the sender derives the attempt's envelope sender (VERP)
    /// from them and its settings.
    public var token: String?
    public var authorEmail: String?
    /// The envelope sender the attempt used; set by the sender (nil: unknown).
    public var envelopeFrom: String?

    public init(
        outboxId: Int64, trackingId: Int64, attempt: Int, startedAt: Double, messageIdHeader: String, token: String?,
        authorEmail: String?, envelopeFrom: String? = nil
    ) {
        self.outboxId = outboxId
        self.trackingId = trackingId
        self.attempt = attempt
        self.startedAt = startedAt
        self.messageIdHeader = messageIdHeader
        self.token = token
        self.authorEmail = authorEmail
        self.envelopeFrom = envelopeFrom
    }
}

/// What an outside record says about one interrupted attempt.
public enum AttemptEvidence: Sendable, Hashable {
    /// The server took the mail: its queue id, when it logged taking it, and the record's name
    /// (it becomes the `sent` event's server, e.g. `postfix log`).
    case accepted(queueId: String, at: Double, source: String)
    /// The record covers the whole attempt (it goes on past the latest time the attempt could
    /// have reached the server) and the mail is not in it: the server never took it.
    case absent(coveredUntil: Double, source: String)
}

/// Something outside the sender that can tell whether the server took an interrupted
/// attempt's mail (the local Postfix log). Asked by the sender before reconciliation;
/// its answers go to the store's `reconcileOutbox(evidence:)` (`OutboxRole`).
public protocol DeliveryEvidence: Sendable {
    /// Evidence by outbox id for the attempts it can speak about; an attempt it cannot
    /// speak about (no record, record does not cover it, mail seen but not committed) is left out.
    func evidence(for attempts: [InterruptedAttempt]) throws -> [Int64: AttemptEvidence]
}

/// The way reconciliation settled one entry left in `sending`.
public enum ReconcilePath: Sendable, Hashable {
    /// The MTA's log shows the server took it: marked sent with that queue id, not resent.
    case sentPerLog(queueId: String, source: String)
    /// A later outside signal (poller, DSN, pixel, webhook) reached its row: marked sent.
    case sentPerLaterSignal(source: String, type: String)
    /// The MTA's log covers the attempt and has no trace of it: resent, not flagged.
    case resentAbsentFromLog(source: String)
    /// Nothing tells: resent, flagged possible duplicate.
    case resentPossibleDuplicate

    /// One line for logs and `chatter send`.
    public var text: String {
        switch self {
        case .sentPerLog(let queueId, let source): return "sent: found in the \(source) (queued as \(queueId))"
        case .sentPerLaterSignal(let source, let type): return "sent: \(source) reported \(type) after the attempt"
        case .resentAbsentFromLog(let source): return "resending: the \(source) covers the attempt and has no trace of it"
        case .resentPossibleDuplicate: return "resending, flagged possible duplicate: the server may already have it"
        }
    }
}

/// What reconciliation did with one entry.
public struct ReconcileDecision: Sendable, Hashable {
    public var outboxId: Int64
    public var trackingId: Int64
    public var path: ReconcilePath

    public init(outboxId: Int64, trackingId: Int64, path: ReconcilePath) {
        self.outboxId = outboxId
        self.trackingId = trackingId
        self.path = path
    }
}
