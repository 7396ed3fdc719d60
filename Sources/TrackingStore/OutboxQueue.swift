import GRDB
import TrackingModel

extension TrackingStore {
    /// Posts a message and queues one `send` outbox entry per tracking row that
    /// has an address, in one transaction (`chatter post --send`, compose): after
    /// a crash the message is either posted and queued, or not there at all.
    public func postAndQueue(_ request: PostRequest) throws(StoreError) -> (post: PostResult, outboxIds: [Int64]) {
        let subject = request.subject.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !subject.isEmpty else { throw .invalidInput("a message needs a subject") }
        guard request.tracked else { throw .invalidInput("an untracked message is not sent by chatter") }
        let toBoxes = try Self.parseLists(request.to)
        let ccBoxes = try Self.parseLists(request.cc)
        let now = self.now
        let date = request.date ?? now
        return try write { db in
            let result = try Self.post(
                db, request: request, subject: subject, toBoxes: toBoxes, ccBoxes: ccBoxes, date: date, now: now)
            let ids = try Self.queueSends(db, messageId: result.id, by: request.authorId, now: now)
            return (result, ids)
        }
    }

    /// Queues a `send` entry for every waiting tracking row of a message that has
    /// an address and no entry yet (a message posted without `--send`).
    public func queueSend(messageId: Int64, by actor: Int64) throws(StoreError) -> [Int64] {
        let now = self.now
        return try write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM messages WHERE id = ?", arguments: [messageId]) != nil else {
                throw StoreError.notFound("no message with id \(messageId)")
            }
            return try Self.queueSends(db, messageId: messageId, by: actor, now: now)
        }
    }

    static func queueSends(_ db: Database, messageId: Int64, by actor: Int64, now: Double) throws -> [Int64] {
        let trackingIds = try Int64.fetchAll(
            db,
            sql: """
                SELECT t.id FROM trackings t
                WHERE t.message_id = ? AND t.address IS NOT NULL AND t.state IS NULL
                  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.tracking_id = t.id)
                ORDER BY t.id
                """, arguments: [messageId])
        var ids: [Int64] = []
        for tid in trackingIds {
            try db.execute(
                sql: """
                    INSERT INTO outbox (message_id, tracking_id, kind, status, queued_at, next_attempt_at, requested_by)
                    VALUES (?, ?, 'send', 'queued', ?, ?, ?)
                    """, arguments: [messageId, tid, now, now, actor])
            ids.append(db.lastInsertedRowID)
        }
        return ids
    }
}
