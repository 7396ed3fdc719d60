import Foundation
import PostgresNIO
import TrackingModel

/// The read statements of the PostgreSQL store, run on its connection by whoever
/// holds the store's gate (`PostgresStore.snapshot`). Each listing's file extends
/// this type; the synchronous face (`StoreReading`) is `PostgresStoreReading.swift`.
struct PostgresReads {
    let store: PostgresStore

    /// The rows of a statement.
    func rows(_ sql: SQLBuilder) async throws -> [PostgresRow] {
        store.readTrace.record(sql.query)
        return try await store.rows(sql.query)
    }

    /// The first column of the first row (nil without a row or for NULL).
    func value<T: PostgresDecodable>(_ sql: SQLBuilder, as type: T.Type = T.self) async throws -> T?
    where T._DecodableType == T {
        try await rows(sql).first?.decode(T?.self) ?? nil
    }

    /// `SELECT COUNT(*) …` as an `Int`.
    func count(_ sql: SQLBuilder) async throws -> Int { Int(try await value(sql, as: Int64.self) ?? 0) }
}

extension PostgresStore {
    /// Runs `body` alone on the connection inside one read-only REPEATABLE READ
    /// transaction: the statements of one read (a page and its message views, a count
    /// and its pending check) see one snapshot, as the SQLite store's read transactions do.
    func snapshot<T: Sendable>(_ body: @escaping @Sendable (PostgresReads) async throws -> T) async throws(PostgresStoreError) -> T {
        try await exclusive {
            try await self.run("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let value = try await body(PostgresReads(store: self))
                try await self.run("COMMIT")
                return value
            } catch {
                try? await self.run("ROLLBACK")
                throw error
            }
        }
    }
}

/// The read statements a store ran while recording (off unless a test turns it on):
/// how the tests EXPLAIN every listing statement with the values it was run with.
final class ReadTrace: @unchecked Sendable {
    private let lock = NSLock()
    private var recording = false
    private var queries: [PostgresQuery] = []

    /// Starts recording (dropping what was recorded).
    func start() {
        lock.withLock {
            recording = true
            queries = []
        }
    }

    /// Stops recording and returns what was recorded.
    func stop() -> [PostgresQuery] {
        lock.withLock {
            recording = false
            defer { queries = [] }
            return queries
        }
    }

    func record(_ query: PostgresQuery) {
        lock.withLock { if recording { queries.append(query) } }
    }
}
