import Foundation
import PostgresNIO
import TrackingModel

/// Retry on PostgreSQL, with the SQLite store's rules: inside one transaction the plan is
/// made (the message row locked), each queued row is pointed at its resend address, gets
/// a `retry` event through the event applier and one outbox entry (`kind 'retry'`), and
/// is audited; a message left with no failed row stops needing action. Counters move by
/// increments in SQL (the applier's), a serialization failure or deadlock runs the whole
/// again, and the commit is announced on `changeChannel`.
extension PostgresStore {
    /// Retry of one message's selected failed recipients (see `ReviewRole.retry`).
    func retryMessage(messageId: Int64, selection: RetrySelection, by actor: Int64) async throws(PostgresStoreError)
        -> RetryResult
    {
        let target = try Self.retryTarget(selection)
        let now = self.now
        return try await exclusive {
            try await self.retryingTransaction { () async throws -> RetryResult in
                var applier = PostgresEventApplier(store: self, now: now)
                let result = try await self.retry(
                    messageId: messageId, target: target, now: now, actor: actor, applier: &applier)
                try await applier.flushCounters()
                try await self.notifyChange("outbox")
                return result
            }
        }
    }

    /// Retry of every message of a failure group of `actor`'s Failed mailbox, in one transaction.
    func retryGroup(_ filter: FailureFilter, by actor: Int64) async throws(PostgresStoreError) -> [RetryResult] {
        let now = self.now
        return try await exclusive {
            try await self.retryingTransaction { () async throws -> [RetryResult] in
                var applier = PostgresEventApplier(store: self, now: now)
                var results: [RetryResult] = []
                for (messageId, trackingIds) in RetryPlanning.byMessage(try await self.failureGroupRows(filter, user: actor)) {
                    results.append(
                        try await self.retry(
                            messageId: messageId, target: .group(Set(trackingIds)), now: now, actor: actor,
                            applier: &applier))
                }
                try await applier.flushCounters()
                if !results.isEmpty { try await self.notifyChange("outbox") }
                return results
            }
        }
    }

    /// The plans of a failure group's messages, newest first, in one read snapshot.
    func groupPlans(for user: Int64, filter: FailureFilter) async throws(PostgresStoreError) -> [RetryPlan] {
        try await snapshot { reads in
            var plans: [RetryPlan] = []
            for (messageId, trackingIds) in RetryPlanning.byMessage(try await reads.store.failureGroupRows(filter, user: user)) {
                plans.append(
                    try await reads.store.retryPlan(messageId: messageId, target: .group(Set(trackingIds)), lock: false))
            }
            return plans
        }
    }

    /// The dry run of a Retry of one message, in one read snapshot.
    func dryRun(messageId: Int64, selection: RetrySelection) async throws(PostgresStoreError) -> RetryPlan {
        let target = try Self.retryTarget(selection)
        return try await snapshot { reads in try await reads.store.retryPlan(messageId: messageId, target: target, lock: false) }
    }

    /// The selection with its addresses checked and normalized.
    static func retryTarget(_ selection: RetrySelection) throws(PostgresStoreError) -> RetryPlanning.Target {
        do { return try RetryPlanning.target(selection) } catch { throw .invalidInput(error.message) }
    }

    /// The retry of one message inside the caller's transaction; the applier's counter
    /// moves are flushed by the caller, once for all its messages.
    private func retry(
        messageId: Int64, target: RetryPlanning.Target, now: Double, actor: Int64, applier: inout PostgresEventApplier
    ) async throws -> RetryResult {
        let plan = try await retryPlan(messageId: messageId, target: target, lock: true)
        guard !plan.recipients.isEmpty else {
            throw PostgresStoreError.invalidInput("message \(messageId) has no failed recipients")
        }
        var result = RetryResult(executing: plan)
        var report = ApplyReport()
        for (tid, address) in plan.queue {
            try await retarget(trackingId: tid, to: address)
            let event = NewEvent(
                trackingId: tid, type: .retry, timestamp: now, source: "user",
                key: "retry:\(tid):\(UUID().uuidString)", details: EventDetails(recipient: address))
            try await applier.apply(event, into: &report)
            guard
                let outboxId = try await rows(
                    """
                    INSERT INTO outbox (message_id, tracking_id, kind, status, queued_at, next_attempt_at, requested_by)
                    VALUES (\(messageId), \(tid), 'retry', 'queued', \(now), \(now), \(actor)) RETURNING id
                    """
                ).first?.decode(Int64.self)
            else { throw PostgresStoreError.storage("the outbox entry was not inserted") }
            result.outboxIds.append(outboxId)
            result.trackingIds.append(tid)
            try await audit(at: now, actor: actor, action: "retry", messageId: messageId, trackingId: tid)
        }
        // A partial retry keeps the message in Failed while it still has failed rows
        // that were neither retried nor reviewed; retrying them all takes it out.
        let left = try await rows("SELECT failed_trackings FROM messages WHERE id = \(messageId)").first?.decode(Int64.self)
        result.leftFailed = Int(left ?? 0)
        if result.leftFailed == 0 {
            try await applier.updateMessage(messageId, failedDelta: 0, needsAction: false)
        }
        return result
    }

    /// Points a tracking row at the address its resend goes to, when its partner's
    /// address was fixed (or added) since the mail went out.
    private func retarget(trackingId: Int64, to address: String) async throws {
        try await execute(
            """
            UPDATE trackings SET address = \(address),
              recipient = COALESCE((SELECT p.name || ' <' || p.email || '>' FROM partners p
                                    WHERE p.id = trackings.partner_id AND p.email_normalized = \(address)), recipient)
            WHERE id = \(trackingId) AND address IS DISTINCT FROM \(address)
            """)
    }

    /// (message id, tracking id) of the failed rows of `filter` in `user`'s Failed
    /// mailbox, newest message first: the failure group a group retry is about.
    func failureGroupRows(_ filter: FailureFilter, user: Int64) async throws -> [(Int64, Int64)] {
        var sql = SQLBuilder("SELECT m.id, t.id FROM trackings t JOIN messages m ON m.id = t.message_id")
        sql.when(PostgresReads.failedRow(&sql, filter))
        sql.when(PostgresReads.mine(&sql, user: user))
        sql.appendWhere()
        sql.append(" ORDER BY m.date DESC, m.id DESC, t.id")
        return try await rows(sql.query).map { try $0.decode((Int64, Int64).self) }
    }
}
