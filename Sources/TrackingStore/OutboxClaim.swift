import GRDB
import TrackingModel

extension TrackingStore {
    /// Claims up to `limit` due entries for sending, in one transaction: each goes
    /// to `sending` with its attempt counted and its start time and Message-ID
    /// recorded BEFORE any byte leaves, so a crash mid-send is visible at the next
    /// start (see `reconcileOutbox`).
    public func claimDueOutbox(limit: Int) throws(StoreError) -> [OutboxJob] {
        let now = self.now
        return try write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.kind, o.attempts, o.queued_at, o.possible_duplicate, o.message_id_header,
                           o.tracking_id, t.token, t.recipient, t.address,
                           m.id AS mid, m.thread_id, m.date, m.subject, m.body, m.email_to, m.email_cc,
                           m.message_id AS rfc_id, p.name AS author_name, p.email AS author_email,
                           th.tracking_img_disabled
                    FROM outbox o
                    JOIN trackings t ON t.id = o.tracking_id
                    JOIN messages m ON m.id = o.message_id
                    JOIN partners p ON p.id = m.author_id
                    JOIN threads th ON th.id = m.thread_id
                    WHERE o.status = 'queued' AND o.next_attempt_at <= ?
                    ORDER BY o.next_attempt_at, o.id
                    LIMIT ?
                    """, arguments: [now, max(0, limit)])
            var jobs: [OutboxJob] = []
            for row in rows {
                let id: Int64 = row["id"]
                let kind = OutboxKind(rawValue: row["kind"]) ?? .send
                let authorEmail: String? = row["author_email"]
                let header: String
                if let existing: String = row["message_id_header"] {
                    header = existing  // an automatic retry keeps the Message-ID
                } else {
                    switch kind {
                    case .send: header = row["rfc_id"]
                    case .retry: header = Self.generateMessageId(authorEmail: authorEmail, date: now)
                    }
                }
                let attempt: Int = row["attempts"] + 1
                try db.execute(
                    sql: """
                        UPDATE outbox SET status = 'sending', attempts = ?, attempt_started_at = ?,
                          message_id_header = ?, finished_at = NULL
                        WHERE id = ?
                        """, arguments: [attempt, now, header, id])
                let date: Double = row["date"]
                let mid: Int64 = row["mid"]
                let references = try String.fetchAll(
                    db,
                    sql: """
                        SELECT message_id FROM (
                          SELECT message_id, date, id FROM messages
                          WHERE thread_id = ? AND (date < ? OR (date = ? AND id < ?))
                          ORDER BY date DESC, id DESC LIMIT 20)
                        ORDER BY date, id
                        """, arguments: [row["thread_id"] as Int64, date, date, mid])
                jobs.append(
                    OutboxJob(
                        id: id, kind: kind, attempt: attempt, queuedAt: row["queued_at"],
                        possibleDuplicate: row["possible_duplicate"], trackingId: row["tracking_id"],
                        token: row["token"], recipient: row["recipient"], address: row["address"], messageRowId: mid,
                        date: date, subject: row["subject"], body: row["body"], emailTo: row["email_to"],
                        emailCc: row["email_cc"], authorName: row["author_name"], authorEmail: authorEmail,
                        messageIdHeader: header, references: references,
                        pixelDisabled: row["tracking_img_disabled"]))
            }
            return jobs
        }
    }

    /// When the next queued entry falls due (nil: nothing queued).
    public func nextOutboxDue() throws(StoreError) -> Double? {
        try read { db in
            try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'queued'")
        }
    }
}
