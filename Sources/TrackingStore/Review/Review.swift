import Foundation
import GRDB
import TrackingModel

extension TrackingStore {
    /// Sets messages as reviewed (needs_action false): they leave the Failed
    /// mailbox and the thread filter; their tracking rows keep their state.
    /// Returns the ids that changed; each change is written to the audit log.
    /// The whole scope is one write transaction.
    @discardableResult
    public func review(_ scope: ReviewScope, by actor: Int64) throws(StoreError) -> [Int64] {
        let now = self.now
        return try write { db in
            let ids = try Self.pendingReview(db, scope, actor: actor)
            for id in ids {
                try MessageFailure.update(db, messageId: id, failedDelta: 0, needsAction: false)
                try Self.audit(db, at: now, actor: actor, action: "review", messageId: id)
            }
            return ids
        }
    }

    /// The dry run of `review`: the ids it would set as reviewed. Reads only.
    public func reviewPreview(_ scope: ReviewScope, by actor: Int64) throws(StoreError) -> [Int64] {
        try read { db in try Self.pendingReview(db, scope, actor: actor) }
    }

    /// The messages of the scope that still need action (an unknown id is an error).
    static func pendingReview(_ db: Database, _ scope: ReviewScope, actor: Int64) throws -> [Int64] {
        let ids: [Int64]
        switch scope {
        case .messages(let list):
            ids = list
        case .thread(let ref):
            guard let threadId = try Int64.fetchOne(
                db, sql: "SELECT id FROM threads WHERE model = ? AND key = ?", arguments: [ref.model, ref.key])
            else { throw StoreError.notFound("no thread \(ref)") }
            ids = try Int64.fetchAll(
                db,
                sql: "SELECT id FROM messages WHERE thread_id = ? AND needs_action = 1 AND failed_trackings > 0",
                arguments: [threadId])
        case .allMine:
            ids = try Int64.fetchAll(
                db,
                sql: "SELECT m.id FROM messages m WHERE m.needs_action = 1 AND m.failed_trackings > 0 AND "
                    + FailedRule.mineCondition, arguments: ["me": actor])
        case .group(let filter):
            ids = FailureGroups.byMessage(try FailureGroups.rows(db, filter, user: actor)).map(\.0)
        }
        var pending: [Int64] = []
        var seen = Set<Int64>()
        let lookup = try db.cachedStatement(sql: "SELECT needs_action FROM messages WHERE id = ?")
        for id in ids {
            guard let needs = try Bool.fetchOne(lookup, arguments: [id])
            else { throw StoreError.notFound("no message with id \(id)") }
            if needs, seen.insert(id).inserted { pending.append(id) }
        }
        return pending
    }

    /// Undoes a review: messages that still have a failed tracking need action
    /// again. Returns the ids that changed (audited).
    @discardableResult
    public func unreview(_ messageIds: [Int64], by actor: Int64) throws(StoreError) -> [Int64] {
        let now = self.now
        return try write { db in
            var changed: [Int64] = []
            for id in messageIds {
                guard let row = try Row.fetchOne(
                    db, sql: "SELECT needs_action, failed_trackings FROM messages WHERE id = ?", arguments: [id])
                else { throw StoreError.notFound("no message with id \(id)") }
                let needs: Bool = row["needs_action"]
                let failed: Int = row["failed_trackings"]
                guard !needs, failed > 0 else { continue }
                try MessageFailure.update(db, messageId: id, failedDelta: 0, needsAction: true)
                try Self.audit(db, at: now, actor: actor, action: "unreview", messageId: id)
                changed.append(id)
            }
            return changed
        }
    }

    /// Retry: the chosen failed recipients of a message (default: all of them but
    /// those suppressed by a spam complaint or unsubscribe) go back to waiting (a
    /// `retry` event) and one outbox entry per row is queued for the sender.
    /// needs_action becomes false only when no failed row is left: a partial retry
    /// keeps the message in Failed.
    /// `addresses` selects recipients by address (any form; compared normalized).
    /// The rows queued are exactly those `retryPlan` says (verdict send or warn),
    /// decided inside the same write transaction.
    @discardableResult
    public func retry(messageId: Int64, addresses: [String]? = nil, by actor: Int64) throws(StoreError) -> RetryResult {
        try retry(messageId: messageId, selection: addresses.map { .addresses($0) } ?? .all, by: actor)
    }

