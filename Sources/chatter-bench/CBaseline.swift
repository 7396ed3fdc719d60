import Foundation
import GRDBSQLite

/// The C-API baseline of the benchmarks: the same SQL through raw sqlite3
/// prepared statements and the same pragmas, so a ratio shows what our
/// layers (GRDB, decoding, the state rule) cost on top of SQLite itself.
final class CBaseline {
    let db: OpaquePointer

    init(path: String, cacheMiB: Int) throws {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let handle else {
            throw BenchError("cannot open \(path)")
        }
        db = handle
        sqlite3_busy_timeout(db, 60_000)
        try exec("PRAGMA journal_mode = WAL")
        try exec("PRAGMA synchronous = NORMAL")
        try exec("PRAGMA foreign_keys = ON")
        try exec("PRAGMA cache_size = -\(cacheMiB * 1024)")
        try exec("PRAGMA wal_autocheckpoint = 10000")
    }

    deinit { sqlite3_close_v2(db) }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchError("\(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    func prepare(_ sql: String) throws -> OpaquePointer {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil) == SQLITE_OK, let stmt else {
            throw BenchError("prepare \(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
        return stmt
    }

    /// Prepares, steps through every row (reading every column) and finalizes
    /// each statement: what a query costs in C.
    func runQueries(_ statements: [String]) throws -> Int {
        var rows = 0
        for sql in statements {
            var stmt: OpaquePointer?
            guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
                throw BenchError("prepare \(sql): \(String(cString: sqlite3_errmsg(db)))")
            }
            let columns = sqlite3_column_count(stmt)
            while sqlite3_step(stmt) == SQLITE_ROW {
                for c in 0..<columns {
                    switch sqlite3_column_type(stmt, c) {
                    case SQLITE_TEXT: _ = sqlite3_column_text(stmt, c)
                    case SQLITE_INTEGER: _ = sqlite3_column_int64(stmt, c)
                    case SQLITE_FLOAT: _ = sqlite3_column_double(stmt, c)
                    default: break
                    }
                }
                rows += 1
            }
            sqlite3_finalize(stmt)
        }
        return rows
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
