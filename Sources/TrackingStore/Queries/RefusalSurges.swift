import GRDB
import TrackingModel

extension TrackingStore {
    /// (Cause, domain) pairs with at least `threshold` failed rows of one of
    /// `causes` (by default every sender-side cause) whose last event is at most
    /// `window` seconds old, most failures first. Read along
    /// `trackings_cause_domain` (one range per cause, already grouped by domain).
    public func refusalSurges(
        causes: [FailureCause] = FailureCause.senderSide, threshold: Int, window: Double
    ) throws(StoreError) -> [RefusalSurge] {
        guard !causes.isEmpty else { return [] }
        let since = now - window
        let marks = Array(repeating: "?", count: causes.count).joined(separator: ", ")
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT cause, \(CauseSQL.receivingDomain) AS domain, COUNT(*) AS n,
                           MIN(COALESCE(last_ts, created_at)) AS since
                    FROM trackings INDEXED BY trackings_cause_domain
                    WHERE cause IN (\(marks)) AND address IS NOT NULL AND COALESCE(last_ts, created_at) >= ?
                      AND state IN (\(FailureGroups.failedStates))
                    GROUP BY cause, \(CauseSQL.receivingDomain) HAVING n >= ? ORDER BY n DESC, domain, cause
                    """, arguments: StatementArguments(causes.map(\.rawValue)) + [since, threshold]
            ).compactMap { row -> RefusalSurge? in
                // The statement only returns the causes asked for, all known words.
                guard let cause = FailureCause(rawValue: row["cause"]) else { return nil }
                return RefusalSurge(domain: row["domain"], cause: cause, count: row["n"], since: row["since"])
            }
        }
    }
}
