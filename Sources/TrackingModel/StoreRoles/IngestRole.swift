/// The store as the poller, `chatter ingest` and `serve`'s webhooks use it: batches of
/// delivery signals applied with their source's cursor, exactly once. Both stores (the
/// SQLite file and the PostgreSQL server) implement it, so the readers above never know
/// which one they feed.
///
/// Exactly once: everything a batch writes (events, unmatched and quarantined items,
/// queue links, processed items, the source cursor) commits together or not at all, and
/// events and unmatched items are unique on their (source, key), so a batch read again
/// after a crash only finds duplicates.
public protocol IngestRole: AnyObject, Sendable {
    /// Runs one batch in one transaction and commits it when `body` returns; when `body`
    /// throws nothing of the batch is kept and the error is rethrown.
    ///
    /// `body` may run more than once: a store with concurrent writers (PostgreSQL) rolls a
    /// batch that hit a serialization failure or a deadlock back and calls `body` again
    /// with a fresh session, so the failure never reaches the caller. Each run must
    /// therefore start from what the last commit left (a reader reads its input again from
    /// its committed position) and publish nothing outside the session before `ingest`
    /// returns. The SQLite store, whose writer is alone, runs it once.
    func ingest<T>(_ body: (any IngestSession) throws -> T) throws -> T

    /// A source's committed cursor (opaque to the store), nil before its first batch.
    func cursor(source: String) throws -> String?

    /// Items of a source already applied (Maildir identities, event file fingerprints).
    func processedItems(source: String) throws -> Set<String>

    /// Forgets a source's cursor and processed items (`chatter ingest --from-start`): the
    /// next read starts over and repeated events are recognised as duplicates.
    func resetSource(_ source: String) throws
}
