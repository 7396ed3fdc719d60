import GRDB
import TrackingModel

extension TrackingStore {
    /// What the outbox still has to do, for the front's header: entries queued,
    /// being sent, and queued again after a failed attempt (failing: the server
    /// was unreachable or answered 4xx). Counted through the partial indexes of
    /// queued and sending entries: the sent history is never scanned.
    public func outboxPending() throws(StoreError) -> (queued: Int, sending: Int, failing: Int) {
        try read { db in
            let queued = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT COUNT(*) AS n, COALESCE(SUM(attempts > 0 AND last_error IS NOT NULL), 0) AS failing
                        FROM outbox INDEXED BY outbox_due WHERE status = 'queued'
                        """))
            let sending = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM outbox INDEXED BY outbox_sending WHERE status = 'sending'"))
            return (queued?["n"] ?? 0, sending ?? 0, queued?["failing"] ?? 0)
        }
    }
}
