import PostgresNIO
import TrackingModel

/// PostgreSQL's lookups for `TieBackSearch` (the one rule that finds a signal's tracking row),
/// run in the batch's transaction.
struct PostgresIngestTieBack: TieBackLookup {
    let session: PostgresIngestSession

    func tracking(idOrToken value: String) throws -> Int64? {
        let id = TieBackSearch.rowId(value)
        let store = session.store
        return try session.call {
            if let id, let row = try await store.rows("SELECT id FROM trackings WHERE id = \(id)").first {
                return try row.decode(Int64.self)
            }
            return try await store.rows("SELECT id FROM trackings WHERE token = \(value) LIMIT 1").first?.decode(Int64.self)
        }
    }

    func candidates(_ key: TieBackLookupKey, _ value: String) throws -> [(id: Int64, address: String?)] {
        let query: PostgresQuery
        switch key {
        case .messageId:
            query = "SELECT t.id, t.address FROM messages m JOIN trackings t ON t.message_id = m.id WHERE m.message_id = \(value) ORDER BY t.id"
        case .sharedToken:
            query = "SELECT t.id, t.address FROM messages m JOIN trackings t ON t.message_id = m.id WHERE m.shared_token = \(value) ORDER BY t.id"
        case .queueId: query = "SELECT id, address FROM trackings WHERE queue_id = \(value) ORDER BY id"
        case .providerMessageId: query = "SELECT id, address FROM trackings WHERE provider_message_id = \(value) ORDER BY id"
        }
        let store = session.store
        let rows = try session.call {
            try await store.rows(query).map { row in
                let (id, address) = try row.decode((Int64, String?).self)
                return Candidate(id: id, address: address)
            }
        }
        return rows.map { ($0.id, $0.address) }
    }

    /// One candidate row, as it crosses from the bridge back to the caller.
    private struct Candidate: Sendable {
        var id: Int64
        var address: String?
    }
}
