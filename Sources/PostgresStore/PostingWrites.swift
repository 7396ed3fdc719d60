import Foundation
import PostgresNIO
import TrackingModel

/// Posting on PostgreSQL: the SQLite store's rules (`CheckedPost`, `PostRecipients`, the
/// same rows), written so that posters on several hosts at once stay exact: the thread is
/// created or found in one upsert, its counters move by increments, a message's queueing
/// holds the message row, and a `no_recipient` row goes through the event applier.
extension PostgresStore {
    /// Posts a message (see `PostingRole.post`); `queueSharedMail` set: also queues its sends, in
    /// that mode, in the same transaction (`PostingRole.postAndQueue`).
    func postMessage(_ request: PostRequest, queueSharedMail: Bool?) async throws(PostgresStoreError)
        -> (post: PostResult, outboxIds: [Int64])
    {
        let checked: CheckedPost
        do { checked = try CheckedPost(request) } catch { throw .invalidInput(error.message) }
        if queueSharedMail != nil, !request.tracked { throw .invalidInput("an untracked message is not sent by chatter") }
        let now = self.now
        return try await exclusive {
            try await self.retryingTransaction { () async throws -> (post: PostResult, outboxIds: [Int64]) in
                let post = try await self.insertPost(request, checked, now: now)
                var ids: [Int64] = []
                if let queueSharedMail {
                    ids = try await self.queueSends(messageId: post.id, by: request.authorId, sharedMail: queueSharedMail, now: now)
                }
                try await self.notifyChange("messages")
                return (post, ids)
            }
        }
    }

    /// Queues the sends of a message posted earlier (see `PostingRole.queueSend`).
    func queueMessage(messageId: Int64, by actor: Int64, sharedMail: Bool) async throws(PostgresStoreError) -> [Int64] {
        let now = self.now
        return try await exclusive {
            try await self.retryingTransaction { () async throws -> [Int64] in
                let ids = try await self.queueSends(messageId: messageId, by: actor, sharedMail: sharedMail, now: now)
                if !ids.isEmpty { try await self.notifyChange("outbox") }
                return ids
            }
        }
    }

    private func insertPost(_ request: PostRequest, _ checked: CheckedPost, now: Double) async throws -> PostResult {
        let date = request.date ?? now
        guard
            let (authorName, authorEmail) = try await rows(
                "SELECT name, email FROM partners WHERE id = \(request.authorId)"
            ).first?.decode((String, String?).self)
        else { throw PostgresStoreError.notFound("no partner with id \(request.authorId) (author)") }
        let aliases = Set(try await rows("SELECT address FROM aliases").map { try $0.decode(String.self) })
        let threadId = try await ensureThread(request.thread, name: request.threadName, date: date)
        let recipients: [PostRecipient]
        do {
            recipients = try PostRecipients.resolve(
                partnerIds: request.partnerIds, to: checked.to, cc: checked.cc, aliases: aliases,
                byId: try await partners(
                    "SELECT id, name, email, email_normalized, notify_email FROM partners WHERE id = ANY(\(request.partnerIds))",
                    key: { $0.id }),
                byAddress: try await partners(
                    """
                    SELECT DISTINCT ON (email_normalized) id, name, email, email_normalized, notify_email FROM partners
                    WHERE email_normalized = ANY(\((checked.to + checked.cc).map(\.normalized))) ORDER BY email_normalized, id
                    """, key: { $0.normalized ?? "" }))
        } catch let e as UnknownPartner {
            throw PostgresStoreError.notFound("no partner with id \(e.id)")
        }

        let messageId = request.messageId ?? PostingIdentity.messageId(authorEmail: authorEmail, date: date)
        let tracked: Int64 = request.tracked ? 1 : 0
        guard
            let messageRowId = try await rows(
                """
                INSERT INTO messages (thread_id, author_id, date, subject, body, message_id, email_to, email_cc, tracked)
                VALUES (\(threadId), \(request.authorId), \(date), \(checked.subject), \(request.body), \(messageId),
                  \(request.to.joined(separator: ", ")), \(request.cc.joined(separator: ", ")), \(tracked))
                RETURNING id
                """
            ).first?.decode(Int64.self)
        else { throw PostgresStoreError.storage("the message was not inserted") }
        try await execute(
            """
            UPDATE threads SET message_count = message_count + 1, last_activity = greatest(last_activity, \(date))
            WHERE id = \(threadId)
            """)

        let sender = authorEmail.map { "\(authorName) <\($0)>" } ?? authorName
        var applier = PostgresEventApplier(store: self, now: now)
        for (position, r) in recipients.enumerated() {
            let display = r.display
            try await execute(
                """
                INSERT INTO message_recipients (message_id, position, kind, partner_id, address, display)
                VALUES (\(messageRowId), \(Int64(position)), \(r.kind), \(r.partner?.id), \(r.normalized), \(display))
                """)
            guard request.tracked else { continue }
            if let p = r.partner, !p.notify { continue }
            let isCc: Int64 = r.kind == "cc" ? 1 : 0
            guard
                let tid = try await rows(
                    """
                    INSERT INTO trackings (message_id, partner_id, recipient, address, is_cc, sender, subject, created_at, token)
                    VALUES (\(messageRowId), \(r.partner?.id), \(display), \(r.normalized), \(isCc), \(sender), \(checked.subject),
                      \(now), \(PostingIdentity.pixelToken()))
                    RETURNING id
                    """
                ).first?.decode(Int64.self)
            else { throw PostgresStoreError.storage("the tracking row was not inserted") }
            if r.normalized == nil {
                var report = ApplyReport()
                try await applier.apply(
                    NewEvent(
                        trackingId: tid, type: .error, timestamp: now, source: "post", key: "no_recipient:\(tid)",
                        details: EventDetails(
                            recipient: display, errorType: noRecipientErrorType, errorDescription: noRecipientDescription)),
                    into: &report)
            }
        }
        try await applier.flushCounters()
        return PostResult(id: messageRowId, messageId: messageId, trackings: try await trackingRows(messageId: messageRowId))
    }

