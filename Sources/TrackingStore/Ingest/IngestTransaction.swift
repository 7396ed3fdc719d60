import GRDB
import TrackingModel

/// One batch of the poller inside a single `BEGIN IMMEDIATE` transaction: tie-back,
/// events, unmatched and quarantined items, queue links, processed items and the
/// source cursor commit together or not at all, so a `kill -9` at any moment neither
/// loses nor duplicates anything (the `apply(_:cursor:)` contract, widened).
///
/// Valid only inside the `TrackingStore.ingest` closure that handed it out.
final class IngestTransaction: IngestSession {
    let db: Database
    /// "now" by the store's clock, fixed for the transaction.
    let now: Double
    private let applier: EventApplier
    private let resolver: TieBackResolver

    init(db: Database, now: Double) {
        self.db = db
        self.now = now
        applier = EventApplier(db: db, now: now)
        resolver = TieBackResolver(db: db)
    }

    /// The tracking row the keys name, strongest key first.
    func resolve(_ keys: TieBackKeys) throws -> TieBackResolution {
        try resolver.resolve(keys)
    }

    /// Applies one event (unique on source + key; machine opens kept but not folded into the state).
    func apply(_ event: NewEvent) throws -> ApplyOutcome {
        try applier.apply(event)
    }

    /// Keeps an event that tied to nothing. Returns false when its (source, key) was already kept.
    @discardableResult
    func recordUnmatched(_ u: UnmatchedEvent) throws -> Bool {
        let s = RawStatement(
            try db.cachedStatement(
                sql: """
                    INSERT INTO unmatched (source, key, path, type, timestamp, recipient, status, bounce_type, event_reason,
                      description, machine, tracking_key, verp_token, envelope_id, queue_id, provider_message_id, message_id,
                      reason, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(source, key) DO NOTHING
                    """))
        let values: [String?] = [
            u.source, u.key, u.path, u.type, nil, u.recipient, u.status, u.bounceType, u.eventReason, u.description, nil,
            u.keys.trackingId, u.keys.verpToken, u.keys.envelopeId, u.keys.queueId, u.keys.providerMessageId,
            u.keys.messageId, u.reason,
        ]
        for (index, value) in values.enumerated() { s.bind(Int32(index + 1), value) }
        s.bind(5, u.timestamp)
        s.bind(11, u.machine)
        s.bind(19, now)
        try s.run(db)
        return db.changesCount == 1
    }

    /// Keeps input that could not be parsed; the same (source, path, position) again only counts up.
    func quarantine(_ q: QuarantineItem) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO quarantine (source, path, position, reason, excerpt, first_seen, last_seen, count)
                VALUES (?, ?, ?, ?, ?, ?, ?, 1)
                ON CONFLICT(source, path, position) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen,
                  reason = excluded.reason
                """
        ).execute(arguments: [q.source, q.path, q.position, q.reason, String(q.excerpt.prefix(500)), now, now])
    }

    /// The latest stored life of a Postfix queue id.
    func queueLink(host: String, queueId: String) throws -> StoredQueueLink? {
        let s = RawStatement(
            try db.cachedStatement(
                sql: """
                    SELECT first_seen, message_id, tracking_id, system, link FROM queue_links
                    WHERE host = ? AND queue_id = ?
                    """))
        s.bind(1, host)
        s.bind(2, queueId)
        defer { s.reset() }
        guard try s.step(db), let first = s.double(0), let encoded = s.text(4) else { return nil }
        return StoredQueueLink(
            host: host, queueId: queueId, firstSeen: first, messageId: s.text(1), trackingId: s.text(2),
            system: s.int64(3) == 1, encoded: encoded)
    }

    /// Stores a queue-id life unless a later life of the same id is already stored.
    func saveQueueLink(_ link: StoredQueueLink) throws {
        let s = RawStatement(
            try db.cachedStatement(
                sql: """
                    INSERT INTO queue_links (host, queue_id, first_seen, message_id, tracking_id, system, link)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(host, queue_id) DO UPDATE SET first_seen = excluded.first_seen,
                      message_id = excluded.message_id, tracking_id = excluded.tracking_id, system = excluded.system,
                      link = excluded.link
                    WHERE excluded.first_seen >= queue_links.first_seen
                    """))
        s.bind(1, link.host)
        s.bind(2, link.queueId)
        s.bind(3, link.firstSeen)
        s.bind(4, link.messageId)
        s.bind(5, link.trackingId)
        s.bind(6, link.system)
        s.bind(7, link.encoded)
        try s.run(db)
    }

    /// Whether an item (a Maildir mail identity, an event file fingerprint) of a source was applied.
    func isProcessed(source: String, item: String) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM ingested_items WHERE source = ? AND item = ?"),
            arguments: [source, item]) ?? false
    }

    /// Records an item as applied, with the events it gave.
    func markProcessed(source: String, item: String) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO ingested_items (source, item, at) VALUES (?, ?, ?)")
            .execute(arguments: [source, item, now])
    }

    /// Advances a source's cursor in this transaction.
    func saveCursor(_ cursor: SourceCursor) throws {
        try TrackingStore.saveCursor(db, cursor, now: now)
    }
}

extension TrackingStore: IngestRole {
    /// Runs one ingest batch in a single immediate transaction (`body` runs once: the
    /// file's writer is alone, nothing to retry); if `body` throws, nothing of the batch
    /// is kept and the error is rethrown as is.
    public func ingest<T>(_ body: (any IngestSession) throws -> T) throws -> T {
        let now = self.now
        return try pool.write { db in try body(IngestTransaction(db: db, now: now)) }
    }

    /// Records the tie-back keys learnt when a message's mail was submitted (the
    /// queue id of the MTA's `250 ... queued as`, the provider's message id) on
    /// its tracking rows.
    public func recordSubmission(trackingIds: [Int64], queueId: String?, providerMessageId: String?) throws(StoreError) {
        try write { db in
            for id in trackingIds {
                try db.execute(
                    sql: """
                        UPDATE trackings SET queue_id = coalesce(?, queue_id),
                          provider_message_id = coalesce(?, provider_message_id) WHERE id = ?
                        """, arguments: [queueId, providerMessageId, id])
            }
        }
    }

    /// Items of a source already applied (Maildir identities, event file fingerprints).
    public func processedItems(source: String) throws(StoreError) -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: "SELECT item FROM ingested_items WHERE source = ?", arguments: [source]))
        }
    }

    /// Forgets a source's cursor and processed items (`chatter ingest --from-start`): the
    /// next read starts over and repeated events are recognised as duplicates.
    public func resetSource(_ source: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM source_cursors WHERE source = ?", arguments: [source])
            try db.execute(sql: "DELETE FROM ingested_items WHERE source = ?", arguments: [source])
        }
    }
}
