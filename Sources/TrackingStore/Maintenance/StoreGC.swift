import Foundation
import GRDB
import TrackingModel

/// What `gc` removed (or, dry, would remove), and the file before and after.
public struct GCReport: Sendable, Equatable {
    /// Rows older than the cutoff (last activity before it) that were removed / would be.
    public var trackings = 0
    /// Their events.
    public var events = 0
    /// Rows older than the cutoff kept: failures still needing action, newest row of their
    /// address, or referred to by the outbox or the audit log.
    public var kept = 0
    /// Write transactions used (one per batch).
    public var batches = 0
    /// File size (bytes, main file) and free pages before and after.
    public var bytesBefore: Int64 = 0
    public var bytesAfter: Int64 = 0
    public var freePagesAfter = 0
    /// Whether the freed pages went back to the file system (`auto_vacuum = INCREMENTAL`).
    public var vacuumed = false

    public init() {}
}

extension TrackingStore {
    /// Removes tracking rows (and their events) whose last activity is older than `cutoff`
    /// (UTC epoch seconds), except: failed rows of a message that still needs action, the
    /// newest row of each address (the bounced flag reads it), rows the outbox or the audit
    /// log refers to. In write transactions of at most `batchSize` rows, so other writers
    /// (the poller, the front) get in between; a removed failed row of a reviewed message
    /// is taken off its `failed_trackings`. With `dryRun` nothing is written.
    public func collectGarbage(olderThan cutoff: Double, batchSize: Int = 1000, dryRun: Bool) throws(StoreError) -> GCReport {
        var report = GCReport()
        report.bytesBefore = Self.fileSize(path)
        do {
            report.kept = try pool.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM trackings WHERE max(created_at, coalesce(last_ts, 0)) < ?",
                    arguments: [cutoff]) ?? 0
            }
            var after: Int64 = 0
            while true {
                let step = { (db: Database) throws -> (ids: [Int64], events: Int) in
                    let rows = try Row.fetchAll(db, sql: Self.collectableSQL, arguments: [after, cutoff, max(1, batchSize)])
                    let ids: [Int64] = rows.map { $0[0] }
                    guard !ids.isEmpty else { return ([], 0) }
                    let list = ids.map(String.init).joined(separator: ",")
                    let events = try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE tracking_id IN (\(list))") ?? 0
                    if !dryRun {
                        var failed: [Int64: Int] = [:]
                        for row in rows where (row[2] as String?).flatMap(TrackingState.init(rawValue:))?.isFailed == true {
                            failed[row[1], default: 0] += 1
                        }
                        try db.execute(sql: "DELETE FROM events WHERE tracking_id IN (\(list))")
                        try db.execute(sql: "DELETE FROM trackings WHERE id IN (\(list))")
                        for (message, count) in failed {
                            try MessageFailure.update(db, messageId: message, failedDelta: -count, needsAction: nil)
                        }
                    }
                    return (ids, events)
                }
                let (ids, events) = dryRun ? try pool.read(step) : try pool.write(step)
                guard let last = ids.last else { break }
                after = last
                report.trackings += ids.count
                report.events += events
                report.batches += 1
            }
            report.kept -= report.trackings
            if !dryRun {
                // Given back 2,000 pages (8 MiB) per transaction, so writers get in between.
                report.vacuumed = try pool.read { db in try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") == 2 }
                while report.vacuumed {
                    let left = try pool.write { db in
                        try db.execute(sql: "PRAGMA incremental_vacuum(2000)")
                        return try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
                    }
                    if left == 0 { break }
                }
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            }
            report.freePagesAfter = try pool.read { db in try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0 }
        } catch {
            throw StoreError.wrap(error)
        }
        report.bytesAfter = Self.fileSize(path)
        return report
    }

    /// The next rows `gc` may remove after id `?1`, last active before `?2`, at most `?3`.
    static var collectableSQL: String {
        let failed = TrackingState.allCases.filter(\.isFailed).map { "'\($0.rawValue)'" }.joined(separator: ",")
        return """
            SELECT t.id, t.message_id, t.state
            FROM trackings t JOIN messages m ON m.id = t.message_id
            WHERE t.id > ?1 AND max(t.created_at, coalesce(t.last_ts, 0)) < ?2
              AND NOT (m.needs_action = 1 AND t.state IN (\(failed)))
              AND t.id NOT IN (SELECT tracking_id FROM outbox)
              AND t.id NOT IN (SELECT tracking_id FROM audit_log WHERE tracking_id IS NOT NULL)
              AND (t.address IS NULL OR t.id <> (
                SELECT n.id FROM trackings n WHERE n.address = t.address ORDER BY n.created_at DESC, n.id DESC LIMIT 1))
            ORDER BY t.id
            LIMIT ?3
            """
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
