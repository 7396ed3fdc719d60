import GRDB
import TrackingModel

extension TrackingStore {
    /// Posts a message and queues one `send` outbox entry per tracking row that
    /// has an address, in one transaction (`chatter post --send`, compose): after
    /// a crash the message is either posted and queued, or not there at all.
    /// `sharedMail`: the recipients get one mail together (one shared pixel)
    /// instead of one mail each; the mode is recorded on the message.
    public func postAndQueue(_ request: PostRequest, sharedMail: Bool = false) throws(StoreError)
        -> (post: PostResult, outboxIds: [Int64])
    {
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
            let ids = try Self.queueSends(
                db, messageId: result.id, by: request.authorId, sharedMail: sharedMail, now: now)
            return (result, ids)
        }
    }

    /// Queues a `send` entry for every waiting tracking row of a message that has
    /// an address and no entry yet (a message posted without `--send`).
    /// `sharedMail` chooses the mode only for a message never queued before;
    /// afterwards its recorded mode holds.
    public func queueSend(messageId: Int64, by actor: Int64, sharedMail: Bool = false) throws(StoreError) -> [Int64] {
        let now = self.now
        return try write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM messages WHERE id = ?", arguments: [messageId]) != nil else {
                throw StoreError.notFound("no message with id \(messageId)")
            }
            return try Self.queueSends(db, messageId: messageId, by: actor, sharedMail: sharedMail, now: now)
        }
    }

    static func queueSends(_ db: Database, messageId: Int64, by actor: Int64, sharedMail: Bool, now: Double) throws
        -> [Int64]
    {
        // The mode is the first queuer's: a message with entries keeps the one it was sent with.
        if sharedMail, try Int.fetchOne(db, sql: "SELECT 1 FROM outbox WHERE message_id = ? LIMIT 1", arguments: [messageId]) == nil {
            try db.execute(
                sql: "UPDATE messages SET shared_token = COALESCE(shared_token, ?) WHERE id = ?",
                arguments: [randomToken(), messageId])
        }
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
