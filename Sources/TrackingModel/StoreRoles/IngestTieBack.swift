/// The lookups a store offers `TieBackSearch`: each finds candidate tracking rows for one
/// key, in the store's own SQL.
public protocol TieBackLookup {
    /// The row whose id (`value` all digits) or token is `value`.
    func tracking(idOrToken value: String) throws -> Int64?
    /// The rows (id, normalized address) that `value` names through `key`.
    func candidates(_ key: TieBackLookupKey, _ value: String) throws -> [(id: Int64, address: String?)]
}

/// The columns a tie-back key is looked up in, after the row id / token.
public enum TieBackLookupKey: Sendable, Hashable {
    /// `messages.message_id` (the rows of that message).
    case messageId
    /// `messages.shared_token` (the rows of a message sent as one shared mail).
    case sharedToken
    /// `trackings.queue_id` recorded at submission.
    case queueId
    /// `trackings.provider_message_id` recorded at submission.
    case providerMessageId
}

/// Finds the tracking row of a delivery signal, strongest key first (the tie-back keys of
/// `TieBackKeys`); a key that matches nothing falls through to the next one. The rule is
/// this one code for every store; the lookups are the store's.
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
public enum TieBackSearch {
    /// The row the keys name, or why none does (in words for `chatter unmatched`).
    public static func resolve(_ keys: TieBackKeys, in lookup: some TieBackLookup) throws -> TieBackResolution {
        let recipient = keys.recipient.map(normalize)
        var tried: [String] = []
        if let v = keys.trackingId {
            if let id = try rowOrShared(v, recipient, lookup) { return .tracking(id, via: .trackingId) }
            tried.append("tracking id \(v)")
        }
        if let v = keys.verpToken {
            if let id = try rowOrShared(v, recipient, lookup) { return .tracking(id, via: .verpToken) }
            tried.append("VERP token \(v)")
        }
        if let v = keys.envelopeId {
            if let id = try rowOrShared(v, recipient, lookup) { return .tracking(id, via: .envelopeId) }
            if let id = pick(try lookup.candidates(.messageId, v), recipient) { return .tracking(id, via: .envelopeId) }
            tried.append("ENVID \(v)")
        }
        if let v = keys.queueId {
            if let id = pick(try lookup.candidates(.queueId, v), recipient) { return .tracking(id, via: .queueId) }
            tried.append("queue id \(v)")
        }
        if let v = keys.providerMessageId {
            if let id = pick(try lookup.candidates(.providerMessageId, v), recipient) {
                return .tracking(id, via: .providerMessageId)
            }
            tried.append("provider message id \(v)")
        }
        if let v = keys.messageId {
            if let id = pick(try lookup.candidates(.messageId, v), recipient) { return .tracking(id, via: .messageId) }
            tried.append("Message-ID <\(v)>")
        }
        if tried.isEmpty { return .unresolved(reason: "no tie-back key") }
        let who = recipient.map { " for recipient \($0)" } ?? " (no recipient)"
        return .unresolved(reason: "no tracking matches " + tried.joined(separator: ", ") + who)
    }

    /// Whether `value` reads as a row id (all digits, fits an Int64 comfortably).
    public static func rowId(_ value: String) -> Int64? {
        guard !value.isEmpty, value.utf8.count <= 18, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(value)
    }

    /// The comparison form of an address: `AddressParser.normalize`, with a fast path for plain ASCII.
    public static func normalize(_ address: String) -> String {
        let trimmed = address.utf8.first == UInt8(ascii: "<") || address.utf8.last == UInt8(ascii: ">")
            ? String(address.drop { $0 == "<" }.reversed().drop { $0 == ">" }.reversed()) : address
        if trimmed.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\"") }) {
            return trimmed.lowercased()
        }
        return AddressParser.normalize(trimmed) ?? trimmed.lowercased()
    }

    /// A row by id or token, else the recipient's row of the message whose shared token it is.
    private static func rowOrShared(_ value: String, _ recipient: String?, _ lookup: some TieBackLookup) throws -> Int64? {
        if let id = try lookup.tracking(idOrToken: value) { return id }
        return pick(try lookup.candidates(.sharedToken, value), recipient)
    }

    /// The candidate whose address is `recipient` (the first one), or the only candidate
    /// when there is no recipient.
    static func pick(_ rows: [(id: Int64, address: String?)], _ recipient: String?) -> Int64? {
        guard let recipient else { return rows.count == 1 ? rows[0].id : nil }
        return rows.first { $0.address == recipient }?.id
    }
}
