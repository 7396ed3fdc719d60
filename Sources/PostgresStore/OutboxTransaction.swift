import Foundation
import PostgresNIO
import TrackingModel

/// How posting and the outbox write on PostgreSQL: one transaction, run again from the
/// start after a serialization failure or deadlock (the caller never sees one), and
/// announced on `changeChannel` when it commits.
extension PostgresStore {
    /// Runs `body` in a transaction (the caller holds the gate, see `exclusive`); a
    /// serialization failure or deadlock rolls it back, `undo` puts back what the failed
    /// run did outside the transaction (session locks), and the whole runs again, up to 50 times.
    func retryingTransaction<T>(undo: (() async -> Void)? = nil, _ body: () async throws -> T) async throws -> T {
        var retries = 0
        while true {
            do {
                return try await transaction(body)
            } catch where PostgresStoreError.sqlState(error).map(Self.retryableStates.contains) == true && retries < 50 {
                await undo?()
                retries += 1
                try await Task.sleep(nanoseconds: UInt64.random(in: 1_000_000...(5_000_000 * UInt64(min(retries, 10)))))
            } catch {
                await undo?()
                throw error
            }
        }
    }

    /// Runs one statement of the current operation, discarding its rows.
    func execute(_ query: PostgresQuery) async throws {
        try await connection.query(query, logger: logger)
    }

    /// Announces a change on `changeChannel`; delivered when the transaction commits.
    func notifyChange(_ what: String) async throws {
        try await execute("SELECT pg_notify(\(Self.changeChannel), \(what))")
    }
}

/// The session locks that tell a live sender's attempt from a dead one's. A sender holds
/// the lock of each entry it claimed (taken in the claiming transaction, so it is held
/// whenever the entry shows `sending`) until the outcome is committed. The server drops a
/// session's locks when the session ends, `kill -9` and lost connections included: an
/// entry in `sending` whose lock nobody holds was left by a sender that is gone.
enum AttemptLock {
    /// The first key of every attempt lock (advisory locks of two 32-bit keys); the second is the entry's id.
    static let space: Int32 = 0x6368_7472

    /// The second key of an entry's lock, in SQL (`id` names a bigint column or parameter).
    static func key(_ id: String) -> String { "(\(id) % 2147483648)::int4" }

    /// The condition "nobody holds the lock of entry `o.id`", in SQL (no parameters).
    static let unheld = """
        NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objsubid = 2
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = \(space)::oid AND l.objid = (o.id % 2147483648)::oid)
        """
}

extension PostgresStore {
    /// Takes the attempt locks of `ids` for this session.
    func lockAttempts(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await execute(
            """
            SELECT pg_advisory_lock(\(unescaped: "\(AttemptLock.space)"), \(unescaped: AttemptLock.key("x")))
            FROM unnest(\(ids)::bigint[]) x
            """)
    }

    /// Lets go of the attempt locks of `ids` this session holds (one a session does not hold is left alone).
    func unlockAttempts(_ ids: [Int64]) async {
        guard !ids.isEmpty else { return }
        try? await execute(
            """
            SELECT pg_advisory_unlock(\(unescaped: "\(AttemptLock.space)"), \(unescaped: AttemptLock.key("x")))
            FROM unnest(\(ids)::bigint[]) x
            WHERE EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid()
              AND l.objsubid = 2 AND l.classid = \(unescaped: "\(AttemptLock.space)")::oid AND l.objid = (x % 2147483648)::oid)
            """)
    }
}
