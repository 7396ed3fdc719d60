import GRDB
import TrackingModel

extension TrackingStore {
    /// Records what an attempt came to, in one transaction with its event:
    /// accepted → `sent` (server, queue id on the entry and the tracking row);
    /// temporary → `deferral` and back to queued after the policy's backoff, or
    /// `error` (type `expired`) once the entry is older than the maximum age;
    /// refused → `error` with the server's reply (the state rule flags the partner).
    /// An entry that is no longer `sending` is left alone (`.stale`). The rules are `OutboxRules`'.
    public func recordOutcome(_ job: OutboxJob, _ outcome: SendOutcome, policy: RetryPolicy) throws(StoreError)
        -> OutcomeRecord
    {
        try recordOutcomes([(job, outcome)], pixelURL: nil, policy: policy).first ?? .stale
    }

    /// Records the outcome of each recipient of one mail (a shared mail has one
    /// per RCPT reply), as `recordOutcome` does for each, all in one transaction:
    /// after a crash either every row of the mail shows its outcome or none does.
    /// The records come back in the order given.
    ///
    /// - Parameter pixelURL: the pixel URL the mail carried (a shared mail's one URL is
    ///   every recipient's); stamped on each accepted row, so listings show the URL the
    ///   mail really has. Nil: the mail went without a pixel (a stamp of an earlier
    ///   attempt is cleared, since this mail is the one the recipient has).
    public func recordOutcomes(
        _ outcomes: [(job: OutboxJob, outcome: SendOutcome)], pixelURL: String? = nil, policy: RetryPolicy
    ) throws(StoreError) -> [OutcomeRecord] {
        let now = self.now
        return try write { db in
            try outcomes.map { try Self.record(db, $0.job, $0.outcome, pixelURL: pixelURL, policy: policy, now: now) }
        }
    }

    private static func record(
        _ db: Database, _ job: OutboxJob, _ outcome: SendOutcome, pixelURL: String?, policy: RetryPolicy, now: Double
    ) throws -> OutcomeRecord {
        guard let entry = try Row.fetchOne(
            db, sql: "SELECT status, attempt_started_at FROM outbox WHERE id = ?", arguments: [job.id]),
            (entry["status"] as String?) == OutboxStatus.sending.rawValue
        else { return .stale }
        let write = OutboxRules.outcome(
            job, outcome, attemptStartedAt: entry["attempt_started_at"] ?? now, policy: policy, now: now)
        try apply(db, write, outboxId: job.id, trackingId: job.trackingId, now: now)
        if case .sent = write.record {
            try db.execute(
                sql: "UPDATE trackings SET pixel_url = ? WHERE id = ?", arguments: [pixelURL, job.trackingId])
        }
        return write.record
    }

    /// Carries out what `OutboxRules` decided for one entry: the tracking row's event (with
    /// the queue id an accepted result keeps on the row), then the entry's change.
    static func apply(_ db: Database, _ write: OutboxWrite, outboxId: Int64, trackingId: Int64, now: Double) throws {
        if let queueId = write.result?.queueId {
            try db.execute(sql: "UPDATE trackings SET queue_id = ? WHERE id = ?", arguments: [queueId, trackingId])
        }
        if let event = write.event { _ = try EventApplier(db: db, now: now).apply(event) }
        switch write.entry {
        case .sent(let queueId, let note, let at):
            try db.execute(
                sql: "UPDATE outbox SET status = 'sent', queue_id = ?, finished_at = ?, last_error = ? WHERE id = ?",
                arguments: [queueId, at, note, outboxId])
        case .requeued(let next, let lastError, let possibleDuplicate, let finishedAt):
            try db.execute(
                sql: """
                    UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error = ?,
                      possible_duplicate = possible_duplicate OR ?, finished_at = ?
                    WHERE id = ?
                    """, arguments: [next, lastError, possibleDuplicate, finishedAt, outboxId])
        case .failed(let lastError, let at):
            try db.execute(
                sql: "UPDATE outbox SET status = 'failed', last_error = ?, finished_at = ? WHERE id = ?",
                arguments: [lastError, at, outboxId])
        }
    }

    /// Said on the `sent` event of an entry flagged possible duplicate (`OutboxRules.possibleDuplicateNote`).
    public static let possibleDuplicateNote = OutboxRules.possibleDuplicateNote

    /// The event source of everything the sender records (`OutboxRules.source`).
    public static let outboxSource = OutboxRules.source
}
