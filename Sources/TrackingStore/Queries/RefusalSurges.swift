import GRDB
import TrackingModel

/// A receiving domain that started refusing our mail: many failures of one
/// sender-side cause there within a short time.
public struct RefusalSurge: Sendable, Hashable {
    public var domain: String
    public var cause: FailureCause
    /// Failures within the window.
    public var count: Int
    /// The first of them (UTC epoch seconds).
    public var since: Double
}

extension TrackingStore {
    /// Domains with at least `threshold` failed rows of `cause` whose last event
    /// is at most `window` seconds old, most failures first. Read along
    /// `trackings_cause_domain` (the cause's rows, already grouped by domain).
    public func refusalSurges(cause: FailureCause = .blocked, threshold: Int, window: Double) throws(StoreError)
        -> [RefusalSurge]
    {
        let since = now - window
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(CauseSQL.receivingDomain) AS domain, COUNT(*) AS n,
                           MIN(COALESCE(last_ts, created_at)) AS since
                    FROM trackings INDEXED BY trackings_cause_domain
                    WHERE cause = ? AND address IS NOT NULL AND COALESCE(last_ts, created_at) >= ?
                      AND state IN (\(FailureGroups.failedStates))
                    GROUP BY \(CauseSQL.receivingDomain) HAVING n >= ? ORDER BY n DESC, domain
                    """, arguments: [cause.rawValue, since, threshold]
            ).map { RefusalSurge(domain: $0["domain"], cause: cause, count: $0["n"], since: $0["since"]) }
        }
    }
}
