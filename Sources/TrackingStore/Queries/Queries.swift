import GRDB
import TrackingModel

/// The keyset condition of newest-first pages: rows strictly before the cursor
/// in (time, id) order. Written once; bound either as GRDB arguments (the
/// listings built with `QueryBuilder`) or onto a raw statement (the message
/// listings on the C-API path).
struct Keyset {
    /// `(time < ? OR (time = ? AND id < ?))`: three positional parameters.
    static func condition(time: String, id: String) -> String {
        "(\(time) < ? OR (\(time) = ? AND \(id) < ?))"
    }

    /// ` AND <condition>` on messages `m`, or nothing on the first page.
    static func messagesClause(_ cursor: PageCursor?) -> String {
        cursor == nil ? "" : " AND " + condition(time: "m.date", id: "m.id")
    }

    /// Binds the cursor's three parameters from `index`; returns the next free index.
    @discardableResult
    static func bind(_ cursor: PageCursor?, to s: RawStatement, from index: Int32) -> Int32 {
        guard let cursor else { return index }
        s.bind(index, cursor.time)
        s.bind(index + 1, cursor.time)
        s.bind(index + 2, cursor.id)
        return index + 3
    }
}

/// A SELECT assembled from optional conditions, so each listing states its
/// filters once.
struct QueryBuilder {
    var conditions: [String] = []
    var positional: [any DatabaseValueConvertible] = []

    mutating func add(_ condition: String, _ args: [any DatabaseValueConvertible] = []) {
        conditions.append(condition)
        positional += args
    }

    var whereClause: String { conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ") }
}

extension TrackingStore {
    // MARK: Failed mailbox

    /// The Failed mailbox of a user: failed messages (needs action, a failed
    /// tracking) that the user wrote or was notified of, newest first. With a
    /// `filter`, only messages with a failed recipient of that cause and/or
    /// receiving domain (an indexed check per message of the mailbox). `search`
    /// keeps the messages with a failed row matching it as `trackings` searches
    /// (recipient, address and domain, subject, sender, the error and bounce texts).
    public func failedMessages(
        for user: Int64, filter: FailureFilter? = nil, search: String? = nil, after: PageCursor? = nil,
        limit: Int = 50
    ) throws(StoreError) -> Page<MessageView> {
        try failedMessages(
            for: user, filter: filter, search: search, page: PageRequest(after.map { .after($0) } ?? .top, limit: limit))
    }

    /// The Failed mailbox as `failedMessages(for:filter:search:after:limit:)`, for any page of it.
    public func failedMessages(
        for user: Int64, filter: FailureFilter? = nil, search: String? = nil, page: PageRequest
    ) throws(StoreError) -> Page<MessageView> {
        let k = KeysetPage(page, time: "m.date", id: "m.id")
        let mailbox = FailedMailboxCondition(user: user, filter: filter, search: search)
        return try read { db in
            let views = try Self.messages(
                db, sql: Self.messageSelect + " WHERE " + mailbox.sql + k.andClause + k.order + " LIMIT ?"
            ) { s in
                s.bind(k.bind(to: s, from: mailbox.bind(to: s)), k.limit)
            }
            let rows = k.newestFirst(views)
            return Page(rows: rows, next: k.next(rows.map { ($0.date, $0.id) }))
        }
    }

    /// The Failed mailbox's counter for a user: kept up to date by every write,
    /// so reading it is one row (`recountFailed` checks it against the rule).
    public func failedCount(for user: Int64) throws(StoreError) -> Int {
        try read { db in try Self.failedCount(db, user: user) }
    }

    /// The kept Failed counter of a user, inside a transaction.
    static func failedCount(_ db: Database, user: Int64) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT count FROM failed_counts WHERE partner_id = ?"), arguments: [user]) ?? 0
    }

