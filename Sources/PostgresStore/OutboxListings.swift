import PostgresNIO
import TrackingModel

/// What `chatter outbox` and the front's header read of the outbox on PostgreSQL (the
/// SQLite store's listings, statement for statement).
extension PostgresStore {
    /// Entries queued, being sent, and queued again after a failed attempt, counted along
    /// the partial indexes of queued and sending entries (the sent history is never scanned).
    func pending() async throws(PostgresStoreError) -> (queued: Int, sending: Int, failing: Int) {
        try await exclusive {
            let counts = try await self.rows(
                """
                SELECT COUNT(*), COUNT(*) FILTER (WHERE attempts > 0 AND last_error IS NOT NULL)
                FROM outbox WHERE status = 'queued'
                """)
            var (queued, failing): (Int64, Int64) = (0, 0)
            if let row = counts.first { (queued, failing) = try row.decode((Int64, Int64).self) }
            let sending = try await self.rows("SELECT COUNT(*) FROM outbox WHERE status = 'sending'").first?.decode(
                Int64.self) ?? 0
            return (Int(queued), Int(sending), Int(failing))
        }
    }

    /// Outbox entries, newest first; optionally one status, only possible duplicates, one message's.
    func entries(status: OutboxStatus?, possibleDuplicatesOnly: Bool, messageId: Int64?, limit: Int)
        async throws(PostgresStoreError) -> [OutboxEntry]
    {
        let dupOnly: Int64 = possibleDuplicatesOnly ? 1 : 0
        return try await exclusive {
            try await self.rows(
                """
                SELECT o.id, o.message_id, o.tracking_id, t.recipient, o.kind, o.status, o.attempts, o.queued_at,
                       o.next_attempt_at, o.possible_duplicate, o.queue_id, o.message_id_header, o.last_error,
                       m.shared_token IS NOT NULL
                FROM outbox o JOIN trackings t ON t.id = o.tracking_id JOIN messages m ON m.id = o.message_id
                WHERE (\(status?.rawValue)::text IS NULL OR o.status = \(status?.rawValue)::text)
                  AND (\(dupOnly)::bigint = 0 OR o.possible_duplicate = 1)
                  AND (\(messageId)::bigint IS NULL OR o.message_id = \(messageId)::bigint)
                ORDER BY o.id DESC LIMIT \(Int64(max(0, limit)))
                """
            ).map { row in
                let (id, mid, tid, recipient, kind, status, attempts, queuedAt, next, dup, queueId, header, lastError, shared) =
                    try row.decode(
                        (Int64, Int64, Int64, String, String, String, Int64, Double, Double, Int64, String?, String?, String?,
                            Bool).self)
                return OutboxEntry(
                    id: id, messageId: mid, trackingId: tid, recipient: recipient, kind: OutboxKind(rawValue: kind) ?? .send,
                    status: OutboxStatus(rawValue: status) ?? .queued, attempts: Int(attempts), queuedAt: queuedAt,
                    nextAttemptAt: next, possibleDuplicate: dup != 0, queueId: queueId, messageIdHeader: header,
                    lastError: lastError, sharedMail: shared)
            }
        }
    }

    /// Counts of outbox entries by status, plus the possible duplicates.
    func counts() async throws(PostgresStoreError) -> (byStatus: [OutboxStatus: Int], possibleDuplicates: Int) {
        try await exclusive {
            var counts: [OutboxStatus: Int] = [:]
            for row in try await self.rows("SELECT status, COUNT(*) FROM outbox GROUP BY status") {
                let (status, n) = try row.decode((String, Int64).self)
                if let s = OutboxStatus(rawValue: status) { counts[s] = Int(n) }
            }
            let dups = try await self.rows("SELECT COUNT(*) FROM outbox WHERE possible_duplicate = 1").first?.decode(
                Int64.self) ?? 0
            return (counts, Int(dups))
        }
    }
}
