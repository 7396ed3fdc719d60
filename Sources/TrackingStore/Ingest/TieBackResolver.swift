import GRDB
import TrackingModel

/// Finds the tracking row of a delivery signal inside a write transaction, strongest key first
/// (the tie-back keys of `TieBackKeys`); a key that matches nothing falls through to the next one.
///
/// - tracking id (our header / a provider variable): a row id (digits) or a row token;
/// - VERP token: a row token (or id);
/// - ENVID: a row token (or id), else a Message-ID + recipient;
/// - queue id / provider message id recorded at submission, + recipient;
/// - Message-ID + recipient.
/// "+ recipient" picks the message's row whose normalized address is the recipient; with no
/// recipient only a message with a single row matches.
///
/// A message sent as one shared mail carries its shared token instead of a row's in the tracking
/// header, the VERP sender and ENVID (one mail, several rows): such a key picks the message's row
/// of the recipient the signal names, so a DSN for one recipient lands on that recipient's row.
struct TieBackResolver {
    let db: Database

    func resolve(_ keys: TieBackKeys) throws -> TieBackResolution {
        let recipient = keys.recipient.map(Self.normalize)
        var tried: [String] = []
        if let v = keys.trackingId {
            if let id = try rowOrShared(v, recipient) { return .tracking(id, via: .trackingId) }
            tried.append("tracking id \(v)")
        }
        if let v = keys.verpToken {
            if let id = try rowOrShared(v, recipient) { return .tracking(id, via: .verpToken) }
            tried.append("VERP token \(v)")
        }
        if let v = keys.envelopeId {
            if let id = try rowOrShared(v, recipient) { return .tracking(id, via: .envelopeId) }
            if let id = try pick(Self.byMessageId, v, recipient) { return .tracking(id, via: .envelopeId) }
            tried.append("ENVID \(v)")
        }
        if let v = keys.queueId {
            if let id = try pick(Self.byQueueId, v, recipient) { return .tracking(id, via: .queueId) }
            tried.append("queue id \(v)")
        }
        if let v = keys.providerMessageId {
            if let id = try pick(Self.byProviderId, v, recipient) { return .tracking(id, via: .providerMessageId) }
            tried.append("provider message id \(v)")
        }
        if let v = keys.messageId {
            if let id = try pick(Self.byMessageId, v, recipient) { return .tracking(id, via: .messageId) }
            tried.append("Message-ID <\(v)>")
        }
        if tried.isEmpty { return .unresolved(reason: "no tie-back key") }
        let who = recipient.map { " for recipient \($0)" } ?? " (no recipient)"
        return .unresolved(reason: "no tracking matches " + tried.joined(separator: ", ") + who)
    }

    /// The comparison form of an address: `AddressParser.normalize`, with a fast path for plain ASCII.
    static func normalize(_ address: String) -> String {
        let trimmed = address.utf8.first == UInt8(ascii: "<") || address.utf8.last == UInt8(ascii: ">")
            ? String(address.drop { $0 == "<" }.reversed().drop { $0 == ">" }.reversed()) : address
        if trimmed.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\"") }) {
            return trimmed.lowercased()
        }
        return AddressParser.normalize(trimmed) ?? trimmed.lowercased()
    }

    private static let byMessageId =
        "SELECT t.id, t.address FROM messages m JOIN trackings t ON t.message_id = m.id WHERE m.message_id = ?"
    private static let bySharedToken =
        "SELECT t.id, t.address FROM messages m JOIN trackings t ON t.message_id = m.id WHERE m.shared_token = ?"
    private static let byQueueId = "SELECT id, address FROM trackings WHERE queue_id = ?"
    private static let byProviderId = "SELECT id, address FROM trackings WHERE provider_message_id = ?"

    /// A row by id or token, else the recipient's row of the message whose shared token it is.
    private func rowOrShared(_ value: String, _ recipient: String?) throws -> Int64? {
        if let id = try idOrToken(value) { return id }
        return try pick(Self.bySharedToken, value, recipient)
    }

    /// A row by id (all digits) or token.
    private func idOrToken(_ value: String) throws -> Int64? {
        if !value.isEmpty, value.utf8.count <= 18, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let id = Int64(value) {
            let s = RawStatement(try db.cachedStatement(sql: "SELECT id FROM trackings WHERE id = ?"))
            s.bind(1, id)
            defer { s.reset() }
            if try s.step(db) { return s.int64(0) }
        }
        let s = RawStatement(try db.cachedStatement(sql: "SELECT id FROM trackings WHERE token = ? LIMIT 1"))
        s.bind(1, value)
        defer { s.reset() }
        return try s.step(db) ? s.int64(0) : nil
    }

    /// The row among those `sql` finds for `value` whose address is `recipient`
    /// (or the only row when there is no recipient).
    private func pick(_ sql: String, _ value: String, _ recipient: String?) throws -> Int64? {
        let s = RawStatement(try db.cachedStatement(sql: sql))
        s.bind(1, value)
        defer { s.reset() }
        var only: Int64?
        var count = 0
        while try s.step(db) {
            count += 1
            guard let id = s.int64(0) else { continue }
            if let recipient {
                if s.text(1) == recipient { return id }
            } else {
                only = id
            }
        }
        return recipient == nil && count == 1 ? only : nil
    }
}
