import GRDB
import TrackingModel

/// Filters of the tracking emails list.
public struct TrackingFilter: Sendable, Hashable {
    /// Only rows in this state; `.some(nil)` = waiting rows.
    public var state: TrackingState??
    /// Only rows to this address (any form; compared normalized).
    public var recipient: String?
    /// Substring of recipient, sender or subject (case-insensitive for ASCII).
    public var search: String?

    public init(state: TrackingState?? = nil, recipient: String? = nil, search: String? = nil) {
        self.state = state
        self.recipient = recipient
        self.search = search
    }
}

/// Filters of the events list.
public struct EventFilter: Sendable, Hashable {
    public var trackingId: Int64?
    public var type: EventType?

    public init(trackingId: Int64? = nil, type: EventType? = nil) {
        self.trackingId = trackingId
        self.type = type
    }
}

/// Builds a keyset condition `(timeColumn, idColumn) < (cursor)` for newest-first pages.
struct Keyset {
    static func before(_ cursor: PageCursor?, time: String, id: String) -> (String, [any DatabaseValueConvertible])? {
        guard let cursor else { return nil }
        return ("(\(time) < ? OR (\(time) = ? AND \(id) < ?))", [cursor.time, cursor.time, cursor.id])
    }
}

/// A SELECT assembled from optional conditions, so each listing states its
/// filters once.
struct QueryBuilder {
    var conditions: [String] = []
    var arguments: [String: any DatabaseValueConvertible] = [:]
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
    /// tracking) that the user wrote or was notified of, newest first.
    public func failedMessages(for user: Int64, after: PageCursor? = nil, limit: Int = 50) throws(StoreError)
        -> Page<MessageView>
    {
        try read { db in
            var sql = Self.messageSelect + " WHERE m.needs_action = 1 AND m.failed_trackings > 0 AND "
                + FailedRule.mineCondition.replacingOccurrences(of: ":me", with: "?")
            var args: [any DatabaseValueConvertible] = [user, user]
            if let (cond, a) = Keyset.before(after, time: "m.date", id: "m.id") {
                sql += " AND " + cond
                args += a
            }
            sql += " ORDER BY m.date DESC, m.id DESC LIMIT ?"
            args.append(limit)
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args))
            let views = try Self.messageViews(db, rows: rows)
            return Page(rows: views, next: Self.nextCursor(views.map { ($0.date, $0.id) }, limit: limit))
        }
    }

    /// The Failed mailbox's counter for a user: kept up to date by every write,
    /// so reading it is one row (`recountFailed` checks it against the rule).
    public func failedCount(for user: Int64) throws(StoreError) -> Int {
        try read { db in
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count FROM failed_counts WHERE partner_id = ?"), arguments: [user]) ?? 0
        }
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
        try read { db in
            var q = QueryBuilder()
            if failedOnly { q.add("failed_count > 0") }
            if let search, !search.isEmpty { q.add("name LIKE ? ESCAPE '\\'", [Self.likePattern(search)]) }
            if let (cond, a) = Keyset.before(after, time: "last_activity", id: "id") { q.add(cond, a) }
            let sql = "SELECT * FROM threads" + q.whereClause + " ORDER BY last_activity DESC, id DESC LIMIT ?"
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(q.positional + [limit]))
            let list = rows.map(Self.threadSummary)
            return Page(rows: list, next: Self.nextCursor(list.map { ($0.lastActivity, $0.id) }, limit: limit))
        }
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

    static func threadView(_ db: Database, row: Row, after: PageCursor?, limit: Int) throws -> ThreadView {
        let summary = threadSummary(row)
        // The failed section and the history page in one statement each; their
        // message views are built together (a fixed number of statements).
        let failedRows = try Row.fetchAll(
            db,
            sql: messageSelect
                + " WHERE m.thread_id = ? AND m.needs_action = 1 AND m.failed_trackings > 0 ORDER BY m.date DESC, m.id DESC LIMIT 500",
            arguments: [summary.id])
        var sql = messageSelect + " WHERE m.thread_id = ?"
        var args: [any DatabaseValueConvertible] = [summary.id]
        if let (cond, a) = Keyset.before(after, time: "m.date", id: "m.id") {
            sql += " AND " + cond
            args += a
        }
        sql += " ORDER BY m.date DESC, m.id DESC LIMIT ?"
        args.append(limit)
        let historyRows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args))
        let views = try messageViews(db, rows: failedRows + historyRows)
        let failed = Array(views.prefix(failedRows.count))
        let history = Array(views.dropFirst(failedRows.count))
        return ThreadView(
            thread: summary, failed: failed, history: history,
            nextCursor: nextCursor(history.map { ($0.date, $0.id) }, limit: limit))
    }

    /// One message with its recipients.
    public func message(id: Int64) throws(StoreError) -> MessageView {
        try read { db in
            let rows = try Row.fetchAll(db, sql: Self.messageSelect + " WHERE m.id = ?", arguments: [id])
            guard let view = try Self.messageViews(db, rows: rows).first else {
                throw StoreError.notFound("no message with id \(id)")
            }
            return view
        }
    }

    // MARK: Trackings and events

    /// Tracking emails, newest first, filtered.
    public func trackings(_ filter: TrackingFilter = TrackingFilter(), after: PageCursor? = nil, limit: Int = 100)
        throws(StoreError) -> Page<TrackingRow>
    {
        var recipient: String?
        if let r = filter.recipient { recipient = try Self.checkAddress(r).normalized }
        return try read { db in
            var q = QueryBuilder()
            if let state = filter.state {
                if let state { q.add("t.state = ?", [state.rawValue]) } else { q.add("t.state IS NULL") }
            }
            if let recipient { q.add("t.address = ?", [recipient]) }
            if let search = filter.search, !search.isEmpty {
                let p = Self.likePattern(search)
                q.add(
                    "(t.recipient LIKE ? ESCAPE '\\' OR t.sender LIKE ? ESCAPE '\\' OR t.subject LIKE ? ESCAPE '\\' OR t.address LIKE ? ESCAPE '\\')",
                    [p, p, p, p])
            }
            if let (cond, a) = Keyset.before(after, time: "t.created_at", id: "t.id") { q.add(cond, a) }
            let rows = try Self.trackingRows(
                db, sql: q.whereClause + " ORDER BY t.created_at DESC, t.id DESC LIMIT ?",
                arguments: StatementArguments(q.positional + [limit]))
            return Page(rows: rows, next: Self.nextCursor(rows.map { ($0.createdAt, $0.id) }, limit: limit))
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
        try read { db in
            var q = QueryBuilder()
            if let t = filter.trackingId { q.add("tracking_id = ?", [t]) }
            if let type = filter.type { q.add("type = ?", [type.rawValue]) }
            if let (cond, a) = Keyset.before(after, time: "timestamp", id: "id") { q.add(cond, a) }
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM events" + q.whereClause + " ORDER BY timestamp DESC, id DESC LIMIT ?",
                arguments: StatementArguments(q.positional + [limit]))
            let list = rows.compactMap(Self.eventRow)
            return Page(rows: list, next: Self.nextCursor(list.map { ($0.timestamp, $0.id) }, limit: limit))
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

    // MARK: Row building (shared by every listing)

    static let messageSelect = """
        SELECT m.id, m.thread_id, m.message_id, m.date, m.subject, m.body, m.needs_action,
               m.author_id, a.name AS author_name, a.email AS author_email,
               th.model AS thread_model, th.key AS thread_key, th.name AS thread_name
        FROM messages m
        JOIN partners a ON a.id = m.author_id
        JOIN threads th ON th.id = m.thread_id
        """

    /// Message views for message rows, with their recipient entries in the
    /// reference's order: three more statements whatever the number of rows.
    static func messageViews(_ db: Database, rows: [Row]) throws -> [MessageView] {
        guard !rows.isEmpty else { return [] }
        let ids = Array(Set(rows.map { $0["id"] as Int64 }))
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var trackingsByMessage: [Int64: [Row]] = [:]
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT t.id, t.message_id, t.partner_id, t.recipient, t.address, t.is_cc, t.state, t.error_type,
                       t.error_description, t.bounce_description, p.name AS partner_name
                FROM trackings t LEFT JOIN partners p ON p.id = t.partner_id
                WHERE t.message_id IN (\(marks)) ORDER BY t.message_id, t.id
                """, arguments: StatementArguments(ids))
        {
            trackingsByMessage[r["message_id"], default: []].append(r)
        }
        var recipientsByMessage: [Int64: [Row]] = [:]
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT r.message_id, r.kind, r.partner_id, r.address, r.display, p.name AS partner_name,
                       p.email AS partner_email
                FROM message_recipients r LEFT JOIN partners p ON p.id = r.partner_id
                WHERE r.message_id IN (\(marks)) ORDER BY r.message_id, r.position
                """, arguments: StatementArguments(ids))
        {
            recipientsByMessage[r["message_id"], default: []].append(r)
        }
        let pageAddresses = Array(
            Set(
                (Array(trackingsByMessage.values.joined()) + Array(recipientsByMessage.values.joined()))
                    .compactMap { $0["address"] as String? }))
        var aliases = Set<String>()
        if !pageAddresses.isEmpty {
            let amarks = Array(repeating: "?", count: pageAddresses.count).joined(separator: ",")
            aliases = Set(
                try String.fetchAll(
                    db, sql: "SELECT address FROM aliases WHERE address IN (\(amarks))",
                    arguments: StatementArguments(pageAddresses)))
        }
        return rows.map { row in
            let id: Int64 = row["id"]
            let entries = recipientEntries(
                trackings: trackingsByMessage[id] ?? [], recipients: recipientsByMessage[id] ?? [], aliases: aliases)
            return MessageView(
                id: id, threadId: row["thread_id"],
                thread: ThreadRef(model: row["thread_model"], key: row["thread_key"]), threadName: row["thread_name"],
                messageId: row["message_id"],
                author: PartnerRef(id: row["author_id"], name: row["author_name"], email: row["author_email"]),
                date: row["date"], subject: row["subject"], body: row["body"], needsAction: row["needs_action"],
                recipients: entries)
        }
    }

    /// SEMANTICS.md "Status markers": tracking rows first, then partners without
    /// tracking, then Cc addresses without partner, then To addresses without
    /// partner; our aliases left out.
    static func recipientEntries(trackings: [Row], recipients: [Row], aliases: Set<String>) -> [RecipientEntry] {
        var entries: [RecipientEntry] = []
        var trackedPartners = Set<Int64>()
        var trackedAddresses = Set<String>()
        for t in trackings {
            let address: String? = t["address"]
            if let address, aliases.contains(address) { continue }
            let partnerId: Int64? = t["partner_id"]
            if let partnerId { trackedPartners.insert(partnerId) }
            if let address { trackedAddresses.insert(address) }
            let state = (t["state"] as String?).flatMap(TrackingState.init(rawValue:))
            let errorType: String? = t["error_type"]
            entries.append(
                RecipientEntry(
                    name: (t["partner_name"] as String?) ?? t["recipient"], address: address, partnerId: partnerId,
                    trackingId: t["id"], state: state, marker: Marker.forTracking(state: state, errorType: errorType),
                    cc: t["is_cc"], errorType: errorType,
                    errorDescription: (t["bounce_description"] as String?) ?? t["error_description"]))
        }
        var ccRaw: [RecipientEntry] = []
        var toRaw: [RecipientEntry] = []
        for r in recipients {
            let address: String? = r["address"]
            if let address, aliases.contains(address) { continue }
            let isCc = (r["kind"] as String) == "cc"
            if let partnerId = r["partner_id"] as Int64? {
                guard !trackedPartners.contains(partnerId) else { continue }
                let hasEmail = (r["partner_email"] as String?) != nil
                entries.append(
                    RecipientEntry(
                        name: r["partner_name"] ?? r["display"], address: address, partnerId: partnerId,
                        trackingId: nil, state: nil, marker: hasEmail ? .unknown : .noEmail, cc: isCc,
                        errorType: hasEmail ? nil : noRecipientErrorType,
                        errorDescription: hasEmail ? nil : noRecipientDescription))
            } else if let address, !trackedAddresses.contains(address) {
                let entry = RecipientEntry(
                    name: r["display"], address: address, partnerId: nil, trackingId: nil, state: nil,
                    marker: isCc ? .cc : .noPartner, cc: isCc)
                if isCc { ccRaw.append(entry) } else { toRaw.append(entry) }
            }
        }
        return entries + ccRaw + toRaw
    }

    static func threadSummary(_ row: Row) -> ThreadSummary {
        ThreadSummary(
            id: row["id"], ref: ThreadRef(model: row["model"], key: row["key"]), name: row["name"],
            failedCount: row["failed_count"], messageCount: row["message_count"], lastActivity: row["last_activity"])
    }

    static func trackingRows(_ db: Database, sql suffix: String, arguments: StatementArguments) throws -> [TrackingRow] {
        try Row.fetchAll(db, sql: "SELECT t.* FROM trackings t " + suffix, arguments: arguments).map { r in
            TrackingRow(
                id: r["id"], messageId: r["message_id"], partnerId: r["partner_id"], createdAt: r["created_at"],
                subject: r["subject"], sender: r["sender"], recipient: r["recipient"], address: r["address"],
                state: (r["state"] as String?).flatMap(TrackingState.init(rawValue:)), cc: r["is_cc"],
                errorSmtpServer: r["error_smtp_server"], errorType: r["error_type"],
                errorDescription: r["error_description"], bounceType: r["bounce_type"],
                bounceDescription: r["bounce_description"], token: r["token"])
        }
    }

    static func eventRow(_ r: Row) -> EventRow? {
        guard let type = EventType(rawValue: r["type"]) else { return nil }
        return EventRow(
            id: r["id"], trackingId: r["tracking_id"], type: type, timestamp: r["timestamp"], source: r["source"],
            key: r["key"], machine: r["machine"],
            details: EventDetails(
                recipient: r["recipient"], smtpServer: r["smtp_server"], url: r["url"], ip: r["ip"],
                userAgent: r["user_agent"], osFamily: r["os_family"], uaFamily: r["ua_family"], uaType: r["ua_type"],
                mobile: r["mobile"], country: r["country"], errorType: r["error_type"],
                errorDescription: r["error_description"], errorDetails: r["error_details"],
                bounceType: r["bounce_type"], bounceDescription: r["bounce_description"]))
    }

    /// The cursor after a full page (nil when the page is the last).
    static func nextCursor(_ keys: [(Double, Int64)], limit: Int) -> PageCursor? {
        guard keys.count >= limit, let last = keys.last else { return nil }
        return PageCursor(time: last.0, id: last.1)
    }

    /// `%text%` with LIKE's wildcards escaped.
    static func likePattern(_ text: String) -> String {
        var out = "%"
        for c in text {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "%"
    }
}
