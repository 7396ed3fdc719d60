/// What review, retry and the audit log take and give back, in every store.

/// Which failed recipients of a message a retry is about.
public enum RetrySelection: Sendable, Hashable {
    /// Every failed recipient.
    case all
    /// The failed recipients with these addresses (any form; compared normalized).
    /// Failed rows without an address cannot be named by address: they are always
    /// listed, as skipped, so the user sees them.
    case addresses([String])
    /// These failed tracking rows.
    case trackings([Int64])
}

/// Which messages "Set as reviewed" applies to.
public enum ReviewScope: Sendable, Hashable {
    /// These messages (one, or a selection).
    case messages([Int64])
    /// Every failed message of a thread.
    case thread(ThreadRef)
    /// Every failed message of the user (the whole Failed mailbox).
    case allMine
    /// Every failed message of the user with a failed recipient of this cause
    /// and/or receiving domain (a failure group `CAUSE/DOMAIN`).
    case group(FailureFilter)
}

/// What a Retry did.
public struct RetryResult: Sendable, Hashable {
    /// Tracking rows set back to waiting, each with an outbox entry queued.
    public var trackingIds: [Int64]
    /// The queued outbox entries.
    public var outboxIds: [Int64]
    /// Failed rows left alone because they have no address to send to.
    public var skippedNoAddress: [Int64]
    /// Failed rows left alone because a send of theirs is already queued or sending.
    public var skippedAlreadyQueued: [Int64]
    /// Failed rows left out because their address is suppressed by a spam
    /// complaint or unsubscribe and they were not named (verdict unticked).
    public var skippedSuppressed: [Int64] = []
    /// The plan the retry executed (checks, verdicts): its count is what was queued.
    public var plan: RetryPlan
    /// Failed rows of the message left failed (unticked, skipped or not selected):
    /// while there are any the message stays in Failed.
    public var leftFailed = 0

    public init(
        trackingIds: [Int64], outboxIds: [Int64], skippedNoAddress: [Int64], skippedAlreadyQueued: [Int64],
        skippedSuppressed: [Int64] = [], plan: RetryPlan, leftFailed: Int = 0
    ) {
        (self.trackingIds, self.outboxIds, self.skippedNoAddress) = (trackingIds, outboxIds, skippedNoAddress)
        (self.skippedAlreadyQueued, self.skippedSuppressed, self.plan, self.leftFailed) =
            (skippedAlreadyQueued, skippedSuppressed, plan, leftFailed)
    }
}

/// One line of the audit log: who reviewed, unreviewed or retried what, when.
public struct AuditEntry: Sendable, Hashable {
    public var id: Int64
    public var at: Double
    public var actorId: Int64?
    /// `review`, `unreview` or `retry`.
    public var action: String
    public var messageId: Int64
    public var trackingId: Int64?
    public var detail: String?

    public init(
        id: Int64, at: Double, actorId: Int64?, action: String, messageId: Int64, trackingId: Int64?, detail: String?
    ) {
        (self.id, self.at, self.actorId, self.action) = (id, at, actorId, action)
        (self.messageId, self.trackingId, self.detail) = (messageId, trackingId, detail)
    }
}
