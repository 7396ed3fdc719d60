import GRDB

/// Why a store operation failed, in words a user can act on.
///
/// The command line maps these to its exit codes: `invalidInput` → 1,
/// `notFound` → 2, everything else → 3.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request itself is wrong (a broken address, an unknown state name...).
    case invalidInput(String)
    /// What the request names does not exist.
    case notFound(String)
    /// The file was written by a newer chatter; it is left untouched.
    case newerSchema(path: String, unknownMigrations: [String])
    /// The file is not a chatter store (or not SQLite at all).
    case notAStore(path: String, reason: String)
    /// SQLite said no (I/O error, disk full, corruption...).
    case storage(String)

    public var description: String {
        switch self {
        case .invalidInput(let m): return m
        case .notFound(let m): return m
        case .newerSchema(let path, let names):
            return "\(path) was written by a newer version of chatter (unknown schema steps: "
                + names.joined(separator: ", ") + "); upgrade chatter to open it. The file was not modified."
        case .notAStore(let path, let reason): return "\(path) is not a chatter store: \(reason)"
        case .storage(let m): return "store error: \(m)"
        }
    }

    /// Wraps any error thrown by GRDB or our own code into a `StoreError`.
    static func wrap(_ error: any Error) -> StoreError {
        if let e = error as? StoreError { return e }
        if let e = error as? DatabaseError {
            return .storage(e.message ?? e.description)
        }
        return .storage(String(describing: error))
    }
}
