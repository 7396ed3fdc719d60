import PostgresNIO
import TrackingModel

/// One ingest batch on PostgreSQL (`PostgresStore.ingest`): the role's operations, each a
/// few statements of the batch's open transaction, run through `BlockingCall` from the
/// caller's thread. The SQLite store's `IngestTransaction`, statement for statement, with
/// what several writers need: events go through `PostgresEventApplier` (rows locked, counters
/// moved by increments), unmatched items and processed items are inserted under their unique
/// keys with `ON CONFLICT DO NOTHING`, the quarantine counts up in SQL.
///
/// The first failing statement aborts the server's transaction: the session keeps that
/// failure (the store decides from it whether to run the batch again) and refuses every
/// later operation. Used by one thread at a time (the caller's, which waits for each
/// statement), which is what makes the unchecked `Sendable` sound.
final class PostgresIngestSession: IngestSession, @unchecked Sendable {
    let store: PostgresStore
    let now: Double
    private var applier: PostgresEventApplier
    /// The error of the statement that aborted the transaction.
    private(set) var failure: (any Error)?
    /// Something a front shows was written (an event, an unmatched or quarantined item).
    private var changed = false

    init(store: PostgresStore, now: Double) {
        self.store = store
        self.now = now
        applier = PostgresEventApplier(store: store, now: now)
    }

    /// Runs `body` on the server side of the bridge; a failure is kept and ends the session.
    @discardableResult
    func call<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        if let failure { throw PostgresStoreError.wrap(failure) }
        do {
            return try BlockingCall.run(body)
        } catch {
            failure = error
            throw PostgresStoreError.wrap(error)
        }
    }

    /// Opens the batch's transaction (on a new connection when the server dropped the last one).
    func begin() throws {
        let store = self.store
        try call {
            try await store.reconnectIfDropped()
            try await store.run("BEGIN")
        }
    }

    /// Moves the batch's counters, announces the change, and commits.
    func commit() throws {
        let store = self.store
        let changed = self.changed
        try call { [self] in
            try await applier.flushCounters()
            if changed {
                try await store.connection.query("SELECT pg_notify(\(PostgresStore.changeChannel), 'events')", logger: store.logger)
            }
            try await store.run("COMMIT")
        }
    }

    /// Ends a failed batch; nothing of it is kept (a dropped connection has rolled it back already).
    func rollback() {
        let store = self.store
        _ = try? BlockingCall.run {
            if !store.connection.isClosed { try await store.run("ROLLBACK") }
        }
    }

    func resolve(_ keys: TieBackKeys) throws -> TieBackResolution {
        try TieBackSearch.resolve(keys, in: PostgresIngestTieBack(session: self))
    }

    func apply(_ event: NewEvent) throws -> ApplyOutcome {
        let outcome = try call { [self] () async throws -> ApplyOutcome in
            var report = ApplyReport()
            try await applier.apply(event, into: &report)
            if report.applied > 0 { return .applied(stateChanged: report.stateChanges > 0) }
            if report.suppressed > 0 { return .suppressed }
            if report.unknownTracking > 0 { return .unknownTracking }
            return .duplicate
        }
        if case .applied = outcome { changed = true }
        return outcome
    }

    @discardableResult
    func recordUnmatched(_ u: UnmatchedEvent) throws -> Bool {
        let t = StoredText.storable
        let k = u.keys
        let machine: Int64 = u.machine ? 1 : 0
        let query: PostgresQuery = """
            INSERT INTO unmatched (source, key, path, type, timestamp, recipient, status, bounce_type, event_reason,
              description, machine, tracking_key, verp_token, envelope_id, queue_id, provider_message_id, message_id,
              reason, recorded_at)
            VALUES (\(t(u.source)), \(t(u.key)), \(t(u.path)), \(t(u.type)), \(u.timestamp), \(u.recipient.map(t)),
              \(u.status.map(t)), \(u.bounceType.map(t)), \(u.eventReason.map(t)), \(u.description.map(t)), \(machine),
              \(k.trackingId.map(t)), \(k.verpToken.map(t)), \(k.envelopeId.map(t)), \(k.queueId.map(t)),
              \(k.providerMessageId.map(t)), \(k.messageId.map(t)), \(t(u.reason)), \(now))
            ON CONFLICT (source, key) DO NOTHING RETURNING id
            """
        let store = self.store
        let kept = try call { try await !store.rows(query).isEmpty }
        if kept { changed = true }
        return kept
    }

    func quarantine(_ q: QuarantineItem) throws {
        let t = StoredText.storable
        let excerpt = t(String(q.excerpt.prefix(500)))
        let query: PostgresQuery = """
            INSERT INTO quarantine (source, path, position, reason, excerpt, first_seen, last_seen, count)
            VALUES (\(t(q.source)), \(t(q.path)), \(t(q.position)), \(t(q.reason)), \(excerpt), \(now), \(now), 1)
            ON CONFLICT (source, path, position) DO UPDATE SET count = quarantine.count + 1,
              last_seen = excluded.last_seen, reason = excluded.reason
            """
        let store = self.store
        try call { try await store.connection.query(query, logger: store.logger) }
        changed = true
    }

    func queueLink(host: String, queueId: String) throws -> StoredQueueLink? {
        let t = StoredText.storable
        let store = self.store
        return try call {
            guard
                let row = try await store.rows(
                    """
                    SELECT first_seen, message_id, tracking_id, system, link FROM queue_links
                    WHERE host = \(t(host)) AND queue_id = \(t(queueId))
                    """
                ).first
            else { return nil }
            let (first, messageId, trackingId, system, encoded) = try row.decode((Double, String?, String?, Int64, String).self)
            return StoredQueueLink(
                host: host, queueId: queueId, firstSeen: first, messageId: messageId, trackingId: trackingId,
                system: system == 1, encoded: encoded)
        }
    }

    func saveQueueLink(_ link: StoredQueueLink) throws {
        let t = StoredText.storable
        let system: Int64 = link.system ? 1 : 0
        let query: PostgresQuery = """
            INSERT INTO queue_links (host, queue_id, first_seen, message_id, tracking_id, system, link)
            VALUES (\(t(link.host)), \(t(link.queueId)), \(link.firstSeen), \(link.messageId.map(t)),
              \(link.trackingId.map(t)), \(system), \(t(link.encoded)))
            ON CONFLICT (host, queue_id) DO UPDATE SET first_seen = excluded.first_seen,
              message_id = excluded.message_id, tracking_id = excluded.tracking_id, system = excluded.system,
              link = excluded.link
            WHERE excluded.first_seen >= queue_links.first_seen
            """
        let store = self.store
        try call { try await store.connection.query(query, logger: store.logger) }
    }

    func isProcessed(source: String, item: String) throws -> Bool {
        let store = self.store
        return try call {
            try await !store.rows("SELECT 1 FROM ingested_items WHERE source = \(source) AND item = \(item)").isEmpty
        }
    }

    func markProcessed(source: String, item: String) throws {
        let store = self.store
        let now = self.now
        try call {
            try await store.connection.query(
                "INSERT INTO ingested_items (source, item, at) VALUES (\(source), \(item), \(now)) ON CONFLICT DO NOTHING",
                logger: store.logger)
        }
    }

    func saveCursor(_ cursor: SourceCursor) throws {
        let store = self.store
        let now = self.now
        try call {
            try await store.connection.query(
                """
                INSERT INTO source_cursors (source, cursor, updated_at) VALUES (\(cursor.source), \(cursor.value), \(now))
                ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
                """, logger: store.logger)
        }
    }
}
