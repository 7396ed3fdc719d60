/// What a user does to failed mail, as the front and the CLI ask it of a store (the
/// SQLite file or the PostgreSQL server; the caller never knows which): set messages as
/// reviewed and undo it, plan and run a Retry, fix a partner's address before a resend,
/// and read the audit log these leave.
///
/// The rules are the same in every store (README "The rules"): each call is one
/// transaction; a review changes only `needs_action` (tracking states stay); a retry sets
/// the chosen failed rows back to waiting with a `retry` event and queues one outbox entry
/// each, executing the plan `retryPlan` shows, decided inside the same transaction;
/// every change is written to the audit log.
public protocol ReviewRole: UserLookup {
    /// Sets the scope's messages that need action as reviewed; returns those that changed.
    func review(_ scope: ReviewScope, by actor: Int64) throws -> [Int64]
    /// The ids `review` would set as reviewed (reads only).
    func reviewPreview(_ scope: ReviewScope, by actor: Int64) throws -> [Int64]
    /// Undoes a review: messages that still have a failed row need action again.
    func unreview(_ messageIds: [Int64], by actor: Int64) throws -> [Int64]
    /// The dry run of a Retry of one message: per failed recipient its checks and verdict.
    func retryPlan(messageId: Int64, selection: RetrySelection) throws -> RetryPlan
    /// Retry of one message's selected failed recipients (see the protocol's rules).
    func retry(messageId: Int64, selection: RetrySelection, by actor: Int64) throws -> RetryResult
    /// The plans of every message of a failure group of `user`'s Failed mailbox.
    func retryPlans(for user: Int64, filter: FailureFilter) throws -> [RetryPlan]
    /// Retry of every message of a failure group, in one transaction.
    func retry(filter: FailureFilter, by actor: Int64) throws -> [RetryResult]
    /// Fixes a partner's address (checked as `post` checks it); the flag, score and audit follow.
    func changePartnerEmail(id: Int64, email: String, by actor: Int64) throws -> PartnerCard
    /// The audit log of one message, oldest first.
    func auditLog(messageId: Int64) throws -> [AuditEntry]
}

extension ReviewRole {
    /// The dry run of a Retry of every failed recipient of a message.
    public func retryPlan(messageId: Int64) throws -> RetryPlan {
        try retryPlan(messageId: messageId, selection: .all)
    }
}
