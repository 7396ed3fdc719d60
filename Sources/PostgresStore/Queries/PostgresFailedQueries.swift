import PostgresNIO
import TrackingModel

/// The Failed mailbox on PostgreSQL: its pages, ids, counts and failure groups, read
/// along the same indexes as the SQLite store's (`messages_failed` in list order, each
/// message's rows by `trackings_message`, a group by `trackings_cause_domain`).
extension PostgresReads {
    /// The receiving domain of row `t`: the expression `trackings_cause_domain` indexes.
    static let domain = "substr(t.address, strpos(t.address, '@') + 1)"

    /// Messages `m` of the Failed mailbox of `user`: failed, written by or notified to them.
    static func mine(_ sql: inout SQLBuilder, user: Int64) -> String {
        let me = sql.bind(user)
        return """
            m.needs_action = 1 AND m.failed_trackings > 0 AND (m.author_id = \(me) OR EXISTS (
              SELECT 1 FROM message_recipients r WHERE r.partner_id = \(me) AND r.message_id = m.id))
            """
    }

    /// The condition on tracking row `t` of a failure filter: a failed row of its cause and domain.
    static func failedRow(_ sql: inout SQLBuilder, _ filter: FailureFilter) -> String {
        var parts = ["t.state IN (\(failedStatesSQL))"]
        switch filter.cause {
        case .cause(let c)?: parts.append("t.cause = \(sql.bind(c.rawValue))")
        case .unknown?: parts.append("t.cause IS NULL")
        case nil: break
        }
        if let domain = filter.domain {
            parts.append(domain.isEmpty ? "t.address IS NULL" : "\(Self.domain) = \(sql.bind(domain))")
        }
        return parts.joined(separator: " AND ")
    }

    /// The tracking columns a search matches (alias `t`).
    static let searchColumns = [
        "t.recipient", "t.sender", "t.subject", "t.address", "t.error_description", "t.bounce_description",
    ]

    /// A search over `searchColumns`, case-insensitive (ILIKE), the pattern bound once.
    static func searchMatch(_ sql: inout SQLBuilder, _ search: String) -> String {
        let p = sql.bind(likePattern(search))
        return "(" + searchColumns.map { "\($0) ILIKE \(p)" }.joined(separator: " OR ") + ")"
    }

    /// Adds the conditions of the (filtered, searched) mailbox of `user` on messages `m`.
    static func mailbox(_ sql: inout SQLBuilder, user: Int64, filter: FailureFilter?, search: String?) {
        sql.when(mine(&sql, user: user))
        if let filter {
            sql.when("EXISTS (SELECT 1 FROM trackings t WHERE t.message_id = m.id AND \(failedRow(&sql, filter)))")
        }
        if let search, !search.isEmpty {
            sql.when(
                "EXISTS (SELECT 1 FROM trackings t WHERE t.message_id = m.id AND t.state IN (\(failedStatesSQL)) AND "
                    + searchMatch(&sql, search) + ")")
        }
    }

    func failedMessages(for user: Int64, filter: FailureFilter?, search: String?, page: PageRequest) async throws
        -> Page<MessageView>
    {
        var sql = SQLBuilder(Self.messageSelect)
        let k = PostgresKeyset(page: page, time: "m.date", id: "m.id")
        Self.mailbox(&sql, user: user, filter: filter, search: search)
        k.constrain(&sql)
        sql.appendWhere()
        k.orderAndLimit(&sql)
        return k.page(try await messages(sql)) { ($0.date, $0.id) }
    }

    func failedMessageIds(for user: Int64, filter: FailureFilter?, search: String?) async throws -> [Int64] {
        var sql = SQLBuilder("SELECT m.id FROM messages m")
        Self.mailbox(&sql, user: user, filter: filter, search: search)
        sql.appendWhere()
        sql.append(" ORDER BY m.date DESC, m.id DESC")
        return try await rows(sql).map { try $0.decode(Int64.self) }
    }

