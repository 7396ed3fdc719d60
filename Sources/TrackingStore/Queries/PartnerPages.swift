import GRDB
import TrackingModel

extension TrackingStore {
    /// One page of the partners in name order (A to Z, then by id), read by
    /// keyset along `partners_name` (name, id) in either direction: from the
    /// top, from the very end, or beside a row (cursors made with
    /// `PageCursor(text:id:)`). `search` keeps the partners whose name or address
    /// contains it, case-insensitively, checked in SQL so a search reaches every
    /// partner, not only those loaded. The rows always come back A to Z.
    public func partners(search: String? = nil, page: PageRequest) throws(StoreError) -> Page<PartnerCard> {
        try read { db in
            var q = QueryBuilder()
            if let search, !search.isEmpty {
                let pattern = Self.likePattern(search)
                q.add("(name LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')", [pattern, pattern])
            }
            let reversed: Bool
            switch page.start {
            case .top:
                reversed = false
            case .bottom:
                reversed = true
            case .after(let c):
                q.add("(name, id) > (?, ?)", [c.text ?? "", c.id])
                reversed = false
            case .before(let c):
                q.add("(name, id) < (?, ?)", [c.text ?? "", c.id])
                reversed = true
            }
            let dir = reversed ? "DESC" : "ASC"
            let sql = "SELECT * FROM partners" + q.whereClause + " ORDER BY name \(dir), id \(dir) LIMIT ?"
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(q.positional + [page.limit]))
            let cards = try Self.cards(db, rows: reversed ? rows.reversed() : rows)
            let next = !reversed && cards.count >= page.limit ? cards.last.map { PageCursor(text: $0.name, id: $0.id) } : nil
            return Page(rows: cards, next: next)
        }
    }

    /// How many partners the list holds: the table's count (along its smallest
    /// index); nil with a search, which would read every name and address.
    public func partnerCount(search: String?) throws(StoreError) -> Int? {
        if let search, !search.isEmpty { return nil }
        return try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM partners") ?? 0 }
    }
}
