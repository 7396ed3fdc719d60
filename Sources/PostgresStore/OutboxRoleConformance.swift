import TrackingModel

/// The PostgreSQL store plays posting and the outbox for synchronous callers (the sender,
/// `chatter post`): each use case is its async operation run through `BlockingCall`.
extension PostgresStore: PostingRole, OutboxRole {
    public func post(_ request: PostRequest) throws -> PostResult {
        try BlockingCall.run { try await self.postMessage(request, queueSharedMail: nil).post }
    }

    public func postAndQueue(_ request: PostRequest, sharedMail: Bool) throws -> (post: PostResult, outboxIds: [Int64]) {
        try BlockingCall.run { try await self.postMessage(request, queueSharedMail: sharedMail) }
    }

    public func queueSend(messageId: Int64, by actor: Int64, sharedMail: Bool) throws -> [Int64] {
        try BlockingCall.run { try await self.queueMessage(messageId: messageId, by: actor, sharedMail: sharedMail) }
    }

    public func user(email: String, name: String?) throws -> PartnerRef {
        try BlockingCall.run { try await self.ensureUser(email: email, name: name) }
    }

    public func claimDueMail(maxRecipients: Int) throws -> [OutboxJob] {
        try BlockingCall.run { try await self.claimMail(maxRecipients: maxRecipients) }
    }

    public func claimDueOutbox(limit: Int) throws -> [OutboxJob] {
        try BlockingCall.run { try await self.claimOutbox(limit: limit) }
    }

    public func nextOutboxDue() throws -> Double? {
        try BlockingCall.run { try await self.nextDue() }
    }

    public func recordOutcomes(
        _ outcomes: [(job: OutboxJob, outcome: SendOutcome)], pixelURL: String?, policy: RetryPolicy
    ) throws -> [OutcomeRecord] {
        let items = outcomes.map { OutcomeInput(job: $0.job, outcome: $0.outcome) }
        return try BlockingCall.run {
            try await self.recordMailOutcomes(items.map { ($0.job, $0.outcome) }, pixelURL: pixelURL, policy: policy)
        }
    }

    public func interruptedAttempts() throws -> [InterruptedAttempt] {
        try BlockingCall.run { try await self.interrupted() }
    }

    public func reconcileOutbox(evidence: [Int64: AttemptEvidence]) throws -> ReconcileReport {
        try BlockingCall.run { try await self.reconcile(evidence: evidence) }
    }

    public func outboxPending() throws -> (queued: Int, sending: Int, failing: Int) {
        try BlockingCall.run { try await self.pending() }
    }

    public func outboxEntries(status: OutboxStatus?, possibleDuplicatesOnly: Bool, messageId: Int64?, limit: Int) throws
        -> [OutboxEntry]
    {
        try BlockingCall.run {
            try await self.entries(
                status: status, possibleDuplicatesOnly: possibleDuplicatesOnly, messageId: messageId, limit: limit)
        }
    }

    public func outboxCounts() throws -> (byStatus: [OutboxStatus: Int], possibleDuplicates: Int) {
        try BlockingCall.run { try await self.counts() }
    }
}

/// One outcome handed across to the async store (a tuple of a closure's capture must be a value).
private struct OutcomeInput: Sendable {
    var job: OutboxJob
    var outcome: SendOutcome
}
