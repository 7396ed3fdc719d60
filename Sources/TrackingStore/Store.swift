import Foundation
import GRDB
import TrackingModel

/// How a store is opened.
public struct StoreOptions: Sendable {
    /// Page cache of the writing connection, in MiB (readers keep SQLite's default).
    public var writerCacheMiB: Int = 64
    /// How long a writer waits for another process's transaction before giving up.
    public var busyTimeoutSeconds: Double = 60
    /// Open without writing anything (no migration, no WAL switch), so a store the user may
    /// read but not write works, and a damaged one is left as it is. Only a store of an older
    /// schema that the user may write is opened for writing, to be upgraded.
    public var readOnly: Bool = false
    /// The clock, injectable so tests control "now" (UTC epoch seconds).
    public var clock: @Sendable () -> Double = { Date().timeIntervalSince1970 }
    /// Receives the SQL of every statement run (tests count and explain them).
    public var trace: (@Sendable (String) -> Void)?

    public init() {}
}

/// The tracking store: one SQLite file (WAL) shared by the front, the command
/// line, the poller and the sender, possibly in several processes at once.
///
/// Its public face is a set of use cases (post, apply events, review, retry,
/// queries) in TrackingModel's types; SQL never leaves this module. Every write
/// use case is one `BEGIN IMMEDIATE` transaction.
public final class TrackingStore: Sendable {
    let pool: DatabasePool
    /// The file the store lives in.
    public let path: String
    let clock: @Sendable () -> Double

    /// Opens (creating and migrating when needed) the store at `path`.
    ///
    /// A store written by a newer chatter is refused before anything is written.
    public init(path: String, options: StoreOptions = StoreOptions()) throws(StoreError) {
        self.path = path
        self.clock = options.clock
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: path)
        let name = options.readOnly ? StoreFiles.readOnlyName(path) : path
        if exists {
            try Self.checkCompatible(path: path, name: name)
        } else if options.readOnly {
            throw .notFound("no store at \(path) (create one with `chatter demo` or by posting a message)")
        } else {
            try StoreFiles.createPrivate(path)
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(options.busyTimeoutSeconds)
        // GRDB opens every write transaction of a pool with BEGIN IMMEDIATE.
        config.label = "chatter"
        let cacheKiB = options.writerCacheMiB * 1024
        let trace = options.trace
        config.prepareDatabase { db in
            if let trace { db.trace(options: .statement) { trace($0.expandedDescription) } }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
            }
        }
        if options.readOnly {
            config.readonly = true
            let pool = try Self.openPool(path: name, configuration: config, migrate: false)
            if try Self.isCurrent(pool) || access(path, W_OK) != 0 {
                self.pool = pool
                return
            }
            // An older schema the user may write: upgraded now, as any command would.
            config.readonly = false
        }
        pool = try Self.openPool(path: path, configuration: config, migrate: true, new: !exists)
    }

    /// Sets an empty store file to incremental auto-vacuum (the VACUUM makes it
    /// take on a file already in WAL mode; on an empty file it costs nothing).
    static func giveFreedPagesBack(_ db: Database) throws {
        try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
        try db.execute(sql: "VACUUM")
    }

    /// Whether every migration this chatter knows has been applied.
    private static func isCurrent(_ pool: DatabasePool) throws(StoreError) -> Bool {
        do {
            return try pool.read { try Schema.migrator.hasCompletedMigrations($0) }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Opens the pool and brings the schema up to date. Several processes may
    /// create or open a new store at the same moment: switching a new file to
    /// WAL can meet another process's lock without a busy wait, so an open that
    /// meets SQLITE_BUSY is tried again (for up to a minute).
    /// A `new` store is set to incremental auto-vacuum first: only an empty file can
    /// take it, and it lets `chatter gc` give the pages it frees back to the file system.
    private static func openPool(
        path: String, configuration: Configuration, migrate: Bool, new: Bool = false
    ) throws(StoreError) -> DatabasePool {
        let deadline = Date().addingTimeInterval(60)
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                if new, try pool.read({ try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }) == 0 {
                    try pool.writeWithoutTransaction(Self.giveFreedPagesBack)
                }
                // Migrate only when needed: `migrate` reads then writes in one
                // transaction, which another process's commit can turn into an
                // immediate SQLITE_BUSY; an up-to-date store is only read.
                if migrate, try !pool.read({ try Schema.migrator.hasCompletedMigrations($0) }) {
                    try migrateAlongsideOthers(pool, until: deadline)
                }
                return pool
            } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(20_000)
            } catch {
                throw StoreError.wrap(error)
            }
        }
    }

    /// Brings the schema up to date while other processes may be doing the same.
    /// GRDB's migrator reads the applied steps before it takes the write lock, so
    /// two processes can both start the same step; the later one fails on it
    /// ("table … already exists") and its transaction rolls back. It then reads
    /// the applied steps again and goes on from there, until the schema is complete.
    private static func migrateAlongsideOthers(_ pool: DatabasePool, until deadline: Date) throws {
        while true {
            do {
                try Schema.migrator.migrate(pool)
                return
            } catch let error as DatabaseError
                where [.SQLITE_ERROR, .SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode)
            {
                // A step another process applied meanwhile, or its lock: anything else
                // (disk full, read-only file...) is thrown at once.
                if try pool.read({ try Schema.migrator.hasCompletedMigrations($0) }) { return }
                if Date() >= deadline { throw error }
                usleep(20_000)
            }
        }
    }

    /// Refuses a file from a newer schema or a file that is not a chatter store,
    /// reading it only (nothing is written, not even the WAL switch).
    private static func checkCompatible(path: String, name: String) throws(StoreError) {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(60)
        do {
            let queue = try DatabaseQueue(path: name, configuration: config)
            defer { try? queue.close() }
            try queue.read { db in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if tables.isEmpty { return }
                guard tables.contains("grdb_migrations") else {
                    throw StoreError.notAStore(path: path, reason: "it has tables but no chatter schema")
                }
                let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
                let known = Set(Schema.migrator.migrations)
                let unknown = applied.filter { !known.contains($0) }
                if !unknown.isEmpty {
                    throw StoreError.newerSchema(path: path, unknownMigrations: unknown)
                }
            }
        } catch let e as StoreError {
            throw e
        } catch let e as DatabaseError where e.resultCode == .SQLITE_NOTADB {
            throw .notAStore(path: path, reason: "not an SQLite database")
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Runs one write use case in a single immediate transaction.
    ///
    /// The busy timeout makes a writer wait for another process; a SQLITE_BUSY
    /// that still comes back (a lock met while the WAL is being reset) rolls the
    /// transaction back and it is run again, so no SQLITE_BUSY reaches a user.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        let deadline = Date().addingTimeInterval(60)
        while true {
            do {
                return try pool.write { db in try body(db) }
            } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(10_000)
            } catch {
                throw StoreError.wrap(error)
            }
        }
    }

    /// Runs a query on a reader connection (a consistent snapshot).
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read { db in try body(db) }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// "now" by the store's clock.
    var now: Double { clock() }

    /// Writes what the WAL holds back into the main file (for a tidy size on disk).
    public func checkpoint() throws(StoreError) {
        do {
            try pool.writeWithoutTransaction { db in
                _ = try db.checkpoint(.truncate)
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }
}