    /// Retry for a selection of failed recipients (see `retry(messageId:addresses:by:)`).
    @discardableResult
    public func retry(messageId: Int64, selection: RetrySelection, by actor: Int64) throws(StoreError) -> RetryResult {
        let wanted = try Self.normalizedSelection(selection)
        let now = self.now
        return try write { db in try Self.retry(db, messageId: messageId, selection: wanted, now: now, actor: actor) }
    }

    /// The retry of one message inside a write transaction (one message, or each of a group).
    static func retry(
        _ db: Database, messageId: Int64, selection wanted: NormalizedSelection, now: Double, actor: Int64
    ) throws -> RetryResult {
        let plan = try Self.retryPlan(db, messageId: messageId, selection: wanted)
        guard !plan.recipients.isEmpty else {
            throw StoreError.invalidInput("message \(messageId) has no failed recipients")
        }
        var result = RetryResult(
            trackingIds: [], outboxIds: [], skippedNoAddress: [], skippedAlreadyQueued: [], plan: plan)
        let applier = EventApplier(db: db, now: now)
        for r in plan.recipients {
            if r.skipReasons.contains(.noAddress) { result.skippedNoAddress.append(r.trackingId) }
            if r.skipReasons.contains(.alreadyQueued) { result.skippedAlreadyQueued.append(r.trackingId) }
            if r.verdict == .unticked { result.skippedSuppressed.append(r.trackingId) }
            guard r.verdict.ticksByDefault, let address = r.address else { continue }
            let tid = r.trackingId
            try retarget(db, trackingId: tid, to: address)
            let event = NewEvent(
                trackingId: tid, type: .retry, timestamp: now, source: "user",
                key: "retry:\(tid):\(UUID().uuidString)", details: EventDetails(recipient: address))
            _ = try applier.apply(event)
            try db.execute(
                sql: """
                    INSERT INTO outbox (message_id, tracking_id, kind, status, queued_at, next_attempt_at, requested_by)
                    VALUES (?, ?, 'retry', 'queued', ?, ?, ?)
                    """, arguments: [messageId, tid, now, now, actor])
            result.outboxIds.append(db.lastInsertedRowID)
            result.trackingIds.append(tid)
            try Self.audit(db, at: now, actor: actor, action: "retry", messageId: messageId, trackingId: tid)
        }
        // A partial retry keeps the message in Failed while it still has failed rows
        // that were neither retried nor reviewed; retrying them all takes it out.
        result.leftFailed = try Int.fetchOne(
            db, sql: "SELECT failed_trackings FROM messages WHERE id = ?", arguments: [messageId]) ?? 0
        if result.leftFailed == 0 {
            try MessageFailure.update(db, messageId: messageId, failedDelta: 0, needsAction: false)
        }
        return result
    }

    /// Points a tracking row at the address its resend goes to, when its partner's
    /// address was fixed (or added) since the mail went out: the sender mails the
    /// row's address, and the row then shows where the resend went.
    static func retarget(_ db: Database, trackingId: Int64, to address: String) throws {
        try db.execute(
            sql: """
                UPDATE trackings SET address = ?1,
                  recipient = COALESCE((SELECT p.name || ' <' || p.email || '>' FROM partners p
                                        WHERE p.id = trackings.partner_id AND p.email_normalized = ?1), recipient)
                WHERE id = ?2 AND address IS NOT ?1
                """, arguments: [address, trackingId])
    }

    static func audit(
        _ db: Database, at: Double, actor: Int64, action: String, messageId: Int64, trackingId: Int64? = nil,
        detail: String? = nil
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO audit_log (at, actor_id, action, message_id, tracking_id, detail)
                VALUES (?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [at, actor, action, messageId, trackingId, detail])
    }
}

/// The SQL of the "failed message for user U" rule (README "The rules"): U is the
/// author or one of the notified partner recipients. Used with `:me` bound.
enum FailedRule {
    static let mineCondition = """
        (m.author_id = :me OR EXISTS (
          SELECT 1 FROM message_recipients r WHERE r.partner_id = :me AND r.message_id = m.id))
        """
    /// The same with two positional parameters (user, user).
    static let mineConditionPositional = mineCondition.replacingOccurrences(of: ":me", with: "?")
}

extension TrackingStore {
    /// The audit log of one message, oldest first.
    public func auditLog(messageId: Int64) throws(StoreError) -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit_log WHERE message_id = ? ORDER BY at, id", arguments: [messageId]
            ).map {
                AuditEntry(
                    id: $0["id"], at: $0["at"], actorId: $0["actor_id"], action: $0["action"],
                    messageId: $0["message_id"], trackingId: $0["tracking_id"], detail: $0["detail"])
            }
        }
    }
}
