import PostgresNIO
import TrackingModel

/// A statement assembled from optional parts: its text, with `$n` placeholders, and
/// the values bound to them in order. Each listing states its filters once, as the
/// SQLite store's `QueryBuilder` does.
struct SQLBuilder {
    private(set) var text: String
    private var binds = PostgresBindings()
    /// Conditions joined by AND into `whereClause`.
    private var conditions: [String] = []

    init(_ text: String = "") { self.text = text }

    /// Binds `value` and returns its placeholder.
    mutating func bind<T: PostgresDynamicTypeEncodable>(_ value: T) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Binds an optional value (NULL for nil) and returns its placeholder.
    mutating func bind<T: PostgresDynamicTypeEncodable>(_ value: T?) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Appends text to the statement.
    mutating func append(_ sql: String) { text += sql }

    /// Adds a condition to the WHERE clause.
    mutating func when(_ condition: String) { conditions.append(condition) }

    /// ` WHERE a AND b`, or nothing; the conditions are then used up.
    mutating func appendWhere() {
        if !conditions.isEmpty { text += " WHERE " + conditions.joined(separator: " AND ") }
        conditions = []
    }

    /// The statement with its bindings.
    var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: binds) }
}

/// A `PageRequest` over a newest-first (time, id) order, in PostgreSQL's terms: the
/// keyset condition on the row value `(time, id)` (walked by the listing's
/// `(time DESC, id DESC)` index in either direction), the order to read in, and the
/// turning back of rows read upwards. The same pages as the SQLite store's `KeysetPage`.
struct PostgresKeyset {
    let page: PageRequest
    let time: String
    let id: String

    /// Adds the keyset condition (none for an end) to `sql`.
    func constrain(_ sql: inout SQLBuilder) {
        switch page.start {
        case .top, .bottom: return
        case .after(let c):
            sql.when("(\(time), \(id)) < (\(sql.bind(c.time)), \(sql.bind(c.id)))")
        case .before(let c):
            sql.when("(\(time), \(id)) > (\(sql.bind(c.time)), \(sql.bind(c.id)))")
        }
    }

    /// ` ORDER BY … LIMIT n` in the page's reading direction.
    func orderAndLimit(_ sql: inout SQLBuilder) {
        let dir = page.readsUpward ? "ASC" : "DESC"
        sql.append(" ORDER BY \(time) \(dir), \(id) \(dir) LIMIT \(sql.bind(Int64(page.limit)))")
    }

    /// A page of `rows` read in this page's order, newest first, with its next cursor.
    func page<Row: Sendable & Hashable>(_ rows: [Row], key: (Row) -> (Double, Int64)) -> Page<Row> {
        let list = page.newestFirst(rows)
        return Page(rows: list, next: page.nextCursor(list.map(key)))
    }
}

/// `%text%` with LIKE's wildcards escaped (backslash, PostgreSQL's default escape).
func likePattern(_ text: String) -> String {
    var out = "%"
    for c in text {
        if c == "%" || c == "_" || c == "\\" { out.append("\\") }
        out.append(c)
    }
    return out + "%"
}

/// The failed states, as an SQL list (`'error','rejected',…`): the partial indexes state them so.
let failedStatesSQL = TrackingState.allCases.filter(\.isFailed).map { "'\($0.rawValue)'" }.joined(separator: ",")

/// The columns of a row by name, decoded as the model wants them (integers that
/// SQLite calls booleans read as `Bool`).
struct Cells {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    func callAsFunction<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try row[name].decode(T.self)
    }

    /// A 0/1 integer column as a flag.
    func flag(_ name: String) throws -> Bool { try row[name].decode(Int64.self) != 0 }

    /// A nullable 0/1 integer column as a flag.
    func flag(_ name: String) throws -> Bool? { try row[name].decode(Int64?.self).map { $0 != 0 } }
}
