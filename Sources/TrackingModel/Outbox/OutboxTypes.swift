import Foundation

/// Why an outbox entry exists: the first send of a posted message, or a user's Retry.
public enum OutboxKind: String, Sendable, Hashable, CaseIterable {
    case send
    case retry
}

/// Where an outbox entry is in its life.
public enum OutboxStatus: String, Sendable, Hashable, CaseIterable {
    /// Waiting for its `next_attempt_at`.
    case queued
    /// Claimed by a sender; the attempt was recorded before the first byte went out.
    case sending
    /// The server took it (a `sent` event was recorded).
    case sent
    /// Given up: refused (5xx), expired after 4xx, or no address (an `error` event was recorded).
    case failed
    /// Dropped by a user before it went out.
    case cancelled
}

/// One recipient's entry claimed from the outbox: everything the MIME builder
/// needs. A mail is one job (one mail per recipient) or, for a message sent as
/// one shared mail, every job `claimDueMail` claimed together.
public struct OutboxJob: Sendable, Hashable {
    /// The outbox row.
    public var id: Int64
    public var kind: OutboxKind
    /// Attempts so far, the claimed one included.
    public var attempt: Int
    /// When the entry was queued (the maximum age counts from here).
    public var queuedAt: Double
    /// Set when an earlier attempt's outcome was unknown (crash, timeout after DATA).
    public var possibleDuplicate: Bool
    /// The tracking row this entry is for.
    public var trackingId: Int64
    /// The open-tracking pixel token; nil for legacy rows.
    public var token: String?
    /// The recipient as shown (`Name <a@b>`), and its address (nil: nothing to send to).
    public var recipient: String
    public var address: String?
    /// The message's row id, date, subject, body and raw To / Cc strings as typed.
    public var messageRowId: Int64
    public var date: Double
    public var subject: String
    public var body: String
    public var emailTo: String
    public var emailCc: String
    /// The author (name and address; the address may be missing).
    public var authorName: String
    public var authorEmail: String?
    /// The Message-ID this attempt carries, without brackets: the message's own
    /// for a first send (kept by automatic retries), a new one for a user Retry.
    public var messageIdHeader: String
    /// Message-IDs of the thread's earlier messages, oldest first (References;
    /// the last one is In-Reply-To).
    public var references: [String]
    /// The thread switched the pixel off (`tracking_img_disabled`).
    public var pixelDisabled: Bool
    /// The message's shared-mail token (migration `v4-shared-mail`): set when the
    /// message goes out as one mail to all its recipients, with one shared pixel;
    /// nil for one mail per recipient.
    public var sharedToken: String? = nil

    public init(
        id: Int64, kind: OutboxKind, attempt: Int, queuedAt: Double, possibleDuplicate: Bool, trackingId: Int64,
        token: String?, recipient: String, address: String?, messageRowId: Int64, date: Double, subject: String,
        body: String, emailTo: String, emailCc: String, authorName: String, authorEmail: String?,
        messageIdHeader: String, references: [String], pixelDisabled: Bool, sharedToken: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.attempt = attempt
        self.queuedAt = queuedAt
        self.possibleDuplicate = possibleDuplicate
        self.trackingId = trackingId
        self.token = token
        self.recipient = recipient
        self.address = address
        self.messageRowId = messageRowId
        self.date = date
        self.subject = subject
        self.body = body
        self.emailTo = emailTo
        self.emailCc = emailCc
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.messageIdHeader = messageIdHeader
        self.references = references
        self.pixelDisabled = pixelDisabled
        self.sharedToken = sharedToken
    }
}

/// What one attempt came to, as the transport saw it.
public enum SendOutcome: Sendable, Hashable {
    /// Accepted; `queueId` is the server's (from `250 … queued as ID`), when it gave one.
    case accepted(server: String, queueId: String?, reply: String)
    /// A temporary failure (4xx, connection trouble, a timeout): try again later.
    /// `ambiguous` when the data had been sent and no final reply came: the
    /// server may have taken it, so the next attempt is a possible duplicate.
    case transient(server: String, reply: String, ambiguous: Bool)
    /// Refused for good (5xx): `errorType` names the stage, `reply` is the server's text.
    case permanent(server: String, errorType: String, reply: String)
}