    func failedCount(for user: Int64) async throws -> Int {
        var sql = SQLBuilder()
        sql.append("SELECT count FROM failed_counts WHERE partner_id = \(sql.bind(user))")
        return Int(try await value(sql, as: Int64.self) ?? 0)
    }

    func failedCount(for user: Int64, filter: FailureFilter?) async throws -> Int {
        guard let filter, filter.cause != nil || filter.domain != nil else { return try await failedCount(for: user) }
        var sql = SQLBuilder("SELECT COUNT(DISTINCT m.id) FROM trackings t JOIN messages m ON m.id = t.message_id")
        sql.when(Self.failedRow(&sql, filter))
        sql.when(Self.mine(&sql, user: user))
        sql.appendWhere()
        return try await count(sql)
    }

    func failedTally(for user: Int64, pending: [Int64]) async throws -> (count: Int, stillFailed: Set<Int64>) {
        let count = try await failedCount(for: user)
        guard !pending.isEmpty else { return (count, []) }
        var sql = SQLBuilder()
        sql.append(
            "SELECT id FROM messages WHERE id = ANY(\(sql.bind(pending))) AND needs_action = 1 AND failed_trackings > 0")
        return (count, Set(try await rows(sql).map { try $0.decode(Int64.self) }))
    }

    /// One grouped statement over the mailbox's failed rows; the sample is the text of
    /// the group's newest row (by time, then id), as the SQLite store picks it.
    func failureGroups(for user: Int64, filter: FailureFilter) async throws -> [FailureGroup] {
        var sql = SQLBuilder(
            """
            SELECT cause, domain, COUNT(*) AS n, MIN(ts) AS first, MAX(ts) AS last,
                   NULLIF((array_agg(sample ORDER BY ts DESC, id DESC))[1], '') AS sample
            FROM (
              SELECT t.cause, COALESCE(\(Self.domain), '') AS domain, t.id,
                     COALESCE(t.last_ts, t.created_at) AS ts,
                     COALESCE(t.bounce_description, t.error_description, t.error_type, '') AS sample
              FROM messages m JOIN trackings t ON t.message_id = m.id
            """)
        sql.when(Self.mine(&sql, user: user))
        sql.when(Self.failedRow(&sql, filter))
        sql.appendWhere()
        sql.append(") g GROUP BY cause, domain ORDER BY last DESC, cause NULLS FIRST, domain")
        return try await rows(sql).map { row in
            let (cause, domain, n, first, last, sample) = try row.decode((String?, String, Int64, Double, Double, String?).self)
            return FailureGroup(
                cause: cause.flatMap(FailureCause.init(rawValue:)).map(GroupCause.cause) ?? .unknown, domain: domain,
                count: Int(n), first: first, last: last, sample: sample)
        }
    }

    /// Read along `trackings_cause_domain` (one range per cause, grouped by domain).
    func refusalSurges(causes: [FailureCause], threshold: Int, window: Double, now: Double) async throws
        -> [RefusalSurge]
    {
        guard !causes.isEmpty else { return [] }
        var sql = SQLBuilder()
        let domain = PostgresSchema.receivingDomain
        sql.append(
            """
            SELECT cause, \(domain) AS domain, COUNT(*) AS n, MIN(COALESCE(last_ts, created_at)) AS since
            FROM trackings
            WHERE cause = ANY(\(sql.bind(causes.map(\.rawValue)))) AND address IS NOT NULL
              AND COALESCE(last_ts, created_at) >= \(sql.bind(now - window)) AND state IN (\(failedStatesSQL))
            GROUP BY cause, \(domain) HAVING COUNT(*) >= \(sql.bind(Int64(threshold))) ORDER BY n DESC, domain, cause
            """)
        return try await rows(sql).compactMap { row -> RefusalSurge? in
            let (word, domain, n, since) = try row.decode((String, String, Int64, Double).self)
            // The statement only returns the causes asked for, all known words.
            guard let cause = FailureCause(rawValue: word) else { return nil }
            return RefusalSurge(domain: domain, cause: cause, count: Int(n), since: since)
        }
    }
}
