import GRDB
import TrackingModel

extension TrackingStore {
    /// Records what an attempt came to, in one transaction with its event:
    /// accepted → `sent` (server, queue id on the entry and the tracking row);
    /// temporary → `deferral` and back to queued after the policy's backoff, or
    /// `error` (type `expired`) once the entry is older than the maximum age;
    /// refused → `error` with the server's reply (the state rule flags the partner).
    /// An entry that is no longer `sending` is left alone (`.stale`).
    public func recordOutcome(_ job: OutboxJob, _ outcome: SendOutcome, policy: RetryPolicy) throws(StoreError)
        -> OutcomeRecord
    {
        try recordOutcomes([(job, outcome)], policy: policy).first ?? .stale
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
        let started: Double = entry["attempt_started_at"] ?? now
        let applier = EventApplier(db: db, now: now)
        let key = "\(job.id):\(job.attempt)"
        switch outcome {
        case .accepted(let server, let queueId, _):
            _ = try Self.applySMTPResult(
                db, applier, trackingId: job.trackingId, address: job.address, .sent(server: server, queueId: queueId),
                at: Self.sentTime(attemptStartedAt: started), source: Self.outboxSource, key: key,
                note: job.possibleDuplicate ? Self.possibleDuplicateNote : nil)
            try db.execute(
                sql: """
                    UPDATE outbox SET status = 'sent', queue_id = ?, finished_at = ?, last_error = NULL WHERE id = ?
                    """, arguments: [queueId, now, job.id])
            try db.execute(
                sql: "UPDATE trackings SET pixel_url = ? WHERE id = ?", arguments: [pixelURL, job.trackingId])
            return .sent
        case .transient(let server, let reply, let ambiguous):
            if now - job.queuedAt >= policy.maxAge {
                let text = "gave up after \(job.attempt) attempts: \(reply)"
                try Self.fail(db, applier, job, key: key, server: server, errorType: "expired", text: text, now: now)
                return .failed
            }
            _ = try applier.apply(
                NewEvent(
                    trackingId: job.trackingId, type: .deferral, timestamp: now, source: Self.outboxSource,
                    key: "deferral:" + key,
                    details: EventDetails(
                        recipient: job.address, smtpServer: server, errorDescription: reply,
                        cause: FailureClassifier.smtpDeferralCause(reply: reply))))
            let next = now + policy.backoff(afterAttempt: job.attempt)
            try db.execute(
                sql: """
                    UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error = ?,
                      possible_duplicate = possible_duplicate OR ?, finished_at = ?
                    WHERE id = ?
                    """, arguments: [next, reply, ambiguous, now, job.id])
            return .deferred(nextAttemptAt: next)
        case .permanent(let server, let errorType, let reply):
            try Self.fail(db, applier, job, key: key, server: server, errorType: errorType, text: reply, now: now)
            return .failed
        }
    }

    /// Said on the `sent` event of an entry flagged possible duplicate, so the
    /// recipient's timeline (front, `chatter events`) shows it, not only `chatter outbox`.
    public static let possibleDuplicateNote =
        "possible duplicate: an earlier attempt's outcome is unknown, the recipient may get this mail twice"

    /// When a `sent` event is stamped: the second its attempt started. The MTA logs the mail's
    /// later lines (delivered, bounced, deferred) with whole-second timestamps, sometimes before
    /// the reply reaches us; nothing of them precedes the attempt start, so `sent` stamped at that
    /// second orders before them (a tie goes by rank: `sent` first). An earlier attempt's
    /// `deferral` is at least one backoff (≥ 1 s) older.
    static func sentTime(attemptStartedAt started: Double) -> Double { started.rounded(.down) }

    /// The event source of everything the sender records.
    public static let outboxSource = "outbox"

    private static func fail(
        _ db: Database, _ applier: EventApplier, _ job: OutboxJob, key: String, server: String, errorType: String,
        text: String, now: Double
    ) throws {
        _ = try applySMTPResult(
            db, applier, trackingId: job.trackingId, address: job.address,
            .error(server: server, kind: errorType, description: text), at: now, source: outboxSource, key: key)
        try db.execute(
            sql: "UPDATE outbox SET status = 'failed', last_error = ?, finished_at = ? WHERE id = ?",
            arguments: [text, now, job.id])
    }
}
