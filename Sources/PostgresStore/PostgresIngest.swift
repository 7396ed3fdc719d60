import Foundation
import TrackingModel

/// The ingest role on PostgreSQL: one batch is one transaction, committed with its source's
/// cursor, so several pollers on several hosts feeding one database (each with its own
/// sources) neither lose nor double anything, whichever of them is killed when.
///
/// The batch holds the store's session for its whole run (no other operation of this store
/// object comes in between); its statements go to the server one use case at a time, from
/// the caller's thread, through `BlockingCall`. A serialization failure or a deadlock rolls
/// the batch back and runs `body` again with a fresh session (the role's contract: the body
/// starts over from what is committed), up to `maxIngestRetries` times, so it never reaches
/// the caller. A dropped connection fails the batch (nothing of it is kept); the next batch
/// opens a new connection.
extension PostgresStore: IngestRole {
    /// How many times a batch is run again after a serialization failure or deadlock.
    static let maxIngestRetries = 50

    public func ingest<T>(_ body: (any IngestSession) throws -> T) throws -> T {
        try BlockingCall.run { await self.gate.enter() }
        defer { gate.leave() }
        var retries = 0
        while true {
            let session = PostgresIngestSession(store: self, now: Date().timeIntervalSince1970)
            do {
                try session.begin()
                let value = try body(session)
                try session.commit()
                return value
            } catch {
                session.rollback()
                guard let failure = session.failure else { throw error }  // the body's own error, as it is
                if let state = PostgresStoreError.sqlState(failure), Self.retryableStates.contains(state),
                    retries < Self.maxIngestRetries
                {
                    retries += 1
                    usleep(UInt32.random(in: 1_000...(5_000 * UInt32(min(retries, 10)))))
                    continue
                }
                throw PostgresStoreError.wrap(failure)
            }
        }
    }

    public func cursor(source: String) throws -> String? {
        try BlockingCall.run { try await self.cursor(source: source) }
    }

    public func processedItems(source: String) throws -> Set<String> {
        try BlockingCall.run {
            try await self.exclusive {
                Set(try await self.rows("SELECT item FROM ingested_items WHERE source = \(source)").map { try $0.decode(String.self) })
            }
        }
    }

    public func resetSource(_ source: String) throws {
        try BlockingCall.run {
            try await self.exclusive {
                try await self.transaction {
                    try await self.connection.query("DELETE FROM source_cursors WHERE source = \(source)", logger: self.logger)
                    try await self.connection.query("DELETE FROM ingested_items WHERE source = \(source)", logger: self.logger)
                }
            }
        }
    }
}