/// When to try again after a temporary failure, and when to give up.
public struct RetryPolicy: Sendable, Hashable {
    /// Delay after the first temporary failure, seconds; doubles with each attempt.
    public var firstBackoff: Double
    /// The longest delay between two attempts.
    public var maxBackoff: Double
    /// Give up (an `error` event) once the entry is older than this, seconds.
    public var maxAge: Double

    public init(firstBackoff: Double = 60, maxBackoff: Double = 3600, maxAge: Double = 5 * 86400) {
        self.firstBackoff = firstBackoff
        self.maxBackoff = maxBackoff
        self.maxAge = maxAge
    }

    /// The delay before attempt `attempt + 1` after `attempt` temporary failures; at least a
    /// second, so the next attempt's `sent` (stamped with its start second) follows the `deferral`.
    public func backoff(afterAttempt attempt: Int) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        return max(1, min(maxBackoff, firstBackoff * pow(2, exponent)))
    }
}

/// What recording an outcome did to the outbox entry.
public enum OutcomeRecord: Sendable, Hashable {
    /// `sent` event recorded.
    case sent
    /// `deferral` event recorded; next attempt at this time.
    case deferred(nextAttemptAt: Double)
    /// `error` event recorded (refused, or too old to keep retrying).
    case failed
    /// The entry was no longer `sending` (cancelled, or reconciled by someone else): nothing written.
    case stale
}

/// What start-up reconciliation did with entries left in `sending` by a sender that died.
public struct ReconcileReport: Sendable, Hashable {
    /// Each entry and the path it took, in outbox order.
    public var decisions: [ReconcileDecision] = []

    public init() {}

    /// Requeued and flagged possible duplicate (the server may have the mail already).
    public var requeuedPossibleDuplicates: [Int64] {
        decisions.filter { $0.path == .resentPossibleDuplicate }.map(\.outboxId)
    }

    /// Requeued unflagged: the MTA's log covers the attempt and has no trace of it.
    public var requeuedAbsentFromLog: [Int64] {
        decisions.filter { if case .resentAbsentFromLog = $0.path { true } else { false } }.map(\.outboxId)
    }

    /// Marked sent: the MTA's log or a later signal (poller, DSN, pixel) shows the server had it.
    public var confirmedSent: [Int64] {
        decisions.filter {
            switch $0.path {
            case .sentPerLog, .sentPerLaterSignal: true
            case .resentAbsentFromLog, .resentPossibleDuplicate: false
            }
        }.map(\.outboxId)
    }
}

/// One outbox entry as `chatter outbox` lists it.
public struct OutboxEntry: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var messageId: Int64
    public var trackingId: Int64
    public var recipient: String
    public var kind: OutboxKind
    public var status: OutboxStatus
    public var attempts: Int
    public var queuedAt: Double
    public var nextAttemptAt: Double
    public var possibleDuplicate: Bool
    public var queueId: String?
    public var messageIdHeader: String?
    public var lastError: String?
    /// The message goes out as one mail to all its recipients with a shared
    /// pixel (`--one-mail`), not one mail per recipient.
    public var sharedMail: Bool

    public init(
        id: Int64, messageId: Int64, trackingId: Int64, recipient: String, kind: OutboxKind, status: OutboxStatus,
        attempts: Int, queuedAt: Double, nextAttemptAt: Double, possibleDuplicate: Bool, queueId: String?,
        messageIdHeader: String?, lastError: String?, sharedMail: Bool
    ) {
        self.id = id
        self.messageId = messageId
        self.trackingId = trackingId
        self.recipient = recipient
        self.kind = kind
        self.status = status
        self.attempts = attempts
        self.queuedAt = queuedAt
        self.nextAttemptAt = nextAttemptAt
        self.possibleDuplicate = possibleDuplicate
        self.queueId = queueId
        self.messageIdHeader = messageIdHeader
        self.lastError = lastError
        self.sharedMail = sharedMail
    }
}
