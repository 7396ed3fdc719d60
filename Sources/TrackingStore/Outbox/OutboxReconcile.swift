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
            let applier = EventApplier(db: db, now: now)
            for row in rows {
                let id: Int64 = row["id"]
                let tid: Int64 = row["tracking_id"]
                let attempt: Int = row["attempts"]
                let started: Double = row["attempt_started_at"] ?? 0
                let key = "\(id):\(attempt)"
                let path: ReconcilePath
                if case .accepted(let queueId, let at, let source) = evidence[id] {
                    _ = try Self.applySMTPResult(
                        db, applier, trackingId: tid, address: row["address"], .sent(server: source, queueId: queueId),
                        at: max(at, Self.sentTime(attemptStartedAt: started)), source: Self.outboxSource, key: key)
                    path = .sentPerLog(queueId: queueId, source: source)
                } else if let seen = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT source, type FROM events
                        WHERE tracking_id = ? AND recorded_at >= ? AND source NOT IN (?, 'user', 'post')
                        ORDER BY recorded_at LIMIT 1
                        """, arguments: [tid, started, Self.outboxSource])
                {
                    _ = try Self.applySMTPResult(
                        db, applier, trackingId: tid, address: row["address"], .sent(server: "reconciled", queueId: nil),
                        at: Self.sentTime(attemptStartedAt: started), source: Self.outboxSource, key: key)
                    path = .sentPerLaterSignal(source: seen["source"], type: seen["type"])
                } else if case .absent(_, let source) = evidence[id] {
                    path = .resentAbsentFromLog(source: source)
                } else {
                    path = .resentPossibleDuplicate
                }
                let note = "sender stopped during attempt \(attempt); " + path.text
                switch path {
                case .sentPerLog(let queueId, _):
                    try db.execute(
                        sql: "UPDATE outbox SET status = 'sent', queue_id = ?, finished_at = ?, last_error = ? WHERE id = ?",
                        arguments: [queueId, now, note, id])
                case .sentPerLaterSignal:
                    try db.execute(
                        sql: "UPDATE outbox SET status = 'sent', finished_at = ?, last_error = ? WHERE id = ?",
                        arguments: [now, note, id])
                case .resentAbsentFromLog:
                    try db.execute(
                        sql: "UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error = ? WHERE id = ?",
                        arguments: [now, note, id])
                case .resentPossibleDuplicate:
                    try db.execute(
                        sql: """
                            UPDATE outbox SET status = 'queued', next_attempt_at = ?, possible_duplicate = 1, last_error = ?
                            WHERE id = ?
                            """, arguments: [now, note, id])
                }
                report.decisions.append(ReconcileDecision(outboxId: id, trackingId: tid, path: path))
            }
            return report
        }
    }
}