    /// The thread of a ref, created on first use, in one statement (two posters creating it
    /// at once get the same row); a name given renames it.
    private func ensureThread(_ ref: ThreadRef, name: String?, date: Double) async throws -> Int64 {
        let rename = (name?.isEmpty ?? true) ? nil : name
        guard
            let id = try await rows(
                """
                INSERT INTO threads (model, key, name, last_activity)
                VALUES (\(ref.model), \(ref.key), \(name ?? ref.description), \(date))
                ON CONFLICT (model, key) DO UPDATE SET name = coalesce(\(rename)::text, threads.name)
                RETURNING id
                """
            ).first?.decode(Int64.self)
        else { throw PostgresStoreError.storage("the thread was not found or created") }
        return id
    }

    /// Partner rows (`id, name, email, email_normalized, notify_email`) by `key`.
    private func partners<K: Hashable>(_ query: PostgresQuery, key: (PostPartner) -> K) async throws -> [K: PostPartner] {
        var out: [K: PostPartner] = [:]
        for row in try await rows(query) {
            let (id, name, email, normalized, notify) = try row.decode((Int64, String, String?, String?, Int64).self)
            let p = PostPartner(id: id, name: name, email: email, normalized: normalized, notify: notify != 0)
            out[key(p)] = p
        }
        return out
    }

    /// Queues a `send` entry for each waiting tracking row of the message with an address and
    /// no entry yet; the message row is held meanwhile, so two queuers never queue a row twice.
    func queueSends(messageId: Int64, by actor: Int64, sharedMail: Bool, now: Double) async throws -> [Int64] {
        guard try await !rows("SELECT 1 FROM messages WHERE id = \(messageId) FOR UPDATE").isEmpty else {
            throw PostgresStoreError.notFound("no message with id \(messageId)")
        }
        // The mode is the first queuer's: a message with entries keeps the one it was sent with.
        if sharedMail, try await rows("SELECT 1 FROM outbox WHERE message_id = \(messageId) LIMIT 1").isEmpty {
            try await execute(
                """
                UPDATE messages SET shared_token = coalesce(shared_token, \(PostingIdentity.pixelToken()))
                WHERE id = \(messageId)
                """)
        }
        return try await rows(
            """
            INSERT INTO outbox (message_id, tracking_id, kind, status, queued_at, next_attempt_at, requested_by)
            SELECT \(messageId), t.id, 'send', 'queued', \(now), \(now), \(actor) FROM trackings t
            WHERE t.message_id = \(messageId) AND t.address IS NOT NULL AND t.state IS NULL
              AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.tracking_id = t.id)
            ORDER BY t.id
            RETURNING id
            """
        ).map { try $0.decode(Int64.self) }.sorted()
    }
}
