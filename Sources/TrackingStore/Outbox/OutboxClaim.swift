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
                db, sql: Self.jobSelect + " ORDER BY o.next_attempt_at, o.id LIMIT ?",
                arguments: [now, max(0, limit)])
            return try rows.map { try Self.claim(db, $0, groupHeader: nil, now: now) }
        }
    }

    /// Claims the entries of the next mail to send, in one transaction (as
    /// `claimDueOutbox`): the first due entry alone when its message goes one
    /// mail per recipient; for a message sent as one shared mail, every due
    /// entry of the same message attempt with it (same message, kind and
    /// Message-ID so far), up to `maxRecipients`, all carrying one Message-ID.
    /// A recipient deferred or retried later goes in the next mail of its own
    /// attempt, so a partial retry sends one mail to just those. Empty: nothing is due.
    public func claimDueMail(maxRecipients: Int = 100) throws(StoreError) -> [OutboxJob] {
        let now = self.now
        return try write { db in
            guard let first = try Row.fetchOne(
                db, sql: Self.jobSelect + " ORDER BY o.next_attempt_at, o.id LIMIT 1", arguments: [now])
            else { return [] }
            guard (first["shared_token"] as String?) != nil else {
                return [try Self.claim(db, first, groupHeader: nil, now: now)]
            }
            let rows = try Row.fetchAll(
                db,
                sql: Self.jobSelect + """
                     AND o.message_id = ? AND o.kind = ? AND o.message_id_header IS ?
                    ORDER BY o.id LIMIT ?
                    """,
                arguments: [
                    now, first["mid"] as Int64, first["kind"] as String, first["message_id_header"] as String?,
                    max(1, maxRecipients),
                ])
            // One mail, one Message-ID: a user Retry's fresh one is made once for the whole group.
            let header = Self.messageIdHeader(first, now: now)
            return try rows.map { try Self.claim(db, $0, groupHeader: header, now: now) }
        }
    }

    /// When the next queued entry falls due (nil: nothing queued).
    public func nextOutboxDue() throws(StoreError) -> Double? {
        try read { db in
            try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'queued'")
        }
    }

    /// The due queued entries with what building their mail needs (`?` = now).
    private static let jobSelect = """
        SELECT o.id, o.kind, o.attempts, o.queued_at, o.possible_duplicate, o.message_id_header,
               o.tracking_id, t.token, t.recipient, t.address,
               m.id AS mid, m.thread_id, m.date, m.subject, m.body, m.email_to, m.email_cc,
               m.message_id AS rfc_id, m.shared_token, p.name AS author_name, p.email AS author_email,
               th.tracking_img_disabled
        FROM outbox o
        JOIN trackings t ON t.id = o.tracking_id
        JOIN messages m ON m.id = o.message_id
        JOIN partners p ON p.id = m.author_id
        JOIN threads th ON th.id = m.thread_id
        WHERE o.status = 'queued' AND o.next_attempt_at <= ?
        """

    /// The Message-ID an entry's attempt carries: the one it already had (an
    /// automatic retry keeps it), the message's own for a first send, a new one for a user Retry.
    private static func messageIdHeader(_ row: Row, now: Double) -> String {
        if let existing: String = row["message_id_header"] { return existing }
        switch OutboxKind(rawValue: row["kind"]) ?? .send {
        case .send: return row["rfc_id"]
        case .retry: return generateMessageId(authorEmail: row["author_email"], date: now)
        }
    }

    /// Moves one entry to `sending` (attempt counted, start time and Message-ID recorded) and builds its job.
    private static func claim(_ db: Database, _ row: Row, groupHeader: String?, now: Double) throws -> OutboxJob {
        let id: Int64 = row["id"]
        let kind = OutboxKind(rawValue: row["kind"]) ?? .send
        let header = groupHeader ?? messageIdHeader(row, now: now)
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
        return OutboxJob(
            id: id, kind: kind, attempt: attempt, queuedAt: row["queued_at"],
            possibleDuplicate: row["possible_duplicate"], trackingId: row["tracking_id"],
            token: row["token"], recipient: row["recipient"], address: row["address"], messageRowId: mid,
            date: date, subject: row["subject"], body: row["body"], emailTo: row["email_to"],
            emailCc: row["email_cc"], authorName: row["author_name"], authorEmail: row["author_email"],
            messageIdHeader: header, references: references,
            pixelDisabled: row["tracking_img_disabled"], sharedToken: row["shared_token"])
    }
}
