import Foundation
import GRDB
import TrackingModel

/// `store copy` on the SQLite store: every data table read in primary-key order and
/// written back as it is, ids included (SQLite needs no sequence: a rowid goes on from
/// the largest). Each appended batch is one transaction.
extension TrackingStore: StoreTableCopying {
    public var copyLocation: String { path }

    /// Data tables in creation order (the schema creates parents before children);
    /// SQLite's own tables and the migrations table are not data.
    public func copyTables() async throws -> [StoreTable] {
        try read { db in
            let names = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                      AND name <> 'grdb_migrations' ORDER BY rowid
                    """)
            return try names.map { name in
                var columns: [String] = []
                var types: [StoreColumnType] = []
                var keys: [(Int, String)] = []
                for row in try Row.fetchAll(db, sql: "PRAGMA table_info(\(name.quotedDatabaseIdentifier))") {
                    let column: String = row["name"]
                    columns.append(column)
                    let declared: String = row["type"]
                    types.append(StoreColumnType(rawValue: declared.lowercased()) ?? .text)
                    let pk: Int = row["pk"]
                    if pk > 0 { keys.append((pk, column)) }
                }
                return StoreTable(name: name, columns: columns, types: types, primaryKey: keys.sorted { $0.0 < $1.0 }.map(\.1))
            }
        }
    }

    public func rowCount(of table: StoreTable) async throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.name.quotedDatabaseIdentifier)") ?? 0 }
    }

    public func rows(of table: StoreTable, after: [StoreValue]?, limit: Int) async throws -> [[StoreValue]] {
        let key = table.primaryKey.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        let columns = table.columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        var sql = "SELECT \(columns) FROM \(table.name.quotedDatabaseIdentifier)"
        var arguments: [DatabaseValue] = []
        if let after {
            sql += " WHERE (\(key)) > (\(Array(repeating: "?", count: after.count).joined(separator: ", ")))"
            arguments = after.map(Self.databaseValue)
        }
        sql += " ORDER BY \(key) LIMIT \(limit)"
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                (0..<row.count).map { Self.storeValue(row[$0] as DatabaseValue) }
            }
        }
    }

    public func existingKeys(_ keys: [[StoreValue]], in table: StoreTable) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        let key = table.primaryKey.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        let one = "(" + Array(repeating: "?", count: table.primaryKey.count).joined(separator: ", ") + ")"
        var total = 0
        // At most 900 values per statement (SQLite's old default limit is 999 variables).
        let perStatement = max(1, 900 / max(1, table.primaryKey.count))
        var start = 0
        while start < keys.count {
            let chunk = keys[start..<min(keys.count, start + perStatement)]
            let sql = "SELECT count(*) FROM \(table.name.quotedDatabaseIdentifier) WHERE (\(key)) IN (VALUES "
                + Array(repeating: one, count: chunk.count).joined(separator: ", ") + ")"
            let arguments = chunk.flatMap { $0.map(Self.databaseValue) }
            total += try read { db in try Int.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) ?? 0 }
            start += perStatement
        }
        return total
    }

    public func beginAppending() async throws {}

    public func append(_ rows: [[StoreValue]], to table: StoreTable) async throws {
        let columns = table.columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        let sql = "INSERT INTO \(table.name.quotedDatabaseIdentifier) (\(columns)) VALUES ("
            + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")"
        try write { db in
            let statement = try db.cachedStatement(sql: sql)
            for row in rows {
                try statement.execute(arguments: StatementArguments(row.map(Self.databaseValue)))
            }
        }
    }

    public func finishAppending() async throws {}

    public func abandonAppending() async {}

    /// `check()`: integrity, foreign keys and the kept counters.
    public func counterChecks() async throws -> [StoreCheckItem] {
        try check()
    }

    static func storeValue(_ value: DatabaseValue) -> StoreValue {
        switch value.storage {
        case .null: return .null
        case .int64(let i): return .integer(i)
        case .double(let d): return .real(d)
        case .string(let s): return .text(s)
        case .blob(let b): return .blob([UInt8](b))
        }
    }

    static func databaseValue(_ value: StoreValue) -> DatabaseValue {
        switch value {
        case .null: return .null
        case .integer(let i): return i.databaseValue
        case .real(let d): return d.databaseValue
        case .text(let s): return s.databaseValue
        case .blob(let b): return Data(b).databaseValue
        }
    }
}
