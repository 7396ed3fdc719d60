import GRDB
import TrackingModel

extension TrackingStore {
    /// The attempts left in `sending` by a sender that died, for a `DeliveryEvidence`
    /// to look up before `reconcileOutbox(evidence:)` (run by the send-lock holder).
    public func interruptedAttempts() throws(StoreError) -> [InterruptedAttempt] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.tracking_id, o.attempts, o.attempt_started_at, o.message_id_header,
                           COALESCE(m.shared_token, t.token) AS token, p.email AS author_email
                    FROM outbox o
                    JOIN trackings t ON t.id = o.tracking_id
                    JOIN messages m ON m.id = o.message_id
                    JOIN partners p ON p.id = m.author_id
                    WHERE o.status = 'sending' ORDER BY o.id
                    """
            ).compactMap { row -> InterruptedAttempt? in
                // An entry claimed by this build always has its Message-ID recorded.
                guard let header: String = row["message_id_header"] else { return nil }
                return InterruptedAttempt(
                    outboxId: row["id"], trackingId: row["tracking_id"], attempt: row["attempts"],
                    startedAt: row["attempt_started_at"] ?? 0, messageIdHeader: header, token: row["token"],
                    authorEmail: row["author_email"])
            }
        }
    }

    /// Start-up reconciliation, to run by the one sender holding the store's send
    /// lock: every entry left in `sending` belongs to a sender that died between
    /// claiming it and recording the outcome, so the server may or may not have
    /// the mail. In order:
    /// 1. `evidence` says the server took it (the Postfix log has our Message-ID and
    ///    envelope under a committed queue id) → a `sent` event with that queue id;
    /// 2. a later signal from outside the sender (poller, DSN, pixel, webhook) reached
    ///    its tracking row after the attempt started → marked sent;
    /// 3. `evidence` says the record covers the attempt and the mail is absent → requeued
    ///    now, not flagged (its earlier flag, if any, stays);
    /// 4. otherwise → requeued now, flagged possible duplicate: never dropped, and never
    ///    resent silently.
    /// The rules are `OutboxRules.reconcile`'s.
    public func reconcileOutbox(evidence: [Int64: AttemptEvidence] = [:]) throws(StoreError) -> ReconcileReport {
        let now = self.now
        return try write { db in
            var report = ReconcileReport()
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.tracking_id, o.attempts, o.attempt_started_at, t.address FROM outbox o
                    JOIN trackings t ON t.id = o.tracking_id
                    WHERE o.status = 'sending' ORDER BY o.id
                    """)
            for row in rows {
                let id: Int64 = row["id"]
                let attempt = SendingAttempt(
                    outboxId: id, trackingId: row["tracking_id"], attempt: row["attempts"],
                    startedAt: row["attempt_started_at"] ?? 0, address: row["address"])
                let (path, write) = try OutboxRules.reconcile(attempt, evidence: evidence[id], now: now) {
                    try Row.fetchOne(
                        db,
                        sql: """
                            SELECT source, type FROM events
                            WHERE tracking_id = ? AND recorded_at >= ? AND source NOT IN (?, ?, ?)
                            ORDER BY recorded_at LIMIT 1
                            """,
                        arguments: [attempt.trackingId, attempt.startedAt] + StatementArguments(OutboxRules.ownSources)
                    ).map { (source: $0["source"], type: $0["type"]) }
                }
                try Self.apply(db, write, outboxId: id, trackingId: attempt.trackingId, now: now)
                report.decisions.append(ReconcileDecision(outboxId: id, trackingId: attempt.trackingId, path: path))
            }
            return report
        }
    }
}
