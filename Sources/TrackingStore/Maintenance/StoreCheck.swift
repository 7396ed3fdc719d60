import Foundation
import GRDB
import TrackingModel

extension TrackingStore {
    /// SQLite's integrity and foreign-key checks, then the counters the store keeps
    /// against a recount: each message's `failed_trackings`, each thread's `message_count`
    /// and `failed_count`, each partner's Failed counter. Reads only.
    public func check() throws(StoreError) -> [StoreCheckItem] {
        do {
            return try pool.read { db in
                var items: [StoreCheckItem] = []
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                items.append(
                    integrity == ["ok"]
                        ? StoreCheckItem(name: "integrity", problems: 0, detail: "ok")
                        : StoreCheckItem(name: "integrity", problems: integrity.count, detail: integrity.prefix(5).joined(separator: "; ")))
                let fk = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
                items.append(
                    StoreCheckItem(
                        name: "foreign_keys", problems: fk.count,
                        detail: fk.isEmpty
                            ? "ok" : fk.prefix(5).map { "\($0[0] as String) rowid \($0[1] as Int64? ?? -1) → \($0[2] as String)" }
                                .joined(separator: "; ")))
                let failed = TrackingState.allCases.filter(\.isFailed).map { "'\($0.rawValue)'" }.joined(separator: ",")
                for (name, sql) in [
                    (
                        "message_failed_trackings",
                        """
                        SELECT m.id, m.failed_trackings, (SELECT count(*) FROM trackings t WHERE t.message_id = m.id AND t.state IN (\(failed))) AS n
                        FROM messages m WHERE m.failed_trackings <> n
                        """
                    ),
                    (
                        "thread_message_count",
                        """
                        SELECT th.id, th.message_count, (SELECT count(*) FROM messages m WHERE m.thread_id = th.id) AS n
                        FROM threads th WHERE th.message_count <> n
                        """
                    ),
                    (
                        "thread_failed_count",
                        """
                        SELECT th.id, th.failed_count,
                          (SELECT count(*) FROM messages m WHERE m.thread_id = th.id AND m.needs_action = 1 AND m.failed_trackings > 0) AS n
                        FROM threads th WHERE th.failed_count <> n
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
                        SELECT p.id, coalesce(fc.count, 0) AS stored, coalesce(c.n, 0) AS n
                        FROM partners p LEFT JOIN failed_counts fc ON fc.partner_id = p.id LEFT JOIN counted c ON c.p = p.id
                        WHERE coalesce(fc.count, 0) <> coalesce(c.n, 0)
                        """
                    ),
                ] {
                    let rows = try Row.fetchAll(db, sql: sql)
                    let detail =
                        rows.isEmpty
                        ? "ok"
                        : rows.prefix(5).map { "id \($0[0] as Int64): stored \($0[1] as Int64), counted \($0[2] as Int64)" }
                            .joined(separator: "; ")
                    items.append(StoreCheckItem(name: name, problems: rows.count, detail: detail))
                }
                return items
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }
}
