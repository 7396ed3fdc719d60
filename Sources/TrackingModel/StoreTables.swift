/// One stored value, as either store holds it (SQLite's storage classes; PostgreSQL's
/// `bigint`, `double precision`, `text` and `bytea` map onto them one to one).
public enum StoreValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// This value as a column of `type` holds it: an integral real in an integer column
    /// becomes an integer, an integer in a real column a real; nil when it cannot be
    /// held without loss (text in a number column, say).
    public func fitted(to type: StoreColumnType) -> StoreValue? {
        switch (self, type) {
        case (.null, _): return .null
        case (.integer, .integer), (.real, .real), (.text, .text), (.blob, .blob): return self
        case (.integer(let i), .real): return .real(Double(i))
        case (.real(let d), .integer):
            guard d.rounded() == d, let i = Int64(exactly: d) else { return nil }
            return .integer(i)
        case (.integer, .text), (.integer, .blob), (.real, .text), (.real, .blob), (.text, .integer), (.text, .real),
            (.text, .blob), (.blob, .integer), (.blob, .real), (.blob, .text):
            return nil
        }
    }
}

/// A column's type in both stores (SQLite's declared `INTEGER` / `REAL` / `TEXT` / `BLOB`).
public enum StoreColumnType: String, Sendable, Hashable {
    case integer, real, text, blob
}

/// A table as `store copy` sees it: its columns in order and its primary key (the
/// order rows are read in, and what a collision is judged on).
public struct StoreTable: Sendable, Hashable {
    public var name: String
    public var columns: [String]
    public var types: [StoreColumnType]
    public var primaryKey: [String]

    public init(name: String, columns: [String], types: [StoreColumnType], primaryKey: [String]) {
        self.name = name
        self.columns = columns
        self.types = types
        self.primaryKey = primaryKey
    }

    /// The positions of the primary key's columns among `columns`.
    public var keyPositions: [Int] { primaryKey.compactMap { columns.firstIndex(of: $0) } }
}

/// One finding of `store check` on either store: the file's integrity and foreign keys
/// (SQLite), or one of the store's cross-checks of the counters it keeps (each
/// message's failed trackings, each thread's counts, each user's Failed counter)
/// against a recount.
public struct StoreCheckItem: Sendable, Hashable {
    /// What was checked (`integrity`, `foreign_keys`, `message_failed_trackings`, …).
    public var name: String
    /// How many disagreements (0: fine).
    public var problems: Int
    /// What was found, in words (the first disagreements when there are some).
    public var detail: String

    public init(name: String, problems: Int, detail: String) {
        self.name = name
        self.problems = problems
        self.detail = detail
    }
}

/// What `chatter store copy` needs of a store, so that it copies between any two of
/// them (SQLite → PostgreSQL and back) without knowing which it has. Both stores
/// implement it with their own SQL.
public protocol StoreTableCopying: AnyObject, Sendable {
    /// The store's location as it may be printed (never a password).
    var copyLocation: String { get }
    /// The tables that hold data, parents before children (foreign keys hold in this order).
    func copyTables() async throws -> [StoreTable]
    func rowCount(of table: StoreTable) async throws -> Int
    /// Up to `limit` rows in primary-key order, after the row whose key is `after`.
    func rows(of table: StoreTable, after: [StoreValue]?, limit: Int) async throws -> [[StoreValue]]
    /// How many of `keys` (primary-key values) the table already holds.
    func existingKeys(_ keys: [[StoreValue]], in table: StoreTable) async throws -> Int
    /// Starts a copy into this store (PostgreSQL: one transaction for the whole copy).
    func beginAppending() async throws
    /// Adds rows as they are, ids included.
    func append(_ rows: [[StoreValue]], to table: StoreTable) async throws
    /// Ends the copy: id sequences set past the largest id, then committed.
    func finishAppending() async throws
    /// Gives the copy up (PostgreSQL: rolled back, nothing kept).
    func abandonAppending() async
    /// The store's own counter cross-checks.
    func counterChecks() async throws -> [StoreCheckItem]
}
