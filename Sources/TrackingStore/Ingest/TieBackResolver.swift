import GRDB
import TrackingModel

/// The SQLite store's lookups for `TieBackSearch` (the rule that finds a delivery signal's
/// tracking row, strongest key first), inside a write transaction, on cached statements.
struct TieBackResolver: TieBackLookup {
    let db: Database

    func resolve(_ keys: TieBackKeys) throws -> TieBackResolution {
        try TieBackSearch.resolve(keys, in: self)
    }

    /// A row by id (all digits) or token.
    func tracking(idOrToken value: String) throws -> Int64? {
        if let id = TieBackSearch.rowId(value) {
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

    func candidates(_ key: TieBackLookupKey, _ value: String) throws -> [(id: Int64, address: String?)] {
        let s = RawStatement(try db.cachedStatement(sql: Self.sql(key)))
        s.bind(1, value)
        defer { s.reset() }
        var rows: [(id: Int64, address: String?)] = []
        while try s.step(db) {
            guard let id = s.int64(0) else { continue }
            rows.append((id, s.text(1)))
        }
        return rows
    }

    private static func sql(_ key: TieBackLookupKey) -> String {
        switch key {
        case .messageId:
            return "SELECT t.id, t.address FROM messages m JOIN trackings t ON t.message_id = m.id WHERE m.message_id = ?"
        case .sharedToken:
            return "SELECT t.id, t.address FROM messages m JOIN trackings t ON t.message_id = m.id WHERE m.shared_token = ?"
        case .queueId: return "SELECT id, address FROM trackings WHERE queue_id = ?"
        case .providerMessageId: return "SELECT id, address FROM trackings WHERE provider_message_id = ?"
        }
    }
}
