import PostgresNIO

/// Why a PostgreSQL store operation failed, in words a user can act on; never a password.
///
/// The command line maps these to its exit codes as for the SQLite store:
/// `invalidLocation` and `invalidInput` → 1, `notFound` → 2, everything else → 3.
public enum PostgresStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--db` / `CHATTER_DB` is not a usable location.
    case invalidLocation(String)
    /// The request itself is wrong.
    case invalidInput(String)
    /// What the request names does not exist.
    case notFound(String)
    /// The database was migrated by a newer chatter; it is left untouched.
    case newerSchema(location: String, unknownMigrations: [String])
    /// The database holds tables but no chatter schema.
    case notAStore(location: String, reason: String)
    /// The server or the connection said no.
    case storage(String)

    public var description: String {
        switch self {
        case .invalidLocation(let m): return "store location: \(m)"
        case .invalidInput(let m), .notFound(let m): return m
        case .newerSchema(let location, let names):
            return "\(location) was written by a newer version of chatter (unknown schema steps: "
                + names.joined(separator: ", ") + "); upgrade chatter to open it. The database was not modified."
        case .notAStore(let location, let reason): return "\(location) is not a chatter store: \(reason)"
        case .storage(let m): return "store error: \(m)"
        }
    }

    /// Wraps what PostgresNIO (or our code) threw: the server's message and SQLSTATE when
    /// there is one (PSQLError's own description deliberately says nothing useful).
    static func wrap(_ error: any Error, context: String? = nil) -> PostgresStoreError {
        if let e = error as? PostgresStoreError { return e }
        let prefix = context.map { "\($0): " } ?? ""
        if let e = error as? PSQLError {
            if let info = e.serverInfo, let message = info[.message] {
                let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                let detail = info[.detail].map { ": \($0)" } ?? ""
                return .storage(prefix + message + detail + state)
            }
            let under = e.underlying.map { ": \($0)" } ?? ""
            return .storage(prefix + "\(e.code)\(under)")
        }
        return .storage(prefix + String(describing: error))
    }

    /// The SQLSTATE of a server error (`40001` serialization failure, `40P01` deadlock…).
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
