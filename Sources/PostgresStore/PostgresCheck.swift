import PostgresNIO
import TrackingModel

extension PostgresStore {
    /// The counters the store keeps against a recount, as the SQLite store's `store check`
    /// does: each message's failed trackings, each thread's message and failed counts,
    /// each user's Failed counter. (Foreign keys are the server's to enforce.) Reads only.
    public func check() async throws(PostgresStoreError) -> [StoreCheckItem] {
        let failed = TrackingState.allCases.filter(\.isFailed).map { "'\($0.rawValue)'" }.joined(separator: ",")
        let checks: [(String, String)] = [
            (
                "message_failed_trackings",
                """
                SELECT m.id, m.failed_trackings, coalesce(t.n, 0) FROM messages m
                LEFT JOIN (SELECT message_id, count(*) AS n FROM trackings WHERE state IN (\(failed)) GROUP BY message_id) t
                  ON t.message_id = m.id
                WHERE m.failed_trackings <> coalesce(t.n, 0) ORDER BY m.id
                """
            ),
            (
                "thread_message_count",
                """
                SELECT th.id, th.message_count, coalesce(m.n, 0) FROM threads th
                LEFT JOIN (SELECT thread_id, count(*) AS n FROM messages GROUP BY thread_id) m ON m.thread_id = th.id
                WHERE th.message_count <> coalesce(m.n, 0) ORDER BY th.id
                """
            ),
            (
                "thread_failed_count",
                """
                SELECT th.id, th.failed_count, coalesce(m.n, 0) FROM threads th
                LEFT JOIN (SELECT thread_id, count(*) AS n FROM messages WHERE needs_action = 1 AND failed_trackings > 0
                  GROUP BY thread_id) m ON m.thread_id = th.id
                WHERE th.failed_count <> coalesce(m.n, 0) ORDER BY th.id
                """
            ),
            (
                "partner_failed_count",
                """
                WITH failed AS (SELECT id FROM messages WHERE needs_action = 1 AND failed_trackings > 0),
                mine AS (
                  SELECT m.author_id AS p, m.id FROM messages m JOIN failed f ON f.id = m.id
                  UNION
                  SELECT r.partner_id, r.message_id FROM message_recipients r JOIN failed f ON f.id = r.message_id
                  WHERE r.partner_id IS NOT NULL),
                counted AS (SELECT p, count(*) AS n FROM mine GROUP BY p)
                SELECT p.id, coalesce(fc.count, 0), coalesce(c.n, 0)
                FROM partners p LEFT JOIN failed_counts fc ON fc.partner_id = p.id LEFT JOIN counted c ON c.p = p.id
                WHERE coalesce(fc.count, 0) <> coalesce(c.n, 0) ORDER BY p.id
                """
            ),
        ]
        return try await exclusive {
            var items: [StoreCheckItem] = []
            for (name, sql) in checks {
                let rows = try await self.rows(PostgresQuery(unsafeSQL: sql))
                let shown = try rows.prefix(5).map { row in
                    let (id, stored, counted) = try row.decode((Int64, Int64, Int64).self)
                    return "id \(id): stored \(stored), counted \(counted)"
                }
                items.append(
                    StoreCheckItem(
                        name: name, problems: rows.count, detail: rows.isEmpty ? "ok" : shown.joined(separator: "; ")))
            }
            return items
        }
    }
}
