/// The outbox's rules, the same in every store: what recording an attempt's outcome and
/// settling an interrupted attempt write (which event on the tracking row, what becomes
/// of the outbox entry). A store only runs the statements that carry them out, so the
/// SQLite and PostgreSQL stores cannot drift apart.
public enum OutboxRules {
    /// The event source of everything the sender records.
    public static let source = "outbox"

    /// Said on the `sent` event of an entry flagged possible duplicate, so the
    /// recipient's timeline (front, `chatter events`) shows it, not only `chatter outbox`.
    public static let possibleDuplicateNote =
        "possible duplicate: an earlier attempt's outcome is unknown, the recipient may get this mail twice"

    /// When a `sent` event is stamped: the second its attempt started. The MTA logs the mail's
    /// later lines (delivered, bounced, deferred) with whole-second timestamps, sometimes before
    /// the reply reaches us; nothing of them precedes the attempt start, so `sent` stamped at that
    /// second orders before them (a tie goes by rank: `sent` first). An earlier attempt's
    /// `deferral` is at least one backoff (≥ 1 s) older.
    public static func sentTime(attemptStartedAt started: Double) -> Double { started.rounded(.down) }

    /// The key of an attempt's events: `OUTBOX_ID:ATTEMPT` (an attempt recorded twice is one event).
    public static func attemptKey(outboxId: Int64, attempt: Int) -> String { "\(outboxId):\(attempt)" }

    /// What recording `outcome` for a claimed `job` writes, the entry being still `sending`
    /// (a store returns `.stale` without writing otherwise): accepted → `sent`; temporary →
    /// `deferral` and queued again after the policy's backoff, or `error` (type `expired`)
    /// once the entry is older than the maximum age; refused → `error` with the server's reply.
    public static func outcome(
        _ job: OutboxJob, _ outcome: SendOutcome, attemptStartedAt started: Double, policy: RetryPolicy, now: Double
    ) -> OutboxWrite {
        let key = attemptKey(outboxId: job.id, attempt: job.attempt)
        switch outcome {
        case .accepted(let server, let queueId, _):
            return OutboxWrite(
                result: .sent(server: server, queueId: queueId),
                event: SMTPResult.sent(server: server, queueId: queueId).event(
                    trackingId: job.trackingId, address: job.address, at: sentTime(attemptStartedAt: started),
                    source: source, key: key, note: job.possibleDuplicate ? possibleDuplicateNote : nil),
                entry: .sent(queueId: queueId, note: nil, at: now), record: .sent)
        case .transient(let server, let reply, let ambiguous):
            if now - job.queuedAt >= policy.maxAge {
                return failure(
                    job, key: key, server: server, errorType: "expired",
                    text: "gave up after \(job.attempt) attempts: \(reply)", now: now)
            }
            let next = now + policy.backoff(afterAttempt: job.attempt)
            return OutboxWrite(
                result: nil,
                event: NewEvent(
                    trackingId: job.trackingId, type: .deferral, timestamp: now, source: source, key: "deferral:" + key,
                    details: EventDetails(
                        recipient: job.address, smtpServer: server, errorDescription: reply,
                        cause: FailureClassifier.smtpDeferralCause(reply: reply))),
                entry: .requeued(nextAttemptAt: next, lastError: reply, possibleDuplicate: ambiguous, finishedAt: now),
                record: .deferred(nextAttemptAt: next))
        case .permanent(let server, let errorType, let reply):
            return failure(job, key: key, server: server, errorType: errorType, text: reply, now: now)
        }
    }

    private static func failure(
        _ job: OutboxJob, key: String, server: String, errorType: String, text: String, now: Double
    ) -> OutboxWrite {
        let result = SMTPResult.error(server: server, kind: errorType, description: text)
        return OutboxWrite(
            result: result,
            event: result.event(trackingId: job.trackingId, address: job.address, at: now, source: source, key: key),
            entry: .failed(lastError: text, at: now), record: .failed)
    }

