import PostgresNIO
import TrackingModel

/// Threads, a thread's chatter and history, single messages and the Inbox counter on
/// PostgreSQL: `threads_activity` / `threads_failed` for the list, `messages_thread`
/// and `messages_failed_thread` for a thread, as on SQLite.
extension PostgresReads {
    static let threadColumns = "id, model, key, name, failed_count, message_count, last_activity"

    static func threadSummary(_ row: PostgresRow) throws -> ThreadSummary {
        let (id, model, key, name, failed, messages, last) =
            try row.decode((Int64, String, String, String, Int64, Int64, Double).self)
        return ThreadSummary(
            id: id, ref: ThreadRef(model: model, key: key), name: name, failedCount: Int(failed),
            messageCount: Int(messages), lastActivity: last)
    }

    func threads(failedOnly: Bool, search: String?, page: PageRequest) async throws -> Page<ThreadSummary> {
        var sql = SQLBuilder("SELECT \(Self.threadColumns) FROM threads")
        if failedOnly { sql.when("failed_count > 0") }
        if let search, !search.isEmpty { sql.when("name ILIKE \(sql.bind(likePattern(search)))") }
        let k = PostgresKeyset(page: page, time: "last_activity", id: "id")
        k.constrain(&sql)
        sql.appendWhere()
        k.orderAndLimit(&sql)
        return k.page(try await rows(sql).map(Self.threadSummary)) { ($0.lastActivity, $0.id) }
    }

    func threadCount(failedOnly: Bool, search: String?) async throws -> Int? {
        if let search, !search.isEmpty { return nil }
        return try await count(SQLBuilder("SELECT COUNT(*) FROM threads" + (failedOnly ? " WHERE failed_count > 0" : "")))
    }

    /// A thread's row by reference, or by id.
    func threadRow(_ ref: ThreadRef?, id: Int64?) async throws -> ThreadSummary {
        var sql = SQLBuilder("SELECT \(Self.threadColumns) FROM threads")
        if let ref { sql.when("model = \(sql.bind(ref.model)) AND key = \(sql.bind(ref.key))") }
        if let id { sql.when("id = \(sql.bind(id))") }
        sql.appendWhere()
        guard let row = try await rows(sql).first else {
            throw PostgresStoreError.notFound(ref.map { "no thread \($0)" } ?? "no thread with id \(id ?? 0)")
        }
        return try Self.threadSummary(row)
    }

    /// A thread's newest failed messages, then a page of its history; their views are
    /// built together (a fixed number of statements).
    func threadView(_ summary: ThreadSummary, after: PageCursor?, limit: Int) async throws -> ThreadView {
        var failed = SQLBuilder(Self.messageSelect)
        failed.append(
            " WHERE m.thread_id = \(failed.bind(summary.id)) AND m.needs_action = 1 AND m.failed_trackings > 0"
                + " ORDER BY m.date DESC, m.id DESC LIMIT \(failed.bind(Int64(ThreadView.failedSectionLimit)))")
        let page = PageRequest.below(after, limit: limit)
        let history = historySQL(id: summary.id, page: page)
        let failedBases = try await messageBases(failed)
        let views = try await messageViews(failedBases + (try await messageBases(history)))
        let historyViews = Array(views.dropFirst(failedBases.count))
        return ThreadView(
            thread: summary, failed: Array(views.prefix(failedBases.count)), history: historyViews,
            nextCursor: page.nextCursor(historyViews.map { ($0.date, $0.id) }))
    }

    /// One page of a thread's history along `messages_thread`.
    func historySQL(id: Int64, page: PageRequest) -> SQLBuilder {
        var sql = SQLBuilder(Self.messageSelect)
        sql.when("m.thread_id = \(sql.bind(id))")
        let k = PostgresKeyset(page: page, time: "m.date", id: "m.id")
        k.constrain(&sql)
        sql.appendWhere()
        k.orderAndLimit(&sql)
        return sql
    }

    func threadHistory(id: Int64, page: PageRequest) async throws -> Page<MessageView> {
        let k = PostgresKeyset(page: page, time: "m.date", id: "m.id")
        return k.page(try await messages(historySQL(id: id, page: page))) { ($0.date, $0.id) }
    }

    func message(id: Int64) async throws -> MessageView {
        var sql = SQLBuilder(Self.messageSelect)
        sql.append(" WHERE m.id = \(sql.bind(id))")
        guard let view = try await messages(sql).first else { throw PostgresStoreError.notFound("no message with id \(id)") }
        return view
    }

    /// Messages the user wrote plus messages they are a partner recipient of (not
    /// written by them), among ids `afterId+1...throughId`.
    func inboxCount(for user: Int64, afterId: Int64, throughId: Int64) async throws -> Int {
        var authored = SQLBuilder()
        authored.append(
            "SELECT COUNT(*) FROM messages WHERE author_id = \(authored.bind(user)) AND id > \(authored.bind(afterId))"
                + " AND id <= \(authored.bind(throughId))")
        var received = SQLBuilder()
        let me = received.bind(user)
        received.append(
            """
            SELECT COUNT(DISTINCT r.message_id) FROM message_recipients r JOIN messages m ON m.id = r.message_id
            WHERE r.partner_id = \(me) AND r.message_id > \(received.bind(afterId))
              AND r.message_id <= \(received.bind(throughId)) AND m.author_id IS DISTINCT FROM \(me)
            """)
        return try await count(authored) + count(received)
    }

    func latestMessageId() async throws -> Int64 {
        try await value(SQLBuilder("SELECT MAX(id) FROM messages"), as: Int64.self) ?? 0
    }
}
