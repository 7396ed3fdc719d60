import Foundation
import GRDBSQLite

/// The C-API baseline of a group review and its undo: the statements the store
/// runs for `review(.group)` and `unreview` (Review.swift, MessageFailure in
/// EventApplier.swift), prepared once and bound, in one `BEGIN IMMEDIATE`
/// transaction each. The group's query is the one the store ran, as captured.
final class CReview {
    private let base: CBaseline
    private let actor: Int64
    private let needsAction, flags, state, updateMessage, updateThread, adjustCounts, audit: OpaquePointer
    /// The group query of each group, as the store ran it.
    var groupQueries: [String] = []
    /// Statements stepped since the last reset (BEGIN and COMMIT not counted).
    var statements = 0

    init(_ base: CBaseline, actor: Int64) throws {
        self.base = base
        self.actor = actor
        needsAction = try base.prepare("SELECT needs_action FROM messages WHERE id = ?")
        flags = try base.prepare("SELECT needs_action, failed_trackings FROM messages WHERE id = ?")
        state = try base.prepare("SELECT thread_id, needs_action, failed_trackings FROM messages WHERE id = ?")
        updateMessage = try base.prepare("UPDATE messages SET needs_action = ?, failed_trackings = ? WHERE id = ?")
        updateThread = try base.prepare("UPDATE threads SET failed_count = failed_count + ? WHERE id = ?")
        adjustCounts = try base.prepare(
            """
            INSERT INTO failed_counts (partner_id, count)
            SELECT p, ? FROM (
              SELECT author_id AS p FROM messages WHERE id = ?
              UNION
              SELECT partner_id FROM message_recipients WHERE message_id = ? AND partner_id IS NOT NULL)
            WHERE true
            ON CONFLICT(partner_id) DO UPDATE SET count = count + excluded.count
            """)
        audit = try base.prepare(
            "INSERT INTO audit_log (at, actor_id, action, message_id, tracking_id, detail) VALUES (?, ?, ?, ?, NULL, NULL)")
    }

    deinit {
        for s in [needsAction, flags, state, updateMessage, updateThread, adjustCounts, audit] { sqlite3_finalize(s) }
    }

    /// A statement the store ran, as opposed to transaction control.
    static func isStatement(_ sql: String) -> Bool {
        !["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"].contains { sql.uppercased().hasPrefix($0) }
    }

    /// The `index`-th group query among captured statements.
    static func groupQuery(in sqls: [String], index: Int) throws -> String {
        let queries = sqls.filter { $0.hasPrefix("SELECT m.id AS mid, t.id AS tid") }
        guard index < queries.count else { throw BenchError("no group query \(index) among the captured statements") }
        return queries[index]
    }

    /// Reviews the messages of a group that still need action; returns them.
    func review(_ groupQuery: String) throws -> [Int64] {
        try transaction {
            var ids: [Int64] = []
            var seen = Set<Int64>()
            for mid in try messageIds(groupQuery) where seen.insert(mid).inserted {
                guard try step(needsAction, [mid]) { sqlite3_column_int64($0, 0) } == 1 else { continue }
                ids.append(mid)
            }
            for id in ids {
                try setNeedsAction(id, false)
                try record("review", id)
            }
            return ids
        }
    }

    /// Undoes a review: the messages that still have a failed recipient need action again.
    func undo(_ messageIds: [Int64]) throws -> [Int64] {
        try transaction {
            var changed: [Int64] = []
            for id in messageIds {
                let (needs, failed) = try step(flags, [id]) { (sqlite3_column_int64($0, 0), sqlite3_column_int64($0, 1)) }
                guard needs == 0, failed > 0 else { continue }
                try setNeedsAction(id, true)
                try record("unreview", id)
                changed.append(id)
            }
            return changed
        }
    }

    /// MessageFailure.update with no change of the failed count.
    private func setNeedsAction(_ id: Int64, _ needs: Bool) throws {
        let (thread, oldNeeds, failed) = try step(state, [id]) {
            (sqlite3_column_int64($0, 0), sqlite3_column_int64($0, 1) == 1, sqlite3_column_int64($0, 2))
        }
        guard needs != oldNeeds else { return }
        try step(updateMessage, [needs ? 1 : 0, failed, id]) { _ in () }
        let before = oldNeeds && failed > 0
        let after = needs && failed > 0
        guard before != after else { return }
        let delta: Int64 = after ? 1 : -1
        try step(updateThread, [delta, thread]) { _ in () }
        try step(adjustCounts, [delta, id, id]) { _ in () }
    }

    private func record(_ action: String, _ id: Int64) throws {
        sqlite3_bind_double(audit, 1, Date().timeIntervalSince1970)
        sqlite3_bind_int64(audit, 2, actor)
        sqlite3_bind_text(audit, 3, action, -1, SQLITE_TRANSIENT)
        sqlite3_bind_int64(audit, 4, id)
        try finish(audit, sqlite3_step(audit))
    }

    /// The message ids of the group query's rows (message id, tracking id), in order.
    private func messageIds(_ sql: String) throws -> [Int64] {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(base.db, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw BenchError("prepare \(sql): \(String(cString: sqlite3_errmsg(base.db)))")
        }
        defer { sqlite3_finalize(stmt) }
        var ids: [Int64] = []
        var rc = sqlite3_step(stmt)
        while rc == SQLITE_ROW {
            ids.append(sqlite3_column_int64(stmt, 0))
            rc = sqlite3_step(stmt)
        }
        statements += 1
        guard rc == SQLITE_DONE else { throw BenchError("group query: \(String(cString: sqlite3_errmsg(base.db)))") }
        return ids
    }

    /// Binds integer arguments, steps once, reads the row (if any) with `read`, resets.
    @discardableResult
    private func step<T>(_ stmt: OpaquePointer, _ args: [Int64], _ read: (OpaquePointer) -> T) throws -> T {
        for (i, a) in args.enumerated() { sqlite3_bind_int64(stmt, Int32(i + 1), a) }
        let rc = sqlite3_step(stmt)
        let value = read(stmt)
        try finish(stmt, rc)
        return value
    }

    private func finish(_ stmt: OpaquePointer, _ rc: Int32) throws {
        sqlite3_reset(stmt)
        statements += 1
        guard rc == SQLITE_ROW || rc == SQLITE_DONE else {
            throw BenchError("step: \(String(cString: sqlite3_errmsg(base.db)))")
        }
    }

    private func transaction<T>(_ body: () throws -> T) throws -> T {
        try base.exec("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try base.exec("COMMIT")
            return value
        } catch {
            try? base.exec("ROLLBACK")
            throw error
        }
    }
}
