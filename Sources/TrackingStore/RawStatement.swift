import GRDB
import GRDBSQLite

/// Binding and reading of a cached GRDB statement straight through the SQLite
/// C API, for the hot path of event application (GRDB's statement
/// argument boxing costs several times what SQLite itself does there).
///
/// Each use binds every parameter, steps, and resets, so the statement is left
/// as GRDB expects it.
struct RawStatement {
    let handle: OpaquePointer

    init(_ statement: Statement) {
        handle = statement.sqliteStatement
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ i: Int32, _ v: Int64?) {
        if let v { sqlite3_bind_int64(handle, i, v) } else { sqlite3_bind_null(handle, i) }
    }

    func bind(_ i: Int32, _ v: Int?) {
        bind(i, v.map(Int64.init))
    }

    func bind(_ i: Int32, _ v: Double?) {
        if let v { sqlite3_bind_double(handle, i, v) } else { sqlite3_bind_null(handle, i) }
    }

    func bind(_ i: Int32, _ v: Bool?) {
        bind(i, v.map { Int64($0 ? 1 : 0) })
    }

    /// Binds text with its byte length, so a NUL inside it is kept, not a cut.
    func bind(_ i: Int32, _ v: String?) {
        guard var v else {
            sqlite3_bind_null(handle, i)
            return
        }
        v.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) { chars in
                sqlite3_bind_text(handle, i, chars.baseAddress, Int32(chars.count), Self.transient)
            }
        }
    }

    /// Steps once; true when a row is available. Throws the SQLite error otherwise.
    func step(_ db: Database) throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
        }
    }

    /// Runs a statement that returns no row.
    func run(_ db: Database) throws {
        _ = try step(db)
        reset()
    }

    func reset() {
        sqlite3_reset(handle)
    }

    func int64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    func double(_ column: Int32) -> Double? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_double(handle, column)
    }

    /// The column's text by its byte length (a NUL inside it is kept; invalid
    /// UTF-8 becomes U+FFFD).
    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
    }
}
