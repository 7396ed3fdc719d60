import Foundation
import PostgresNIO
import TrackingModel

/// Review and unreview on PostgreSQL, with the SQLite store's rules: a review changes
/// only `needs_action`, each change is audited, and the message, thread and Failed
/// counters move through the event applier's own increments (`updateMessage`,
/// `flushCounters`), so concurrent writers keep them exact. Each call is one
/// transaction, run again after a serialization failure or deadlock.
extension PostgresStore {
    /// Sets the scope's messages that need action as reviewed (see `ReviewRole.review`).
    func reviewMessages(_ scope: ReviewScope, by actor: Int64) async throws(PostgresStoreError) -> [Int64] {
        let now = self.now
        return try await exclusive {
            try await self.retryingTransaction { () async throws -> [Int64] in
                let ids = try await self.pendingReview(scope, actor: actor, lock: true)
                var applier = PostgresEventApplier(store: self, now: now)
                for id in ids {
                    try await applier.updateMessage(id, failedDelta: 0, needsAction: false)
                    try await self.audit(at: now, actor: actor, action: "review", messageId: id)
                }
                try await applier.flushCounters()
                if !ids.isEmpty { try await self.notifyChange("review") }
                return ids
            }
        }
    }

    /// The ids `reviewMessages` would set as reviewed, in one read-only snapshot.
    func previewReview(_ scope: ReviewScope, by actor: Int64) async throws(PostgresStoreError) -> [Int64] {
        try await snapshot { reads in try await reads.store.pendingReview(scope, actor: actor, lock: false) }
    }

    /// The messages of the scope that still need action, in the scope's order (an unknown
    /// id is an error); `lock`: their rows are locked for the transaction, in id order.
    func pendingReview(_ scope: ReviewScope, actor: Int64, lock: Bool) async throws -> [Int64] {
        let ids: [Int64]
        switch scope {
        case .messages(let list):
            ids = list
        case .thread(let ref):
            guard
                let threadId = try await rows("SELECT id FROM threads WHERE model = \(ref.model) AND key = \(ref.key)")
                    .first?.decode(Int64.self)
            else { throw PostgresStoreError.notFound("no thread \(ref)") }
            ids = try await rows(
                """
                SELECT id FROM messages WHERE thread_id = \(threadId) AND needs_action = 1 AND failed_trackings > 0
                ORDER BY date DESC, id DESC
                """
            ).map { try $0.decode(Int64.self) }
        case .allMine:
            var sql = SQLBuilder("SELECT m.id FROM messages m")
            sql.when(PostgresReads.mine(&sql, user: actor))
            sql.appendWhere()
            sql.append(" ORDER BY m.date DESC, m.id DESC")
            ids = try await rows(sql.query).map { try $0.decode(Int64.self) }
        case .group(let filter):
            ids = RetryPlanning.byMessage(try await failureGroupRows(filter, user: actor)).map(\.0)
        }
        let lookup: PostgresQuery =
            lock
            ? "SELECT id, needs_action FROM messages WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE"
            : "SELECT id, needs_action FROM messages WHERE id = ANY(\(ids))"
        var needs: [Int64: Bool] = [:]
        for row in try await rows(lookup) {
            let (id, flag) = try row.decode((Int64, Int64).self)
            needs[id] = flag != 0
        }
        var pending: [Int64] = []
        var seen = Set<Int64>()
        for id in ids {
            guard let flag = needs[id] else { throw PostgresStoreError.notFound("no message with id \(id)") }
            if flag, seen.insert(id).inserted { pending.append(id) }
        }
        return pending
    }

    /// Undoes a review: messages that still have a failed row need action again (see `ReviewRole.unreview`).
    func unreviewMessages(_ messageIds: [Int64], by actor: Int64) async throws(PostgresStoreError) -> [Int64] {
        let now = self.now
        return try await exclusive {
            try await self.retryingTransaction { () async throws -> [Int64] in
                var state: [Int64: (needs: Bool, failed: Int64)] = [:]
                for row in try await self.rows(
                    """
                    SELECT id, needs_action, failed_trackings FROM messages WHERE id = ANY(\(messageIds))
                    ORDER BY id FOR UPDATE
                    """)
                {
                    let (id, needs, failed) = try row.decode((Int64, Int64, Int64).self)
                    state[id] = (needs != 0, failed)
                }
                var applier = PostgresEventApplier(store: self, now: now)
                var changed: [Int64] = []
                for id in messageIds {
                    guard let s = state[id] else { throw PostgresStoreError.notFound("no message with id \(id)") }
                    guard !s.needs, s.failed > 0 else { continue }
                    try await applier.updateMessage(id, failedDelta: 0, needsAction: true)
                    try await self.audit(at: now, actor: actor, action: "unreview", messageId: id)
                    state[id] = (true, s.failed)
                    changed.append(id)
                }
                try await applier.flushCounters()
                if !changed.isEmpty { try await self.notifyChange("review") }
                return changed
            }
        }
    }

    /// Writes one line of the audit log.
    func audit(
        at: Double, actor: Int64, action: String, messageId: Int64, trackingId: Int64? = nil, detail: String? = nil
    ) async throws {
        try await execute(
            """
            INSERT INTO audit_log (at, actor_id, action, message_id, tracking_id, detail)
            VALUES (\(at), \(actor), \(action), \(messageId), \(trackingId), \(detail))
            """)
    }

    /// The audit log of one message, oldest first.
    func auditEntries(messageId: Int64) async throws(PostgresStoreError) -> [AuditEntry] {
        try await snapshot { reads in
            try await reads.store.rows(
                """
                SELECT id, at, actor_id, action, message_id, tracking_id, detail FROM audit_log
                WHERE message_id = \(messageId) ORDER BY at, id
                """
            ).map { row in
                let (id, at, actor, action, message, tracking, detail) =
                    try row.decode((Int64, Double, Int64?, String, Int64, Int64?, String?).self)
                return AuditEntry(
                    id: id, at: at, actorId: actor, action: action, messageId: message, trackingId: tracking, detail: detail)
            }
        }
    }
}
