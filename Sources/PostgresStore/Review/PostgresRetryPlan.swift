import Foundation
import PostgresNIO
import TrackingModel

/// The dry run of a Retry on PostgreSQL: the SQLite store's six statements (the message,
/// its failed rows, the address history, the scores, the last events, the pending outbox
/// entries), whatever the number of recipients, judged by the one rule
/// (`RetryPlanning`). Run in a read snapshot for the dry run, in the writing transaction
/// for `retry` (then the message row is locked first, so two retries of one message
/// queue its rows once).
extension PostgresStore {
    /// The plan of one message, inside the caller's transaction.
    func retryPlan(messageId: Int64, target: RetryPlanning.Target, lock: Bool) async throws -> RetryPlan {
        let exists: PostgresQuery =
            lock
            ? "SELECT 1::bigint FROM messages WHERE id = \(messageId) FOR UPDATE"
            : "SELECT 1::bigint FROM messages WHERE id = \(messageId)"
        guard try await !rows(exists).isEmpty else { throw PostgresStoreError.notFound("no message with id \(messageId)") }
        // Where a resend goes and whose bounced flag speaks for it: as the SQLite store's statement.
        let failed = try await rows(
            """
            SELECT t.id, t.recipient, COALESCE(own.email_normalized, t.address) AS address, t.state,
                   t.error_type, COALESCE(t.bounce_description, t.error_description) AS error_description, t.cause,
                   own.name AS partner_name, p.id AS partner_id, p.email_bounced
            FROM trackings t
            LEFT JOIN partners own ON own.id = t.partner_id
            LEFT JOIN partners p ON p.id = COALESCE(
              (SELECT o.id FROM partners o
               WHERE o.id = t.partner_id AND o.email_normalized = COALESCE(own.email_normalized, t.address)),
              (SELECT o.id FROM partners o WHERE o.email_normalized = COALESCE(own.email_normalized, t.address)
               ORDER BY o.id LIMIT 1))
            WHERE t.message_id = \(messageId) AND t.state IN (\(unescaped: failedStatesSQL))
            ORDER BY t.id
            """
        ).map { row in
            let (id, recipient, address, state, errorType, description, cause, name, partnerId, bounced) = try row.decode(
                (Int64, String, String?, String?, String?, String?, String?, String?, Int64?, Int64?).self)
            return RetryPlanning.FailedRow(
                id: id, recipient: recipient, address: address, state: state.flatMap(TrackingState.init(rawValue:)),
                errorType: errorType, errorDescription: description, cause: cause.flatMap(FailureCause.init(rawValue:)),
                partnerName: name, partnerId: partnerId, emailBounced: bounced.map { $0 != 0 })
        }
        let selected: [RetryPlanning.FailedRow]
        do { selected = try RetryPlanning.select(failed, target, messageId: messageId) } catch {
            throw PostgresStoreError.invalidInput(error.message)
        }
        guard !selected.isEmpty else { return RetryPlan(messageId: messageId, recipients: []) }
        let ids = selected.map(\.id)
        let addresses = Array(Set(selected.compactMap(\.address))).sorted()
        return RetryPlanning.plan(
            messageId: messageId, rows: selected, target: target, history: try await addressHistory(addresses),
            scores: try await addressScores(addresses), events: try await lastEvents(ids),
            pending: try await pendingOutbox(ids))
    }

    /// One grouped statement: per address, event type and cause, how many and the newest time.
    private func addressHistory(_ addresses: [String]) async throws -> [String: RetryPlanning.AddressHistory] {
        let types = RetryPlanning.historyTypes.map(\.rawValue)
        var result: [String: RetryPlanning.AddressHistory] = [:]
        for row in try await rows(
            """
            SELECT t.address, e.type, e.cause, COUNT(*), MAX(e.timestamp)
            FROM trackings t JOIN events e ON e.tracking_id = t.id
            WHERE t.address = ANY(\(addresses)) AND e.type = ANY(\(types))
              AND (e.type <> 'error' OR COALESCE(e.error_type, '') <> \(noRecipientErrorType))
            GROUP BY t.address, e.type, e.cause
            """)
        {
            let (address, word, cause, n, last) = try row.decode((String, String, String?, Int64, Double).self)
            guard let type = EventType(rawValue: word) else { continue }
            result[address, default: RetryPlanning.AddressHistory()].add(
                type: type, cause: cause.flatMap(FailureCause.init(rawValue:)), count: Int(n), last: last)
        }
        return result
    }

    /// One grouped statement: per address, its rows per state (for the email score).
    private func addressScores(_ addresses: [String]) async throws -> [String: [TrackingState?: Int]] {
        var counts: [String: [TrackingState?: Int]] = [:]
        for row in try await rows(
            "SELECT address, state, COUNT(*) FROM trackings WHERE address = ANY(\(addresses)) GROUP BY address, state")
        {
            let (address, state, n) = try row.decode((String, String?, Int64).self)
            counts[address, default: [:]][state.flatMap(TrackingState.init(rawValue:))] = Int(n)
        }
        return counts
    }

    /// One statement: each row's newest events (a window per row), newest first.
    private func lastEvents(_ ids: [Int64]) async throws -> [Int64: [RetryEvent]] {
        var result: [Int64: [RetryEvent]] = [:]
        for row in try await rows(
            """
            SELECT tracking_id, type, timestamp, source, description FROM (
              SELECT tracking_id, type, timestamp, source,
                     COALESCE(error_description, bounce_description) AS description,
                     ROW_NUMBER() OVER (PARTITION BY tracking_id ORDER BY timestamp DESC, id DESC) AS n
              FROM events WHERE tracking_id = ANY(\(ids))) e
            WHERE n <= \(Int64(RetryRecipient.eventLimit))
            ORDER BY tracking_id, n
            """)
        {
            let (id, word, timestamp, source, description) = try row.decode((Int64, String, Double, String, String?).self)
            guard let type = EventType(rawValue: word) else { continue }
            result[id, default: []].append(
                RetryEvent(type: type, timestamp: timestamp, source: source, description: description))
        }
        return result
    }

    /// One statement: the outbox entry already queued or sending per row (a retry would duplicate it).
    private func pendingOutbox(_ ids: [Int64]) async throws -> [Int64: Int64] {
        var result: [Int64: Int64] = [:]
        for row in try await rows(
            """
            SELECT tracking_id, MIN(id) FROM outbox
            WHERE tracking_id = ANY(\(ids)) AND status IN ('queued', 'sending')
            GROUP BY tracking_id
            """)
        {
            let (tracking, id) = try row.decode((Int64, Int64).self)
            result[tracking] = id
        }
        return result
    }
}
