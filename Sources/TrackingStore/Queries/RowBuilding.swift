import GRDB
import TrackingModel

/// How every listing turns rows into model values: the message columns they all
/// read, message views with their recipients, thread summaries, tracking and event
/// rows, causes, the next keyset cursor and LIKE patterns.
extension TrackingStore {
    /// The message columns every listing reads. CROSS JOIN keeps `messages`
    /// the outer loop, walking the listing's own index: with statistics on a
    /// big store the planner otherwise scanned threads and sorted (385 ms).
    static let messageSelect = """
        SELECT m.id, m.thread_id, m.message_id, m.date, m.subject, m.body, m.needs_action,
               m.author_id, a.name AS author_name, a.email AS author_email,
               th.model AS thread_model, th.key AS thread_key, th.name AS thread_name,
               m.shared_token IS NOT NULL AS shared_mail
        FROM messages m
        CROSS JOIN partners a ON a.id = m.author_id
        CROSS JOIN threads th ON th.id = m.thread_id
        """

    /// A message row as `messageSelect` returns it.
    struct MessageBase {
        var id: Int64
        var threadId: Int64
        var messageId: String
        var date: Double
        var subject: String
        var body: String
        var needsAction: Bool
        var author: PartnerRef
        var thread: ThreadRef
        var threadName: String
        var sharedMail: Bool

        init(_ s: RawStatement) {
            id = s.int64(0) ?? 0
            threadId = s.int64(1) ?? 0
            messageId = s.text(2) ?? ""
            date = s.double(3) ?? 0
            subject = s.text(4) ?? ""
            body = s.text(5) ?? ""
            needsAction = (s.int64(6) ?? 0) != 0
            author = PartnerRef(id: s.int64(7) ?? 0, name: s.text(8) ?? "", email: s.text(9))
            thread = ThreadRef(model: s.text(10) ?? "", key: s.text(11) ?? "")
            threadName = s.text(12) ?? ""
            sharedMail = (s.int64(13) ?? 0) != 0
        }
    }

    /// Runs a cached `messageSelect` statement; `bind` sets its parameters.
    static func messageBases(_ db: Database, sql: String, bind: (RawStatement) -> Void) throws -> [MessageBase] {
        let s = RawStatement(try db.cachedStatement(sql: sql))
        defer { s.reset() }
        bind(s)
        var out: [MessageBase] = []
        while try s.step(db) { out.append(MessageBase(s)) }
        return out
    }

    /// Message views of a `messageSelect` statement.
    static func messages(_ db: Database, sql: String, bind: (RawStatement) -> Void) throws -> [MessageView] {
        try messageViews(db, bases: try messageBases(db, sql: sql, bind: bind))
    }

    static func threadSummary(_ row: Row) -> ThreadSummary {
        ThreadSummary(
            id: row["id"], ref: ThreadRef(model: row["model"], key: row["key"]), name: row["name"],
            failedCount: row["failed_count"], messageCount: row["message_count"], lastActivity: row["last_activity"])
    }

    static func trackingRows(_ db: Database, sql suffix: String, arguments: StatementArguments) throws -> [TrackingRow] {
        // The pixel token is the one the row's mail carries: the message's shared token for one shared mail.
        try Row.fetchAll(
            db,
            sql: """
                SELECT t.*, COALESCE((SELECT m.shared_token FROM messages m WHERE m.id = t.message_id), t.token)
                  AS pixel_token
                FROM trackings t
                """ + " " + suffix, arguments: arguments
        ).map { r in
            TrackingRow(
                id: r["id"], messageId: r["message_id"], partnerId: r["partner_id"], createdAt: r["created_at"],
                subject: r["subject"], sender: r["sender"], recipient: r["recipient"], address: r["address"],
                state: (r["state"] as String?).flatMap(TrackingState.init(rawValue:)), cc: r["is_cc"],
                errorSmtpServer: r["error_smtp_server"], errorType: r["error_type"],
                errorDescription: r["error_description"], bounceType: r["bounce_type"],
                bounceDescription: r["bounce_description"], token: r["pixel_token"],
                cause: Self.cause(r), pixelURL: r["pixel_url"])
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
                bounceType: r["bounce_type"], bounceDescription: r["bounce_description"], cause: cause(r)))
    }

    /// The stored cause word of a row (a word this build does not know reads as none).
    static func cause(_ r: Row) -> FailureCause? {
        (r["cause"] as String?).flatMap(FailureCause.init(rawValue:))
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