    /// The Failed mailbox count of a user computed from the rule itself (for
    /// tests and `stats`: it must equal `failedCount`).
    public func recountFailed(for user: Int64) throws(StoreError) -> Int {
        try read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM messages m WHERE m.needs_action = 1 AND m.failed_trackings > 0 AND "
                    + FailedRule.mineCondition, arguments: ["me": user]) ?? 0
        }
    }

    // MARK: Threads

    /// Threads, newest activity first, with their failed counts; `failedOnly` is
    /// the "Failed sent messages" filter; `search` matches thread names.
    public func threads(failedOnly: Bool = false, search: String? = nil, after: PageCursor? = nil, limit: Int = 100)
        throws(StoreError) -> Page<ThreadSummary>
    {
        try threads(failedOnly: failedOnly, search: search, page: PageRequest(after.map { .after($0) } ?? .top, limit: limit))
    }

    /// One thread's chatter: its failed messages, then a page of its history (newest first).
    public func thread(_ ref: ThreadRef, after: PageCursor? = nil, limit: Int = 200) throws(StoreError) -> ThreadView {
        try read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM threads WHERE model = ? AND key = ?", arguments: [ref.model, ref.key])
            else { throw StoreError.notFound("no thread \(ref)") }
            return try Self.threadView(db, row: row, after: after, limit: limit)
        }
    }

    /// One thread's chatter by id.
    public func thread(id: Int64, after: PageCursor? = nil, limit: Int = 200) throws(StoreError) -> ThreadView {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM threads WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("no thread with id \(id)")
            }
            return try Self.threadView(db, row: row, after: after, limit: limit)
        }
    }

    /// How many failed messages a thread view carries (the newest); the
    /// thread's `failedCount` says how many there are in all.
    public static let threadFailedSectionLimit = ThreadView.failedSectionLimit

    static func threadView(_ db: Database, row: Row, after: PageCursor?, limit: Int) throws -> ThreadView {
        let summary = threadSummary(row)
        // The failed section and the history page in one statement each; their
        // message views are built together (a fixed number of statements).
        let failed = try messageBases(
            db,
            sql: messageSelect
                + " WHERE m.thread_id = ? AND m.needs_action = 1 AND m.failed_trackings > 0 ORDER BY m.date DESC, m.id DESC LIMIT ?"
        ) { s in
            s.bind(1, summary.id)
            s.bind(2, threadFailedSectionLimit)
        }
        let history = try messageBases(
            db, sql: messageSelect + " WHERE m.thread_id = ?" + Keyset.messagesClause(after) + " ORDER BY m.date DESC, m.id DESC LIMIT ?"
        ) { s in
            s.bind(1, summary.id)
            s.bind(Keyset.bind(after, to: s, from: 2), limit)
        }
        let views = try messageViews(db, bases: failed + history)
        let historyViews = Array(views.dropFirst(failed.count))
        return ThreadView(
            thread: summary, failed: Array(views.prefix(failed.count)), history: historyViews,
            nextCursor: nextCursor(historyViews.map { ($0.date, $0.id) }, limit: limit))
    }

    /// One message with its recipients.
    public func message(id: Int64) throws(StoreError) -> MessageView {
        try read { db in
            guard let view = try Self.messages(db, sql: Self.messageSelect + " WHERE m.id = ?", bind: { $0.bind(1, id) }).first
            else {
                throw StoreError.notFound("no message with id \(id)")
            }
            return view
        }
    }

    // MARK: Trackings and events

    /// The tracking columns a search matches (alias `t`).
    static let searchColumns = [
        "t.recipient", "t.sender", "t.subject", "t.address", "t.error_description", "t.bounce_description",
    ]

    /// Tracking emails, newest first, filtered.
    public func trackings(_ filter: TrackingFilter = TrackingFilter(), after: PageCursor? = nil, limit: Int = 100)
        throws(StoreError) -> Page<TrackingRow>
    {
        try trackings(filter, page: PageRequest(after.map { .after($0) } ?? .top, limit: limit))
    }

    /// Tracking emails as `trackings(_:after:limit:)`, for any page of the list.
    public func trackings(_ filter: TrackingFilter = TrackingFilter(), page: PageRequest) throws(StoreError)
        -> Page<TrackingRow>
    {
        let k = KeysetPage(page, time: "t.created_at", id: "t.id")
        var recipient: String?
        if let r = filter.recipient { recipient = try Self.checkAddress(r).normalized }
        return try read { db in
            var q = QueryBuilder()
            if let state = filter.state {
                if let state { q.add("t.state = ?", [state.rawValue]) } else { q.add("t.state IS NULL") }
            }
            if let recipient { q.add("t.address = ?", [recipient]) }
            // Written inline as the partial index `trackings_failed` states it, so that it is used.
            if filter.failedOnly { q.add("t.state IN (\(FailureGroups.failedStates))") }
            if let search = filter.search, !search.isEmpty {
                // Sender, recipient (name and address, so a domain matches), subject, and the
                // failure's own words: the SMTP error and bounce texts carry the status code
                // ("5.1.1") and the receiver's reply. No text index: the rows are read newest
                // first along the listing's index and the page stops at `limit` matches.
                let p = Self.likePattern(search)
                q.add("(" + Self.searchColumns.map { "\($0) LIKE ? ESCAPE '\\'" }.joined(separator: " OR ") + ")",
                      Array(repeating: p, count: Self.searchColumns.count))
            }
            if let cond = k.condition { q.add(cond, k.arguments) }
            // Every failed state at once: the partial index in list order (the planner,
            // without statistics, would read by state and sort every failed row per page).
            let hint = filter.failedOnly && recipient == nil && filter.state == nil ? " INDEXED BY trackings_failed" : ""
            let rows = k.newestFirst(
                try Self.trackingRows(
                    db, sql: hint + q.whereClause + k.order + " LIMIT ?", arguments: StatementArguments(q.positional + [k.limit])))
            return Page(rows: rows, next: k.next(rows.map { ($0.createdAt, $0.id) }))
        }
    }

    /// One tracking email.
    public func tracking(id: Int64) throws(StoreError) -> TrackingRow {
        try read { db in
            guard let row = try Self.trackingRows(db, sql: " WHERE t.id = ?", arguments: [id]).first else {
                throw StoreError.notFound("no tracking email with id \(id)")
            }
            return row
        }
    }

    /// Events, newest first, filtered.
    public func events(_ filter: EventFilter = EventFilter(), after: PageCursor? = nil, limit: Int = 100)
        throws(StoreError) -> Page<EventRow>
    {
        try events(filter, page: PageRequest(after.map { .after($0) } ?? .top, limit: limit))
    }

    /// Events as `events(_:after:limit:)`, for any page of the list.
    public func events(_ filter: EventFilter = EventFilter(), page: PageRequest) throws(StoreError) -> Page<EventRow> {
        let k = KeysetPage(page, time: "timestamp", id: "id")
        return try read { db in
            var q = QueryBuilder()
            if let t = filter.trackingId { q.add("tracking_id = ?", [t]) }
            if let type = filter.type { q.add("type = ?", [type.rawValue]) }
            if let cond = k.condition { q.add(cond, k.arguments) }
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM events" + q.whereClause + k.order + " LIMIT ?",
                arguments: StatementArguments(q.positional + [k.limit]))
            let list = k.newestFirst(rows.compactMap(Self.eventRow))
            return Page(rows: list, next: k.next(list.map { ($0.timestamp, $0.id) }))
        }
    }

    /// Totals for `chatter stats` and the front.
    public func stats(for user: Int64?) throws(StoreError) -> StoreStats {
        try read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            var byState: [TrackingState?: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM trackings GROUP BY state") {
                byState[(row["state"] as String?).flatMap(TrackingState.init(rawValue:))] = row["n"]
            }
            let failed =
                try user.map {
                    try Int.fetchOne(
                        db,
                        sql: "SELECT COUNT(*) FROM messages m WHERE m.needs_action = 1 AND m.failed_trackings > 0 AND "
                            + FailedRule.mineCondition, arguments: ["me": $0]) ?? 0
                } ?? count("SELECT COUNT(*) FROM messages WHERE needs_action = 1 AND failed_trackings > 0")
            return StoreStats(
                partners: try count("SELECT COUNT(*) FROM partners"),
                threads: try count("SELECT COUNT(*) FROM threads"),
                messages: try count("SELECT COUNT(*) FROM messages"),
                trackings: byState.values.reduce(0, +),
                events: try count("SELECT COUNT(*) FROM events"),
                failedMessages: failed,
                needsAction: try count("SELECT COUNT(*) FROM messages WHERE needs_action = 1"),
                trackingsByState: byState,
                outboxQueued: try count("SELECT COUNT(*) FROM outbox WHERE status = 'queued'"))
        }
    }
}
