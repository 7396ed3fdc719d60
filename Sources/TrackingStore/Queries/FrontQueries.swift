import GRDB
import TrackingModel

// Queries only the terminal front needs: the Inbox counter (kept incrementally), the tracking list
// filtered to every failed state at once, and the cheap change probe the
// front's store watcher polls.

extension TrackingStore {
    /// The Inbox counter of a user: messages the user wrote or is a partner
    /// recipient of, among messages with an id in `afterId+1...throughId` (default: all).
    ///
    /// Messages are only ever added, each with a higher id, and their author and
    /// recipients never change: a caller keeps the count with `latestMessageId`
    /// and adds the messages after it, instead of counting a million rows again.
    public func inboxCount(for user: Int64, afterId: Int64 = 0, throughId: Int64 = .max) throws(StoreError) -> Int {
        try read { db in
            let authored = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM messages WHERE author_id = ? AND id > ? AND id <= ?"),
                arguments: [user, afterId, throughId]) ?? 0
            let received = try Int.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT COUNT(DISTINCT r.message_id) FROM message_recipients r
                        JOIN messages m ON m.id = r.message_id
                        WHERE r.partner_id = ? AND r.message_id > ? AND r.message_id <= ? AND m.author_id IS NOT ?
                        """), arguments: [user, afterId, throughId, user]) ?? 0
            return authored + received
        }
    }

    /// The highest message id (0 for an empty store): one index lookup.
    public func latestMessageId() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM messages") ?? 0 }
    }

    /// Tracking emails in any failed state (error, rejected, spam, bounced,
    /// soft-bounced), newest first, optionally searched like `trackings`.
    public func failedTrackings(search: String? = nil, after: PageCursor? = nil, limit: Int = 100)
        throws(StoreError) -> Page<TrackingRow>
    {
        try trackings(TrackingFilter(search: search, failedOnly: true), after: after, limit: limit)
    }
}

/// A cheap "did the store change?" probe on its own read-only connection:
/// SQLite's `PRAGMA data_version` moves whenever another connection (in this
/// process or another) commits. Used from one thread (the front's watcher).
public final class StoreChangeProbe {
    private let queue: DatabaseQueue

    /// Opens a dedicated read-only connection to the store file.
    public init(path: String) throws(StoreError) {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        config.label = "chatter-watch"
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// The connection's current data version (outside any transaction, so it sees the latest commit).
    public func version() throws(StoreError) -> Int64 {
        do {
            return try queue.inDatabase { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        } catch {
            throw StoreError.wrap(error)
        }
    }
}
