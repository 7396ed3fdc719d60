/// The outbox, as the sender (`chatter send`, the front's background sender) and
/// `chatter outbox` need it from a store (SQLite or PostgreSQL, the caller never knows
/// which).
///
/// An attempt is claimed (and committed as `sending`, with its start and Message-ID)
/// before the first byte leaves; its outcome is recorded right after the server's reply
/// (`OutboxRules.outcome`). An entry left in `sending` by a sender that died is settled by
/// `reconcileOutbox` (`OutboxRules.reconcile`). Two senders never claim the same entry:
/// the SQLite store has one sender at a time (its send lock); the PostgreSQL store lets
/// several run at once, each skipping the entries another holds, and reconciles only the
/// entries whose sender is gone.
public protocol OutboxRole: AnyObject, Sendable {
    /// Claims the entries of the next mail to send: the first due entry alone, or for a
    /// message sent as one shared mail every due entry of the same attempt with it (up to
    /// `maxRecipients`), all carrying one Message-ID. Empty: nothing is due.
    func claimDueMail(maxRecipients: Int) throws -> [OutboxJob]

    /// Claims up to `limit` due entries, each its own mail.
    func claimDueOutbox(limit: Int) throws -> [OutboxJob]

    /// When the next queued entry falls due (nil: nothing queued).
    func nextOutboxDue() throws -> Double?

    /// Records the outcome of each recipient of one mail, in one transaction; the records
    /// come back in the order given (`.stale`: the entry was no longer `sending`).
    /// `pixelURL`: the pixel URL the mail carried, stamped on each accepted row.
    func recordOutcomes(_ outcomes: [(job: OutboxJob, outcome: SendOutcome)], pixelURL: String?, policy: RetryPolicy)
        throws -> [OutcomeRecord]

    /// Records one attempt's outcome (a mail of one recipient).
    func recordOutcome(_ job: OutboxJob, _ outcome: SendOutcome, policy: RetryPolicy) throws -> OutcomeRecord

    /// The attempts left in `sending` by a sender that died, for a `DeliveryEvidence` to look up.
    func interruptedAttempts() throws -> [InterruptedAttempt]

    /// Settles the entries a dead sender left in `sending`, in one transaction.
    func reconcileOutbox(evidence: [Int64: AttemptEvidence]) throws -> ReconcileReport

    /// What the outbox still has to do: entries queued, being sent, and queued again after a failed attempt.
    func outboxPending() throws -> (queued: Int, sending: Int, failing: Int)

    /// Outbox entries, newest first; optionally one status, only possible duplicates, one message's.
    func outboxEntries(status: OutboxStatus?, possibleDuplicatesOnly: Bool, messageId: Int64?, limit: Int) throws
        -> [OutboxEntry]

    /// Counts of outbox entries by status, plus the possible duplicates.
    func outboxCounts() throws -> (byStatus: [OutboxStatus: Int], possibleDuplicates: Int)
}

extension OutboxRole {
    /// `recordOutcomes` of one outcome, for a store that has nothing better.
    public func recordOutcome(_ job: OutboxJob, _ outcome: SendOutcome, policy: RetryPolicy) throws -> OutcomeRecord {
        try recordOutcomes([(job, outcome)], pixelURL: nil, policy: policy).first ?? .stale
    }
}
