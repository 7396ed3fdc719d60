import Foundation
import GRDB
import TrackingModel

/// One resolved recipient of a post, in To-then-Cc order.
struct ResolvedRecipient {
    var kind: String  // "to" | "cc"
    var partner: (id: Int64, name: String, email: String?, normalized: String?, notify: Bool)?
    var mailbox: Mailbox?

    var normalized: String? { partner?.normalized ?? mailbox?.normalized }
}

extension TrackingStore {
    /// Posts a message to a thread (created when new) with one tracking row per
    /// recipient the mail goes to, all in one transaction (README "The rules"):
    /// partners with an address and raw addresses get a waiting row; a partner
    /// without address gets an `error` / `no_recipient` row (not flagged bounced);
    /// our aliases are left out; To / Cc duplicates and case variants give one row.
    /// A broken address is a clear error and nothing is written.
    public func post(_ request: PostRequest) throws(StoreError) -> PostResult {
        let subject = request.subject.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !subject.isEmpty else { throw .invalidInput("a message needs a subject") }
        for (what, text) in [("subject", subject), ("body", request.body), ("thread name", request.threadName ?? "")]
        where !StoredText.isStorable(text) {
            throw .invalidInput("the \(what) contains a NUL character")
        }
        let toBoxes = try Self.parseLists(request.to)
        let ccBoxes = try Self.parseLists(request.cc)
        let now = self.now
        let date = request.date ?? now
        return try write { db in
            try Self.post(db, request: request, subject: subject, toBoxes: toBoxes, ccBoxes: ccBoxes, date: date, now: now)
        }
    }

    static func parseLists(_ lists: [String]) throws(StoreError) -> [Mailbox] {
        var out: [Mailbox] = []
        for text in lists {
            switch AddressParser.parseList(text) {
            case .success(let boxes): out += boxes
            case .failure(let e): throw .invalidInput(e.description)
            }
        }
        return out
    }

    static func post(
        _ db: Database, request: PostRequest, subject: String, toBoxes: [Mailbox], ccBoxes: [Mailbox], date: Double,
        now: Double
    ) throws -> PostResult {
        guard let author = try Row.fetchOne(db, sql: "SELECT id, name, email FROM partners WHERE id = ?", arguments: [request.authorId])
        else { throw StoreError.notFound("no partner with id \(request.authorId) (author)") }
        let aliases = Set(try String.fetchAll(db, sql: "SELECT address FROM aliases"))
        let threadId = try ensureThread(db, ref: request.thread, name: request.threadName, date: date)

        // Resolve recipients: partners by id first (To), then To, then Cc addresses.
        var resolved: [ResolvedRecipient] = []
        var seenPartners = Set<Int64>()
        var seenAddresses = Set<String>()
        func partnerRow(_ row: Row) -> (id: Int64, name: String, email: String?, normalized: String?, notify: Bool) {
            (row["id"], row["name"], row["email"], row["email_normalized"], row["notify_email"])
        }
        for pid in request.partnerIds {
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM partners WHERE id = ?", arguments: [pid]) else {
                throw StoreError.notFound("no partner with id \(pid)")
            }
            let p = partnerRow(row)
            if let n = p.normalized, aliases.contains(n) { continue }
            guard seenPartners.insert(p.id).inserted else { continue }
            if let n = p.normalized {
                guard seenAddresses.insert(n).inserted else { continue }
            }
            resolved.append(ResolvedRecipient(kind: "to", partner: p, mailbox: nil))
        }
        for (kind, boxes) in [("to", toBoxes), ("cc", ccBoxes)] {
            for box in boxes {
                if aliases.contains(box.normalized) { continue }
                guard seenAddresses.insert(box.normalized).inserted else { continue }
                if let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM partners WHERE email_normalized = ? ORDER BY id LIMIT 1",
                    arguments: [box.normalized])
                {
                    let p = partnerRow(row)
                    guard seenPartners.insert(p.id).inserted else { continue }
                    resolved.append(ResolvedRecipient(kind: kind, partner: p, mailbox: box))
                } else {
                    resolved.append(ResolvedRecipient(kind: kind, partner: nil, mailbox: box))
                }
            }
        }

        let messageId = request.messageId ?? generateMessageId(authorEmail: author["email"], date: date)
        try db.execute(
            sql: """
                INSERT INTO messages (thread_id, author_id, date, subject, body, message_id, email_to, email_cc, tracked)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                threadId, request.authorId, date, subject, request.body, messageId,
                request.to.joined(separator: ", "), request.cc.joined(separator: ", "), request.tracked,
            ])
        let messageRowId = db.lastInsertedRowID
        try db.execute(
            sql: "UPDATE threads SET message_count = message_count + 1, last_activity = MAX(last_activity, ?) WHERE id = ?",
            arguments: [date, threadId])

        let authorName: String = author["name"]
        let authorEmail: String? = author["email"]
        let sender = authorEmail.map { "\(authorName) <\($0)>" } ?? authorName
        for (position, r) in resolved.enumerated() {
            let display = r.partner.map { p in p.email.map { "\(p.name) <\($0)>" } ?? p.name } ?? r.mailbox?.formatted ?? ""
            try db.execute(
                sql: """
                    INSERT INTO message_recipients (message_id, position, kind, partner_id, address, display)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [messageRowId, position, r.kind, r.partner?.id, r.normalized, display])
            guard request.tracked else { continue }
            if let p = r.partner, !p.notify { continue }
            try db.execute(
                sql: """
                    INSERT INTO trackings (message_id, partner_id, recipient, address, is_cc, sender, subject, created_at, token)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    messageRowId, r.partner?.id, display, r.normalized, r.kind == "cc", sender, subject, now,
                    randomToken(),
                ])
            let tid = db.lastInsertedRowID
            if r.normalized == nil {
                let event = NewEvent(
                    trackingId: tid, type: .error, timestamp: now, source: "post", key: "no_recipient:\(tid)",
                    details: EventDetails(
                        recipient: display, errorType: noRecipientErrorType, errorDescription: noRecipientDescription))
                _ = try EventApplier(db: db, now: now).apply(event)
            }
        }
        let trackings = try trackingRows(db, sql: "WHERE t.message_id = ? ORDER BY t.id", arguments: [messageRowId])
        return PostResult(id: messageRowId, messageId: messageId, trackings: trackings)
    }

    /// The thread for a ref, created on first use.
    static func ensureThread(_ db: Database, ref: ThreadRef, name: String?, date: Double) throws -> Int64 {
        if let id = try Int64.fetchOne(
            db, sql: "SELECT id FROM threads WHERE model = ? AND key = ?", arguments: [ref.model, ref.key])
        {
            if let name, !name.isEmpty {
                try db.execute(sql: "UPDATE threads SET name = ? WHERE id = ?", arguments: [name, id])
            }
            return id
        }
        try db.execute(
            sql: "INSERT INTO threads (model, key, name, last_activity) VALUES (?, ?, ?, ?)",
            arguments: [ref.model, ref.key, name ?? ref.description, date])
        return db.lastInsertedRowID
    }

    /// A fresh RFC 5322 Message-ID (without brackets) in the author's domain.
    static func generateMessageId(authorEmail: String?, date: Double) -> String {
        PostingIdentity.messageId(authorEmail: authorEmail, date: date)
    }

    /// 128 random bits as 32 hex digits: the open-tracking pixel token.
    static func randomToken() -> String { PostingIdentity.pixelToken() }

    static func hex64(_ v: UInt64) -> String { PostingIdentity.hex64(v) }
}
