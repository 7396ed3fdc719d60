import Foundation
import PostgresNIO
import TrackingModel

/// Outcomes and crash reconciliation on PostgreSQL: the same `OutboxRules` as the SQLite
/// store, carried out with the event applier that keeps counters exact under concurrent
/// writers (tracking rows locked in id order, counters moved by increments in SQL).
extension PostgresStore {
    /// Records the outcome of each recipient of one mail in one transaction, then lets go of
    /// their attempt locks (see `OutboxRole.recordOutcomes`).
    func recordMailOutcomes(
        _ outcomes: [(job: OutboxJob, outcome: SendOutcome)], pixelURL: String?, policy: RetryPolicy
    ) async throws(PostgresStoreError) -> [OutcomeRecord] {
        let now = self.now
        let items = outcomes.map { OutcomeItem(job: $0.job, outcome: $0.outcome) }
        return try await exclusive {
            let records = try await self.retryingTransaction { () async throws -> [OutcomeRecord] in
                var applier = PostgresEventApplier(store: self, now: now)
                var records = [OutcomeRecord](repeating: .stale, count: items.count)
                // Entries and their tracking rows are locked in id order, as every writer does.
                for (index, item) in items.enumerated().sorted(by: { $0.element.job.id < $1.element.job.id }) {
                    let job = item.job
                    guard
                        let entry = try await self.rows(
                            "SELECT status, attempt_started_at FROM outbox WHERE id = \(job.id) FOR UPDATE"
                        ).first,
                        case let (status, started) = try entry.decode((String, Double?).self),
                        status == OutboxStatus.sending.rawValue
                    else { continue }
                    let write = OutboxRules.outcome(
                        job, item.outcome, attemptStartedAt: started ?? now, policy: policy, now: now)
                    try await self.carryOut(write, outboxId: job.id, trackingId: job.trackingId, applier: &applier)
                    if case .sent = write.record {
                        try await self.execute("UPDATE trackings SET pixel_url = \(pixelURL) WHERE id = \(job.trackingId)")
                    }
                    records[index] = write.record
                }
                try await applier.flushCounters()
                if records.contains(where: { $0 != .stale }) { try await self.notifyChange("outbox") }
                return records
            }
            await self.unlockAttempts(items.map(\.job.id))
            return records
        }
    }

    /// The attempts left in `sending` by senders that are gone (their attempt lock unheld).
    func interrupted() async throws(PostgresStoreError) -> [InterruptedAttempt] {
        try await exclusive {
            try await self.rows(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT o.id, o.tracking_id, o.attempts, o.attempt_started_at, o.message_id_header,
                               COALESCE(m.shared_token, t.token), p.email
                        FROM outbox o
                        JOIN trackings t ON t.id = o.tracking_id
                        JOIN messages m ON m.id = o.message_id
                        JOIN partners p ON p.id = m.author_id
                        WHERE o.status = 'sending' AND \(AttemptLock.unheld) ORDER BY o.id
                        """)
            ).compactMap { row -> InterruptedAttempt? in
                let (id, tid, attempts, started, header, token, author) = try row.decode(
                    (Int64, Int64, Int64, Double?, String?, String?, String?).self)
                // An entry claimed by this build always has its Message-ID recorded.
                guard let header else { return nil }
                return InterruptedAttempt(
                    outboxId: id, trackingId: tid, attempt: Int(attempts), startedAt: started ?? 0, messageIdHeader: header,
                    token: token, authorEmail: author)
            }
        }
    }

    /// Settles the entries whose sender is gone, in one transaction (see `OutboxRole.reconcileOutbox`):
    /// an entry a live sender holds is never touched, and one another reconciler is settling is skipped.
    func reconcile(evidence: [Int64: AttemptEvidence]) async throws(PostgresStoreError) -> ReconcileReport {
        let now = self.now
        return try await exclusive {
            try await self.retryingTransaction { () async throws -> ReconcileReport in
                var report = ReconcileReport()
                var applier = PostgresEventApplier(store: self, now: now)
                let rows = try await self.rows(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT o.id, o.tracking_id, o.attempts, o.attempt_started_at, t.address FROM outbox o
                            JOIN trackings t ON t.id = o.tracking_id
                            WHERE o.status = 'sending' AND \(AttemptLock.unheld)
                            ORDER BY o.id FOR UPDATE OF o SKIP LOCKED
                            """))
                for row in rows {
                    let (id, tid, attempts, started, address) = try row.decode((Int64, Int64, Int64, Double?, String?).self)
                    let attempt = SendingAttempt(
                        outboxId: id, trackingId: tid, attempt: Int(attempts), startedAt: started ?? 0, address: address)
                    let seen = try await self.laterSignal(trackingId: tid, since: attempt.startedAt)
                    let (path, write) = OutboxRules.reconcile(attempt, evidence: evidence[id], now: now) { seen }
                    try await self.carryOut(write, outboxId: id, trackingId: tid, applier: &applier)
                    report.decisions.append(ReconcileDecision(outboxId: id, trackingId: tid, path: path))
                }
                try await applier.flushCounters()
                if !report.decisions.isEmpty { try await self.notifyChange("outbox") }
                return report
            }
        }
    }

    /// The first signal from outside the sender that reached a tracking row since `since`.
    private func laterSignal(trackingId: Int64, since: Double) async throws -> (source: String, type: String)? {
        try await rows(
            """
            SELECT source, type FROM events
            WHERE tracking_id = \(trackingId) AND recorded_at >= \(since) AND source <> ALL(\(OutboxRules.ownSources))
            ORDER BY recorded_at LIMIT 1
            """
        ).first.map { try $0.decode((String, String).self) }.map { (source: $0.0, type: $0.1) }
    }

    /// Carries out what `OutboxRules` decided for one entry: the tracking row's event (with the
    /// queue id an accepted result keeps on the row), then the entry's change.
    private func carryOut(
        _ write: OutboxWrite, outboxId: Int64, trackingId: Int64, applier: inout PostgresEventApplier
    ) async throws {
        if let queueId = write.result?.queueId {
            try await execute("UPDATE trackings SET queue_id = \(queueId) WHERE id = \(trackingId)")
        }
        if let event = write.event {
            var report = ApplyReport()
            try await applier.apply(event, into: &report)
        }
        switch write.entry {
        case .sent(let queueId, let note, let at):
            try await execute(
                """
                UPDATE outbox SET status = 'sent', queue_id = \(queueId), finished_at = \(at), last_error = \(note)
                WHERE id = \(outboxId)
                """)
        case .requeued(let next, let lastError, let possibleDuplicate, let finishedAt):
            let flag: Int64 = possibleDuplicate ? 1 : 0
            try await execute(
                """
                UPDATE outbox SET status = 'queued', next_attempt_at = \(next), last_error = \(lastError),
                  possible_duplicate = greatest(possible_duplicate, \(flag)), finished_at = \(finishedAt)
                WHERE id = \(outboxId)
                """)
        case .failed(let lastError, let at):
            try await execute(
                "UPDATE outbox SET status = 'failed', last_error = \(lastError), finished_at = \(at) WHERE id = \(outboxId)")
        }
    }
}

/// One outcome to record (the role's tuple, made a value the transaction can capture).
private struct OutcomeItem: Sendable {
    var job: OutboxJob
    var outcome: SendOutcome
}
