import Foundation
import PostgresStore
import StoreCopy
import TrackingModel
import TrackingStore

/// Which store `--db` / `CHATTER_DB` name: a file path (SQLite), or a `postgres://` URL
/// completed by libpq's variables. The printed form of a URL never shows its password.
enum StoreLocationChoice {
    /// The commands that open a PostgreSQL store today, as the refusals name them.
    static let postgresCommands =
        "`chatter ui`, `chatter poll`, `chatter ingest`, `chatter post`, `chatter send`, `chatter outbox`, `chatter failed`, "
        + "`chatter threads`, `chatter thread`, `chatter trackings`, `chatter events`, `chatter partners`, "
        + "`chatter review`, `chatter unreview`, `chatter retry`, `chatter partner set-email`, `chatter serve`, "
        + "`chatter store copy` and `chatter store check`"

    /// `text` read as a location; a refusal names where it came from and never shows a password.
    static func parse(_ text: String, from origin: String) throws -> StoreLocation {
        do {
            return try StoreLocation.parse(text, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CLIError.usage("\(origin): \(error)")
        }
    }

    /// A PostgreSQL store; one only read (`create` false) is not migrated, and must hold a
    /// chatter schema already (an empty database is "no store", as a missing file is).
    static func openPostgres(_ settings: PostgresSettings, create: Bool) async throws -> PostgresStore {
        let store: PostgresStore
        do {
            store = try await PostgresStore.open(settings, migrate: create)
            if !create, try await store.appliedMigrations().isEmpty {
                await store.close()
                throw CLIError.notFound("no chatter store in \(settings) (copy one there with `chatter store copy`)")
            }
        } catch let e as CLIError {
            throw e
        } catch {
            throw cliError(error)
        }
        return store
    }

    /// Runs `body` with the PostgreSQL store's errors turned into the contract's (`cliError`).
    static func mappingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as PostgresStoreError {
            throw cliError(e)
        }
    }

    /// The PostgreSQL store's and the copier's errors as the contract's exit codes see them:
    /// a refusal of the request is a usage error (1), a store that says no is a store error (3).
    static func cliError(_ error: any Error) -> any Error {
        switch error {
        case let e as PostgresStoreError:
            switch e {
            case .invalidLocation(let m), .invalidInput(let m): return CLIError.usage(m)
            case .notFound(let m): return CLIError.notFound(m)
            case .newerSchema(let location, let steps): return StoreError.newerSchema(path: location, unknownMigrations: steps)
            case .notAStore(let location, let reason): return StoreError.notAStore(path: location, reason: reason)
            case .storage(let m): return StoreError.storage(m)
            }
        case let e as StoreCopyError:
            switch e {
            case .targetNotEmpty(let m), .collision(let m): return CLIError.usage(m)
            case .schemaMismatch(let m), .verification(let m): return StoreError.storage(m)
            }
        default: return error
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

    /// The PostgreSQL store `--db` / `$CHATTER_DB` name, opened (and migrated when `create`),
    /// or nil when they name a file. Its use cases are asynchronous; a command calls them
    /// through `BlockingCall.run`.
    func openPostgresStore(create: Bool) throws -> PostgresStore? {
        guard case .postgres(let settings) = try storeLocation else { return nil }
        return try BlockingCall.run { try await StoreLocationChoice.openPostgres(settings, create: create) }
    }

    /// The store `--db` / `$CHATTER_DB` name, as the poller and `chatter ingest` feed it: the
    /// PostgreSQL store for a URL, else the SQLite file (which must exist).
    func openIngestStore() throws -> any IngestRole {
        if let store = try openPostgresStore(create: false) { return store }
        return try openStore()
    }

    /// `--db` or `$CHATTER_DB`, whichever named the store (for messages).
    var storeOrigin: String { db != nil ? "--db" : "$CHATTER_DB" }
}
