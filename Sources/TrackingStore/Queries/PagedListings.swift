import GRDB
import TrackingModel

/// The keyset SQL of a `PageRequest` over a newest-first (time, id) order: the
/// condition, the order to read in (a page above, or the end of the list, is
/// read oldest first along the same index, backwards) and whether the rows must
/// be turned back to newest first. Every paged listing uses it, so a list can be
/// read from its end in one indexed step instead of paging through it all.
struct KeysetPage {
    /// The condition on (time, id), with three positional parameters; nil for an end.
    var condition: String?
    var arguments: [any DatabaseValueConvertible]
    /// `time DESC, id DESC` or `time ASC, id ASC`.
    var order: String
    /// The rows come back oldest first and must be reversed.
    var reversed: Bool
    var limit: Int

    /// The request read (its direction, its rows' order, its next cursor).
    var request: PageRequest

    init(_ page: PageRequest, time: String, id: String) {
        request = page
        limit = page.limit
        reversed = page.readsUpward
        switch page.start {
        case .top, .bottom:
            condition = nil
            arguments = []
        case .after(let c):
            condition = Keyset.condition(time: time, id: id)
            arguments = [c.time, c.time, c.id]
        case .before(let c):
            condition = "(\(time) > ? OR (\(time) = ? AND \(id) > ?))"
            arguments = [c.time, c.time, c.id]
        }
        let dir = reversed ? "ASC" : "DESC"
        order = " ORDER BY \(time) \(dir), \(id) \(dir)"
    }

    /// ` AND <condition>`, or nothing.
    var andClause: String { condition.map { " AND " + $0 } ?? "" }

    /// Binds the condition's parameters from `index` onto a raw statement; returns the next free index.
    func bind(to s: RawStatement, from index: Int32) -> Int32 {
        guard condition != nil, let t = arguments[0] as? Double, let i = arguments[2] as? Int64 else { return index }
        s.bind(index, t)
        s.bind(index + 1, t)
        s.bind(index + 2, i)
        return index + 3
    }

    /// Rows read in this page's order, newest first.
    func newestFirst<T>(_ rows: [T]) -> [T] { request.newestFirst(rows) }

    /// The cursor of the next page down (only for pages read downwards and full).
    func next(_ keys: [(Double, Int64)]) -> PageCursor? { request.nextCursor(keys) }
}

