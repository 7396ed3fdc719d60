import Foundation
import GRDB
import TrackingModel

extension FailureFilter {
    /// Parses a group key `CAUSE/DOMAIN` (both parts; the domain may be empty).
    public init(group: String) throws(StoreError) {
        guard let slash = group.firstIndex(of: "/") else {
            throw StoreError.invalidInput("a group is CAUSE/DOMAIN, got \(group)")
        }
        let word = String(group[..<slash])
        guard let cause = GroupCause(word: word) else {
            throw StoreError.invalidInput("unknown cause \(word) (a cause word or unknown)")
        }
        self.init(cause: cause, domain: String(group[group.index(after: slash)...]))
    }

    /// Conditions on the tracking row `t` (a failed row of this filter) and their arguments.
    var condition: (sql: String, arguments: [String]) {
        var parts = ["t.state IN (\(FailureGroups.failedStates))"]
        var args: [String] = []
        switch cause {
        case .cause(let c)?:
            parts.append("t.cause = ?")
            args.append(c.rawValue)
        case .unknown?: parts.append("t.cause IS NULL")
        case nil: break
        }
        if let domain {
            if domain.isEmpty {
                parts.append("t.address IS NULL")
            } else {
                parts.append("\(FailureGroups.domain) = ?")
                args.append(domain)
            }
        }
        return (parts.joined(separator: " AND "), args)
    }
}

enum FailureGroups {
    static let failedStates = TrackingState.allCases.filter(\.isFailed).map { "'\($0.rawValue)'" }
        .joined(separator: ",")
    /// The receiving domain of row `t`: the indexed expression (`trackings_cause_domain`).
    static let domain = "substr(t.address, instr(t.address, '@') + 1)"
    /// Messages of the Failed mailbox of `?` (bound twice).
    static let mine = "m.needs_action = 1 AND m.failed_trackings > 0 AND " + FailedRule.mineConditionPositional

    /// (message id, tracking id) of the failed rows of `filter` in the user's
    /// Failed mailbox, newest message first.
    static func rows(_ db: Database, _ filter: FailureFilter, user: Int64) throws -> [(Int64, Int64)] {
        let c = filter.condition
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT m.id AS mid, t.id AS tid FROM trackings t JOIN messages m ON m.id = t.message_id
                WHERE \(c.sql) AND \(mine)
                ORDER BY m.date DESC, m.id DESC, t.id
                """, arguments: StatementArguments(c.arguments) + [user, user])
        return rows.map { ($0["mid"], $0["tid"]) }
    }
}

extension TrackingStore {
    /// The Failed mailbox of a user as failure groups: one per (cause, receiving
    /// domain) of its failed recipients, newest failure first. One grouped
    /// statement over the mailbox's failed rows (the `messages_failed` index, then
    /// each message's rows by `trackings_message`). The sample is the newest row's
    /// text, picked in the same pass: the largest of "time, id, text" with time and
    /// id written at a fixed width so that text order is time order (a window
    /// function ranking every row of a group took as long again as the grouping).
    public func failureGroups(for user: Int64, filter: FailureFilter = FailureFilter()) throws(StoreError)
        -> [FailureGroup]
    {
        try read { db in
            let c = filter.condition
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT cause, domain, COUNT(*) AS n, MIN(ts) AS first, MAX(ts) AS last,
                           NULLIF(substr(MAX(printf('%020.6f%020d', ts, id) || sample), 41), '') AS sample
                    FROM (
                      SELECT t.cause, COALESCE(\(FailureGroups.domain), '') AS domain, t.id,
                             COALESCE(t.last_ts, t.created_at) AS ts,
                             COALESCE(t.bounce_description, t.error_description, t.error_type, '') AS sample
                      FROM messages m JOIN trackings t ON t.message_id = m.id
                      WHERE \(FailureGroups.mine) AND \(c.sql))
                    GROUP BY cause, domain
                    ORDER BY last DESC, cause, domain
                    """, arguments: [user, user] + StatementArguments(c.arguments))
            return rows.map { r in
                FailureGroup(
                    cause: Self.cause(r).map(GroupCause.cause) ?? .unknown, domain: r["domain"], count: r["n"],
                    first: r["first"], last: r["last"], sample: r["sample"])
            }
        }
    }

    /// The messages of a user's Failed mailbox that have a failed recipient of
    /// `filter`, newest first (ids).
    public func failedMessageIds(for user: Int64, filter: FailureFilter) throws(StoreError) -> [Int64] {
        try read { db in RetryPlanning.byMessage(try FailureGroups.rows(db, filter, user: user)).map(\.0) }
    }

    /// The dry run of a group retry: per message of the group (newest first), the
    /// Retry plan of its failed recipients in the group, with the same checks as
    /// `retryPlan`. Reads only, in one read transaction.
    public func retryPlans(for user: Int64, filter: FailureFilter) throws(StoreError) -> [RetryPlan] {
        try read { db in
            try RetryPlanning.byMessage(try FailureGroups.rows(db, filter, user: user)).map { m, tids in
                try Self.retryPlan(db, messageId: m, selection: .group(Set(tids)))
            }
        }
    }

    /// Retries a whole group in one write transaction: each message's failed
    /// recipients of the group, exactly as `retry(messageId:selection:by:)` (plan,
    /// events, outbox entries, audit log). Returns one result per message.
    @discardableResult
    public func retry(filter: FailureFilter, by actor: Int64) throws(StoreError) -> [RetryResult] {
        let now = self.now
        return try write { db in
            try RetryPlanning.byMessage(try FailureGroups.rows(db, filter, user: actor)).map { m, tids in
                try Self.retry(db, messageId: m, selection: .group(Set(tids)), now: now, actor: actor)
            }
        }
    }
}