    /// How start-up reconciliation settles one entry a dead sender left in `sending`, in order:
    /// 1. `evidence` says the server took it → a `sent` event with its queue id;
    /// 2. `laterSignal` (asked only then) finds a signal from outside the sender (poller, DSN,
    ///    pixel, webhook) that reached the row after the attempt started → marked sent;
    /// 3. `evidence` says the record covers the attempt and the mail is absent → requeued now,
    ///    not flagged (an earlier flag stays);
    /// 4. otherwise → requeued now, flagged possible duplicate: never dropped, never resent silently.
    public static func reconcile(
        _ attempt: SendingAttempt, evidence: AttemptEvidence?, now: Double,
        laterSignal: () throws -> (source: String, type: String)?
    ) rethrows -> (path: ReconcilePath, write: OutboxWrite) {
        let key = attemptKey(outboxId: attempt.outboxId, attempt: attempt.attempt)
        let path: ReconcilePath
        var result: SMTPResult?
        var at = sentTime(attemptStartedAt: attempt.startedAt)
        if case .accepted(let queueId, let loggedAt, let source) = evidence {
            result = .sent(server: source, queueId: queueId)
            at = max(loggedAt, at)
            path = .sentPerLog(queueId: queueId, source: source)
        } else if let seen = try laterSignal() {
            result = .sent(server: "reconciled", queueId: nil)
            path = .sentPerLaterSignal(source: seen.source, type: seen.type)
        } else if case .absent(_, let source) = evidence {
            path = .resentAbsentFromLog(source: source)
        } else {
            path = .resentPossibleDuplicate
        }
        let note = "sender stopped during attempt \(attempt.attempt); " + path.text
        let entry: OutboxEntryChange
        switch path {
        case .sentPerLog(let queueId, _): entry = .sent(queueId: queueId, note: note, at: now)
        case .sentPerLaterSignal: entry = .sent(queueId: nil, note: note, at: now)
        case .resentAbsentFromLog:
            entry = .requeued(nextAttemptAt: now, lastError: note, possibleDuplicate: false, finishedAt: nil)
        case .resentPossibleDuplicate:
            entry = .requeued(nextAttemptAt: now, lastError: note, possibleDuplicate: true, finishedAt: nil)
        }
        let event = result.map {
            $0.event(trackingId: attempt.trackingId, address: attempt.address, at: at, source: source, key: key)
        }
        return (path, OutboxWrite(result: result, event: event, entry: entry, record: .sent))
    }

    /// The sources whose events, arriving after an attempt started, show the server had its
    /// mail (anything from outside the sender: not the sender's own, a user's, or the post's).
    public static let ownSources = [source, "user", "post"]
}

/// One entry left in `sending`, as reconciliation reads it.
public struct SendingAttempt: Sendable, Hashable {
    public var outboxId: Int64
    public var trackingId: Int64
    public var attempt: Int
    public var startedAt: Double
    public var address: String?

    public init(outboxId: Int64, trackingId: Int64, attempt: Int, startedAt: Double, address: String?) {
        self.outboxId = outboxId
        self.trackingId = trackingId
        self.attempt = attempt
        self.startedAt = startedAt
        self.address = address
    }
}

/// What one outcome or reconciliation writes: the tracking row's event (nil: none), the SMTP
/// result it carries (its queue id is kept on the tracking row), the entry's change, and what
/// the caller is told.
public struct OutboxWrite: Sendable, Hashable {
    public var result: SMTPResult?
    public var event: NewEvent?
    public var entry: OutboxEntryChange
    public var record: OutcomeRecord
}

/// What becomes of an outbox entry.
public enum OutboxEntryChange: Sendable, Hashable {
    /// `sent` with the queue id (nil clears it), `last_error` set to `note`, finished at `at`.
    case sent(queueId: String?, note: String?, at: Double)
    /// `queued` again for `nextAttemptAt`, with `lastError`; `possibleDuplicate` sets the flag (never
    /// clears it); `finishedAt` is the attempt's end (nil: unknown).
    case requeued(nextAttemptAt: Double, lastError: String, possibleDuplicate: Bool, finishedAt: Double?)
    /// `failed` with `lastError`, finished at `at`.
    case failed(lastError: String, at: Double)
}
