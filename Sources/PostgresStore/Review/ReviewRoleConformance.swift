import TrackingModel

/// The PostgreSQL store plays review, retry, the address fix and the audit log for
/// synchronous callers (the CLI, the front): each use case is its async operation run
/// through `BlockingCall`.
extension PostgresStore: ReviewRole {
    public func review(_ scope: ReviewScope, by actor: Int64) throws -> [Int64] {
        try BlockingCall.run { try await self.reviewMessages(scope, by: actor) }
    }

    public func reviewPreview(_ scope: ReviewScope, by actor: Int64) throws -> [Int64] {
        try BlockingCall.run { try await self.previewReview(scope, by: actor) }
    }

    public func unreview(_ messageIds: [Int64], by actor: Int64) throws -> [Int64] {
        try BlockingCall.run { try await self.unreviewMessages(messageIds, by: actor) }
    }

    public func retryPlan(messageId: Int64, selection: RetrySelection) throws -> RetryPlan {
        try BlockingCall.run { try await self.dryRun(messageId: messageId, selection: selection) }
    }

    public func retry(messageId: Int64, selection: RetrySelection, by actor: Int64) throws -> RetryResult {
        try BlockingCall.run { try await self.retryMessage(messageId: messageId, selection: selection, by: actor) }
    }

    public func retryPlans(for user: Int64, filter: FailureFilter) throws -> [RetryPlan] {
        try BlockingCall.run { try await self.groupPlans(for: user, filter: filter) }
    }

    public func retry(filter: FailureFilter, by actor: Int64) throws -> [RetryResult] {
        try BlockingCall.run { try await self.retryGroup(filter, by: actor) }
    }

    public func changePartnerEmail(id: Int64, email: String, by actor: Int64) throws -> PartnerCard {
        try BlockingCall.run { try await self.changeEmail(partnerId: id, email: email, by: actor) }
    }

    public func auditLog(messageId: Int64) throws -> [AuditEntry] {
        try BlockingCall.run { try await self.auditEntries(messageId: messageId) }
    }
}
