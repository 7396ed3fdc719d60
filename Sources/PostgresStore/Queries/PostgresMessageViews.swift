import PostgresNIO
import TrackingModel

/// Message views as every message listing of the PostgreSQL store builds them: the
/// message columns, then their recipient entries (tracking rows, To / Cc recipients,
/// our aliases) in three statements whatever the number of messages, ordered by the
/// model's one rule (`RecipientOrder`), as the SQLite store does.
extension PostgresReads {
    /// The message columns every listing reads (`m` is the message).
    static let messageSelect = """
        SELECT m.id, m.thread_id, m.message_id, m.date, m.subject, m.body, m.needs_action,
               m.author_id, a.name AS author_name, a.email AS author_email,
               th.model AS thread_model, th.key AS thread_key, th.name AS thread_name,
               m.shared_token IS NOT NULL AS shared_mail
        FROM messages m
        JOIN partners a ON a.id = m.author_id
        JOIN threads th ON th.id = m.thread_id
        """

    /// A message row as `messageSelect` returns it, without its recipients yet.
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

        init(_ row: PostgresRow) throws {
            let (id, threadId, messageId, date, subject, body, needsAction, authorId, authorName, authorEmail,
                model, key, threadName, shared) = try row.decode(
                    (Int64, Int64, String, Double, String, String, Int64, Int64, String, String?, String, String,
                     String, Bool).self)
            self.id = id
            self.threadId = threadId
            self.messageId = messageId
            self.date = date
            self.subject = subject
            self.body = body
            self.needsAction = needsAction != 0
            self.author = PartnerRef(id: authorId, name: authorName, email: authorEmail)
            self.thread = ThreadRef(model: model, key: key)
            self.threadName = threadName
            self.sharedMail = shared
        }
    }

    /// The message rows of a statement that starts with `messageSelect`.
    func messageBases(_ sql: SQLBuilder) async throws -> [MessageBase] {
        try await rows(sql).map(MessageBase.init)
    }

    /// Message views (with recipients) of a statement that starts with `messageSelect`.
    func messages(_ sql: SQLBuilder) async throws -> [MessageView] {
        try await messageViews(try await messageBases(sql))
    }

    /// The views of message rows: three statements (tracking rows, recipients,
    /// aliases among their addresses), the ids bound as one array.
    func messageViews(_ bases: [MessageBase]) async throws -> [MessageView] {
        guard !bases.isEmpty else { return [] }
        let ids = bases.map(\.id)
        var trackings: [Int64: [RecipientOrder.TrackingBit]] = [:]
        var addresses = Set<String>()
        var q = SQLBuilder(
            """
            SELECT t.message_id, t.id, t.partner_id, t.recipient, t.address, t.is_cc, t.state, t.error_type,
                   COALESCE(t.bounce_description, t.error_description), p.name, t.cause
            FROM trackings t LEFT JOIN partners p ON p.id = t.partner_id
            WHERE t.message_id = ANY(
            """)
        q.append(q.bind(ids) + ")")
        for row in try await rows(q) {
            let (messageId, id, partnerId, recipient, address, isCc, state, errorType, errorText, partnerName, cause) =
                try row.decode((Int64, Int64, Int64?, String, String?, Int64, String?, String?, String?, String?, String?).self)
            if let address { addresses.insert(address) }
            trackings[messageId, default: []].append(
                RecipientOrder.TrackingBit(
                    id: id, partnerId: partnerId, recipient: recipient, address: address, isCc: isCc != 0,
                    state: state.flatMap(TrackingState.init(rawValue:)), errorType: errorType, errorText: errorText,
                    partnerName: partnerName, cause: cause.flatMap(FailureCause.init(rawValue:))))
        }
        var recipients: [Int64: [RecipientOrder.RecipientBit]] = [:]
        q = SQLBuilder(
            """
            SELECT r.message_id, r.position, r.kind, r.partner_id, r.address, r.display, p.name, p.email
            FROM message_recipients r LEFT JOIN partners p ON p.id = r.partner_id
            WHERE r.message_id = ANY(
            """)
        q.append(q.bind(ids) + ")")
        for row in try await rows(q) {
            let (messageId, position, kind, partnerId, address, display, partnerName, partnerEmail) =
                try row.decode((Int64, Int64, String, Int64?, String?, String, String?, String?).self)
            if let address { addresses.insert(address) }
            recipients[messageId, default: []].append(
                RecipientOrder.RecipientBit(
                    position: position, isCc: kind == "cc", partnerId: partnerId, address: address, display: display,
                    partnerName: partnerName, partnerEmail: partnerEmail))
        }
        var aliases = Set<String>()
        if !addresses.isEmpty {
            q = SQLBuilder("SELECT address FROM aliases WHERE address = ANY(")
            q.append(q.bind(Array(addresses)) + ")")
            for row in try await rows(q) { aliases.insert(try row.decode(String.self)) }
        }
        return bases.map { b in
            MessageView(
                id: b.id, threadId: b.threadId, thread: b.thread, threadName: b.threadName, messageId: b.messageId,
                author: b.author, date: b.date, subject: b.subject, body: b.body, needsAction: b.needsAction,
                recipients: RecipientOrder.entries(
                    trackings: (trackings[b.id] ?? []).sorted { $0.id < $1.id },
                    recipients: (recipients[b.id] ?? []).sorted { $0.position < $1.position }, aliases: aliases),
                sharedMail: b.sharedMail)
        }
    }
}
