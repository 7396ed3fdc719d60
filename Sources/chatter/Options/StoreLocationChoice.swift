import Foundation
import PostgresStore
import TrackingStore

/// Which store `--db` / `CHATTER_DB` name: a file path (SQLite), or a `postgres://` URL
/// completed by libpq's variables. The printed form of a URL never shows its password.
enum StoreLocationChoice {
    /// The commands that open a PostgreSQL store today, as the refusals name them.
    static let postgresCommands = "`chatter store copy` and `chatter store check`"

    /// `text` read as a location; a refusal names where it came from and never shows a password.
    static func parse(_ text: String, from origin: String) throws -> StoreLocation {
        do {
            return try StoreLocation.parse(text, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CLIError.usage("\(origin): \(error)")
        }
    }
}

extension GlobalOptions {
    /// Where `--db`, else `$CHATTER_DB`, else the default file puts the store.
    var storeLocation: StoreLocation {
        get throws {
            let env = ProcessInfo.processInfo.environment
            if let db { return try StoreLocationChoice.parse(db, from: "--db") }
            if let p = env["CHATTER_DB"], !p.isEmpty { return try StoreLocationChoice.parse(p, from: "$CHATTER_DB") }
            return .sqlite(path: StoreFiles.defaultStorePath(env))
        }
    }

    /// `--db` or `$CHATTER_DB`, whichever named the store (for messages).
    var storeOrigin: String { db != nil ? "--db" : "$CHATTER_DB" }
}
