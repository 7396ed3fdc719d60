import Foundation
import GRDB
import TrackingModel

extension TrackingStore {
    /// Checks the file and the schema; never throws (a failure is the answer).
    public func health() -> StoreHealth {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return StoreHealth(problem: "store file \(path) is gone (\(String(cString: strerror(errno))))")
        }
        guard access(path, R_OK | W_OK) == 0 else {
            return StoreHealth(problem: "store file \(path) is not readable and writable by this process")
        }
        do {
            let applied = try pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
            let known = Schema.migrator.migrations
            let unknown = applied.filter { !known.contains($0) }
            let missing = known.filter { !applied.contains($0) }
            if !unknown.isEmpty { return StoreHealth(problem: "schema is newer than this build: \(unknown.joined(separator: ", "))") }
            if !missing.isEmpty { return StoreHealth(problem: "schema not current: missing \(missing.joined(separator: ", "))") }
            return StoreHealth(problem: nil)
        } catch {
            return StoreHealth(problem: "store unreachable: \(StoreError.wrap(error))")
        }
    }

    /// The counts of `/metrics`: events, quarantined and unmatched items, the outbox by status.
    public func gauges() throws(StoreError) -> StoreGauges {
        do {
            return try pool.read { db in
                var g = StoreGauges()
                g.events = try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
                g.quarantined = try Int.fetchOne(db, sql: "SELECT count(*) FROM quarantine") ?? 0
                g.unmatched = try Int.fetchOne(db, sql: "SELECT count(*) FROM unmatched") ?? 0
                let rows = try Row.fetchAll(
                    db, sql: "SELECT status, count(*) FROM outbox WHERE status IN ('queued', 'sending', 'failed') GROUP BY status")
                for row in rows {
                    let n: Int = row[1]
                    switch row[0] as String {
                    case "queued": g.outboxQueued = n
                    case "sending": g.outboxSending = n
                    default: g.outboxFailed = n
                    }
                }
                return g
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }
}