extension TrackingStore {
    /// Threads as `threads(failedOnly:search:after:limit:)`, for any page of the list.
    public func threads(failedOnly: Bool = false, search: String? = nil, page: PageRequest)
        throws(StoreError) -> Page<ThreadSummary>
    {
        try read { db in
            var q = QueryBuilder()
            if failedOnly { q.add("failed_count > 0") }
            if let search, !search.isEmpty { q.add("name LIKE ? ESCAPE '\\'", [Self.likePattern(search)]) }
            let k = KeysetPage(page, time: "last_activity", id: "id")
            if let cond = k.condition { q.add(cond, k.arguments) }
            let sql = "SELECT * FROM threads" + q.whereClause + k.order + " LIMIT ?"
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(q.positional + [k.limit]))
            let list = k.newestFirst(rows.map(Self.threadSummary))
            return Page(rows: list, next: k.next(list.map { ($0.lastActivity, $0.id) }))
        }
    }

    /// How many threads the thread list holds (one count along the threads'
    /// index); nil with a search, which would read every name.
    public func threadCount(failedOnly: Bool, search: String?) throws(StoreError) -> Int? {
        if let search, !search.isEmpty { return nil }
        return try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM threads" + (failedOnly ? " WHERE failed_count > 0" : "")) ?? 0
        }
    }

    /// How many tracking emails a filter keeps (one count along the state
    /// index, or the table's smallest index); nil with a search.
    public func trackingCount(_ filter: TrackingFilter) throws(StoreError) -> Int? {
        if let search = filter.search, !search.isEmpty { return nil }
        if filter.recipient != nil { return nil }
        return try read { db in
            var q = QueryBuilder()
            if let state = filter.state {
                if let state { q.add("t.state = ?", [state.rawValue]) } else { q.add("t.state IS NULL") }
            }
            if filter.failedOnly { q.add("t.state IN (\(FailureGroups.failedStates))") }
            return try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM trackings t" + q.whereClause, arguments: StatementArguments(q.positional))
                ?? 0
        }
    }

    /// How many events the events list holds: of one tracking row (its index), or all.
    public func eventCount(trackingId: Int64?) throws(StoreError) -> Int {
        try read { db in
            if let trackingId {
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE tracking_id = ?", arguments: [trackingId]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0
        }
    }

    /// How many messages of a user's Failed mailbox have a failed recipient of
    /// `filter`: the kept counter without a filter, else one count along the
    /// group index (`trackings_cause_domain`).
    public func failedCount(for user: Int64, filter: FailureFilter?) throws(StoreError) -> Int {
        guard let filter, filter.cause != nil || filter.domain != nil else { return try failedCount(for: user) }
        return try read { db in
            let c = filter.condition
            return try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(DISTINCT m.id) FROM trackings t JOIN messages m ON m.id = t.message_id
                    WHERE \(c.sql) AND \(FailureGroups.mine)
                    """, arguments: StatementArguments(c.arguments) + [user, user]) ?? 0
        }
    }
}

/// The condition on messages `m` of a user's Failed mailbox, optionally of a
/// failure group and/or matching a search (a failed recipient of the group, a
/// failed recipient whose texts match), with its positional parameters: the
/// page listing and the id listing of bulk actions state it once.
struct FailedMailboxCondition {
    var sql: String
    var arguments: [String]
    var user: Int64

    init(user: Int64, filter: FailureFilter?, search: String?) {
        self.user = user
        var sql = "m.needs_action = 1 AND m.failed_trackings > 0 AND " + FailedRule.mineConditionPositional
        var arguments: [String] = []
        if let c = filter?.condition {
            sql += " AND EXISTS (SELECT 1 FROM trackings t WHERE t.message_id = m.id AND \(c.sql))"
            arguments += c.arguments
        }
        if let search, !search.isEmpty {
            let matches = TrackingStore.searchColumns.map { "\($0) LIKE ? ESCAPE '\\'" }.joined(separator: " OR ")
            sql += " AND EXISTS (SELECT 1 FROM trackings t WHERE t.message_id = m.id AND t.state IN ("
                + FailureGroups.failedStates + ") AND (\(matches)))"
            arguments += Array(repeating: TrackingStore.likePattern(search), count: TrackingStore.searchColumns.count)
        }
        self.sql = sql
        self.arguments = arguments
    }

    /// Binds the user (twice) and the arguments from index 1; returns the next free index.
    func bind(to s: RawStatement) -> Int32 {
        s.bind(1, user)
        s.bind(2, user)
        var i: Int32 = 3
        for a in arguments {
            s.bind(i, a)
            i += 1
        }
        return i
    }
}

extension TrackingStore {
    /// The ids of every message of a user's Failed mailbox (of a group, matching a
    /// search), newest first: what a bulk action on a whole filtered list applies to.
    public func failedMessageIds(for user: Int64, filter: FailureFilter?, search: String?) throws(StoreError) -> [Int64] {
        let mailbox = FailedMailboxCondition(user: user, filter: filter, search: search)
        return try read { db in
            let s = RawStatement(
                try db.cachedStatement(sql: "SELECT m.id FROM messages m WHERE " + mailbox.sql + " ORDER BY m.date DESC, m.id DESC"))
            defer { s.reset() }
            _ = mailbox.bind(to: s)
            var ids: [Int64] = []
            while try s.step(db) { ids.append(s.int64(0) ?? 0) }
            return ids
        }
    }
}
