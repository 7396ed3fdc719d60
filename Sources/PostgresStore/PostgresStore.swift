import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import TrackingModel

/// The tracking store on a PostgreSQL server: the same schema as the SQLite store
/// (step for step), reached through PostgresNIO. Every statement it runs is written in
/// this module.
///
/// One store object holds one session (one connection at a time); its operations are
/// run one at a time (a gate serialises them, so a transaction never interleaves with
/// another caller's). A connection the server dropped (a restart, `pg_terminate_backend`,
/// a network cut) fails the operation that was using it, which rolls back on the server;
/// the next operation opens a new connection, so a poller or a sender carries on by
/// itself. A copy session (`beginAppending` … `finishAppending`) spans calls and is
/// never silently resumed on a new connection: its calls fail instead.
public final class PostgresStore: Sendable {
    /// Where the store is (its `description` never shows the password).
    public let settings: PostgresSettings
    let session: Session
    let logger: Logger
    let gate = SerialGate()
    /// The time the store's use cases stamp (UTC epoch seconds): the wall clock, or a test's.
    let clock: @Sendable () -> Double
    /// The read statements run, when a test records them (to EXPLAIN each).
    let readTrace = ReadTrace()

    private init(
        settings: PostgresSettings, connection: PostgresConnection, logger: Logger, clock: @escaping @Sendable () -> Double
    ) {
        self.settings = settings
        self.session = Session(connection)
        self.logger = logger
        self.clock = clock
    }

    /// Now, by the store's clock.
    var now: Double { clock() }

    /// The connection in use. Read it only inside `exclusive`, where the gate makes the
    /// session's state safe to read and replace.
    var connection: PostgresConnection { session.connection }

    /// How many times the session opened a new connection after losing one.
    public var reconnections: Int { session.reconnections }

    /// Connects, refuses a database of a newer schema or one that is not a chatter store
    /// (writing nothing), and, when `migrate`, brings an older or empty one up to date.
    /// `clock`: the time its use cases stamp (a test sets its own).
    public static func open(
        _ settings: PostgresSettings, migrate: Bool = true,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) async throws(PostgresStoreError) -> PostgresStore {
        var logger = Logger(label: "chatter.postgres")
        logger.logLevel = .critical
        let connection = try await connect(settings, logger: logger)
        let store = PostgresStore(settings: settings, connection: connection, logger: logger, clock: clock)
        do {
            try await store.checkSchema(migrate: migrate)
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Opens one connection to the server of `settings`.
    static func connect(_ settings: PostgresSettings, logger: Logger) async throws(PostgresStoreError)
        -> PostgresConnection
    {
        do {
            return try await PostgresConnection.connect(
                configuration: try configuration(settings), id: 1, logger: logger)
        } catch {
            throw PostgresStoreError.wrap(error, context: "cannot connect to \(settings)")
        }
    }

    /// Closes the connection.
    public func close() async {
        await gate.enter()
        defer { gate.leave() }
        session.closedByUs = true
        try? await session.connection.close()
    }

    /// A store dropped without `close()` (an error on the way) still closes its connection;
    /// the connection is kept alive until it has.
    deinit {
        let connection = session.connection
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// PostgresNIO's configuration for `settings`, TLS as libpq's `sslmode` means it.
    /// Public for tools that talk to the same server without the store (the benchmarks' baseline).
    public static func configuration(_ s: PostgresSettings) throws(PostgresStoreError) -> PostgresConnection.Configuration {
        if s.isUnixSocket {
            return PostgresConnection.Configuration(
                unixSocketPath: "\(s.host)/.s.PGSQL.\(s.port)", username: s.user, password: s.password?.value,
                database: s.database)
        }
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch s.sslMode {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration(s, verify: .none)))
            case .require: tls = .require(try NIOSSLContext(configuration: tlsConfiguration(s, verify: .none)))
            case .verifyCA:
                tls = .require(try NIOSSLContext(configuration: tlsConfiguration(s, verify: .noHostnameVerification)))
            case .verifyFull:
                tls = .require(try NIOSSLContext(configuration: tlsConfiguration(s, verify: .fullVerification)))
            }
        } catch {
            throw .invalidLocation("TLS set-up for sslmode=\(s.sslMode.rawValue) failed: \(error)")
        }
        return PostgresConnection.Configuration(
            host: s.host, port: s.port, username: s.user, password: s.password?.value, database: s.database, tls: tls)
    }

    private static func tlsConfiguration(_ s: PostgresSettings, verify: CertificateVerification) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = verify
        if let root = s.sslRootCert, verify != .none { tls.trustRoots = .file(root) }
        return tls
    }

    /// Runs `body` alone on the connection (no other operation of this store object in between),
    /// first opening a new connection when the server dropped the last one.
    func exclusive<T: Sendable>(_ body: () async throws -> T) async throws(PostgresStoreError) -> T {
        await gate.enter()
        defer { gate.leave() }
        do {
            try await reconnectIfDropped()
            return try await body()
        } catch {
            throw PostgresStoreError.wrap(error)
        }
    }

    /// Replaces a connection the server closed. Refused inside a copy session: its
    /// transaction died with the connection, and going on would write outside it.
    func reconnectIfDropped() async throws(PostgresStoreError) {
        guard session.connection.isClosed else { return }
        if session.closedByUs { throw .storage("the store was closed") }
        if session.spanningTransaction {
            throw .storage("the connection to \(settings) was lost in the middle of a copy; nothing of it was kept")
        }
        session.connection = try await Self.connect(settings, logger: logger)
        session.reconnections += 1
    }

    /// Runs one statement (no parameters), discarding any rows.
    func run(_ sql: String) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    /// Runs one statement and collects its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        var out: [PostgresRow] = []
        for try await row in try await connection.query(query, logger: logger) { out.append(row) }
        return out
    }

    /// The first column of every row, as text.
    func texts(_ sql: String) async throws -> [String] {
        try await rows(PostgresQuery(unsafeSQL: sql)).map { try $0.decode(String.self) }
    }

    /// `BEGIN` … `COMMIT`, rolled back when `body` throws.
    func transaction<T>(_ body: () async throws -> T) async throws -> T {
        try await run("BEGIN")
        do {
            let value = try await body()
            try await run("COMMIT")
            return value
        } catch {
            try? await run("ROLLBACK")
            throw error
        }
    }
}

/// The mutable state of a store's session: read and written only by the holder of the
/// store's gate, which is what makes the unchecked `Sendable` sound.
final class Session: @unchecked Sendable {
    var connection: PostgresConnection
    /// A transaction opened by one call and closed by a later one (a copy session).
    var spanningTransaction = false
    var closedByUs = false
    var reconnections = 0

    init(_ connection: PostgresConnection) { self.connection = connection }
}

/// A first-come first-served async mutex: one holder at a time, waiters resumed in order.
final class SerialGate: @unchecked Sendable {
    private let lock = NSLock()
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            if busy {
                waiters.append(c)
                lock.unlock()
            } else {
                busy = true
                lock.unlock()
                c.resume()
            }
        }
    }

    func leave() {
        lock.lock()
        if waiters.isEmpty {
            busy = false
            lock.unlock()
        } else {
            let next = waiters.removeFirst()
            lock.unlock()
            next.resume()
        }
    }
}
