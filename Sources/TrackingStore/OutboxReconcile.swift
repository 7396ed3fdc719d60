import GRDB
import TrackingModel

extension TrackingStore {
    /// Start-up reconciliation, to run by the one sender holding the store's send
    /// lock: every entry left in `sending` belongs to a sender that died between
    /// claiming it and recording the outcome, so the server may or may not have
    /// the mail. When a later signal from outside the sender (poller, DSN, pixel,
    /// webhook) reached its tracking row after the attempt started, the server had
    /// it: the entry is marked sent. Otherwise it is requeued now, flagged
    /// possible duplicate: never dropped, and never resent silently.
    public func reconcileOutbox() throws(StoreError) -> ReconcileReport {
        let now = self.now
        return try write { db in
            var report = ReconcileReport()
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, tracking_id, attempts, attempt_started_at FROM outbox
                    WHERE status = 'sending' ORDER BY id
                    """)
            let applier = EventApplier(db: db, now: now)
            for row in rows {
                let id: Int64 = row["id"]
                let tid: Int64 = row["tracking_id"]
                let attempt: Int = row["attempts"]
                let started: Double = row["attempt_started_at"] ?? 0
                let seen = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT source, type FROM events
                        WHERE tracking_id = ? AND recorded_at >= ? AND source NOT IN (?, 'user', 'post')
                        ORDER BY recorded_at LIMIT 1
                        """, arguments: [tid, started, Self.outboxSource])
                if let seen {
                    let source: String = seen["source"]
                    let type: String = seen["type"]
                    _ = try applier.apply(
                        NewEvent(
                            trackingId: tid, type: .sent, timestamp: started, source: Self.outboxSource,
                            key: "sent:\(id):\(attempt)", details: EventDetails(smtpServer: "reconciled")))
                    try db.execute(
                        sql: "UPDATE outbox SET status = 'sent', finished_at = ?, last_error = ? WHERE id = ?",
                        arguments: [now, "sender stopped mid-attempt; \(source) reported \(type) afterwards", id])
                    report.confirmedSent.append(id)
                } else {
                    try db.execute(
                        sql: """
                            UPDATE outbox SET status = 'queued', next_attempt_at = ?, possible_duplicate = 1,
                              last_error = ?
                            WHERE id = ?
                            """,
                        arguments: [
                            now, "sender stopped during attempt \(attempt); the server may already have it", id,
                        ])
                    report.requeuedPossibleDuplicates.append(id)
                }
            }
            return report
        }
    }
}
