import PostgresNIO
import TrackingModel

/// Partners, the current user's lookup and settings on PostgreSQL: the partner list in
/// name order along `partners_name` (name, id), in either direction.
extension PostgresReads {
    static let partnerColumns = "id, name, email, email_normalized, email_bounced"

    func partners(search: String?, page: PageRequest) async throws -> Page<PartnerCard> {
        var sql = SQLBuilder("SELECT \(Self.partnerColumns) FROM partners")
        if let search, !search.isEmpty {
            let p = sql.bind(likePattern(search))
            sql.when("(name ILIKE \(p) OR email ILIKE \(p))")
        }
        switch page.start {
        case .top, .bottom: break
        case .after(let c): sql.when("(name, id) > (\(sql.bind(c.text ?? "")), \(sql.bind(c.id)))")
        case .before(let c): sql.when("(name, id) < (\(sql.bind(c.text ?? "")), \(sql.bind(c.id)))")
        }
        sql.appendWhere()
        let dir = page.readsUpward ? "DESC" : "ASC"
        sql.append(" ORDER BY name \(dir), id \(dir) LIMIT \(sql.bind(Int64(page.limit)))")
        let rows = try await rows(sql)
        let cards = try await cards(page.readsUpward ? rows.reversed() : rows)
        let next = !page.readsUpward && cards.count >= page.limit ? cards.last.map { PageCursor(text: $0.name, id: $0.id) } : nil
        return Page(rows: cards, next: next)
    }

    func partners(bouncedOnly: Bool, after: String?, afterId: Int64?, limit: Int) async throws -> [PartnerCard] {
        var sql = SQLBuilder("SELECT \(Self.partnerColumns) FROM partners")
        if bouncedOnly { sql.when("email_bounced = 1") }
        if let after, let afterId { sql.when("(name, id) > (\(sql.bind(after)), \(sql.bind(afterId)))") }
        sql.appendWhere()
        sql.append(" ORDER BY name, id LIMIT \(sql.bind(Int64(limit)))")
        return try await cards(try await rows(sql))
    }

    func partnerCount(search: String?) async throws -> Int? {
        if let search, !search.isEmpty { return nil }
        return try await count(SQLBuilder("SELECT COUNT(*) FROM partners"))
    }

    /// Cards of partner rows, with one grouped statement for all their scores.
    func cards(_ rows: [PostgresRow]) async throws -> [PartnerCard] {
        let partners = try rows.map { try $0.decode((Int64, String, String?, String?, Int64).self) }
        let addresses = Array(Set(partners.compactMap(\.3)))
        var counts: [String: [TrackingState?: Int]] = [:]
        if !addresses.isEmpty {
            var sql = SQLBuilder()
            sql.append(
                "SELECT address, state, COUNT(*) FROM trackings WHERE address = ANY(\(sql.bind(addresses)))"
                    + " GROUP BY address, state")
            for row in try await self.rows(sql) {
                let (address, state, n) = try row.decode((String, String?, Int64).self)
                counts[address, default: [:]][state.flatMap(TrackingState.init(rawValue:))] = Int(n)
            }
        }
        return partners.map { id, name, email, normalized, bounced in
            PartnerCard(
                id: id, name: name, email: email, emailBounced: bounced != 0,
                breakdown: EmailScore.compute(counts: normalized.flatMap { counts[$0] } ?? [:]))
        }
    }

    func findUser(email: String) async throws -> PartnerRef? {
        var sql = SQLBuilder()
        sql.append(
            "SELECT id, name, email FROM partners WHERE email_normalized = \(sql.bind(try normalizedAddress(email)))"
                + " ORDER BY is_user DESC, id LIMIT 1")
        return try await rows(sql).first.map { row in
            let (id, name, email) = try row.decode((Int64, String, String?).self)
            return PartnerRef(id: id, name: name, email: email)
        }
    }

    func setting(_ key: String) async throws -> String? {
        var sql = SQLBuilder()
        sql.append("SELECT value FROM settings WHERE key = \(sql.bind(key))")
        return try await value(sql, as: String.self)
    }
}
