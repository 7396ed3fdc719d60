import GRDB
import TrackingModel

extension TrackingStore {
    /// Outbox entries, newest first (`chatter outbox`); optionally only one status,
    /// only possible duplicates, or only one message's.
    public func outboxEntries(
        status: OutboxStatus? = nil, possibleDuplicatesOnly: Bool = false, messageId: Int64? = nil, limit: Int = 100
    ) throws(StoreError) -> [OutboxEntry] {
        try read { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let status {
                conditions.append("o.status = ?")
                arguments += [status.rawValue]
            }
            if possibleDuplicatesOnly { conditions.append("o.possible_duplicate = 1") }
            if let messageId {
                conditions.append("o.message_id = ?")
                arguments += [messageId]
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [max(0, limit)]
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT o.*, t.recipient, m.shared_token IS NOT NULL AS shared_mail
                    FROM outbox o JOIN trackings t ON t.id = o.tracking_id JOIN messages m ON m.id = o.message_id
                    \(whereClause) ORDER BY o.id DESC LIMIT ?
                    """, arguments: arguments
            ).map { row in
                OutboxEntry(
                    id: row["id"], messageId: row["message_id"], trackingId: row["tracking_id"],
                    recipient: row["recipient"], kind: OutboxKind(rawValue: row["kind"]) ?? .send,
                    status: OutboxStatus(rawValue: row["status"]) ?? .queued, attempts: row["attempts"],
                    queuedAt: row["queued_at"], nextAttemptAt: row["next_attempt_at"],
                    possibleDuplicate: row["possible_duplicate"], queueId: row["queue_id"],
                    messageIdHeader: row["message_id_header"], lastError: row["last_error"],
                    sharedMail: row["shared_mail"])
            }
        }
    }

    /// Counts of outbox entries by status, plus the possible duplicates.
    public func outboxCounts() throws(StoreError) -> (byStatus: [OutboxStatus: Int], possibleDuplicates: Int) {
        try read { db in
            var counts: [OutboxStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status") {
                if let s = OutboxStatus(rawValue: row["status"]) { counts[s] = row["n"] }
            }
            let dups = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE possible_duplicate = 1") ?? 0
            return (counts, dups)
        }
    }
}
