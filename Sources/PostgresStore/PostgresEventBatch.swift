import Foundation
import PostgresNIO
import TrackingModel

extension PostgresStore {
    /// The channel a committed change is announced on (`LISTEN chatter`).
    public static let changeChannel = "chatter"

    /// SQLSTATEs that mean "run the transaction again": serialization failure, deadlock.
    static let retryableStates: Set<String> = ["40001", "40P01"]

    /// Applies a batch of events and, when given, advances the source's cursor, in one
    /// transaction: both commit or neither, so a crash loses and doubles nothing. Each
    /// event is inserted under `UNIQUE (source, key)` with `ON CONFLICT DO NOTHING`
    /// (another writer's copy of it makes it a duplicate, never a second row); the
    /// tracking row is locked while its state is folded, and the message, thread and
    /// Failed counters move by increments in SQL, so concurrent writers keep them exact.
    /// A serialization failure or deadlock rolls the batch back and runs it again, here.
    /// A batch that applied something notifies `changeChannel` on commit.
    public func apply(_ events: [NewEvent], cursor: SourceCursor? = nil, now: Double = Date().timeIntervalSince1970)
        async throws(PostgresStoreError) -> ApplyReport
    {
        try await exclusive {
            var retries = 0
            while true {
                do {
                    var report = try await self.transaction {
                        var report = ApplyReport()
                        var applier = PostgresEventApplier(store: self, now: now)
                        // Rows are locked in tracking-id order (a row's own events keep their
                        // order), so two writers rarely wait for each other in a cycle.
                        let ordered = events.enumerated().sorted { ($0.element.trackingId, $0.offset) < ($1.element.trackingId, $1.offset) }
                        for (_, event) in ordered { try await applier.apply(event, into: &report) }
                        try await applier.flushCounters()
                        if let cursor {
                            try await self.connection.query(
                                """
                                INSERT INTO source_cursors (source, cursor, updated_at) VALUES (\(cursor.source), \(cursor.value), \(now))
                                ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
                                """, logger: self.logger)
                        }
                        if report.applied > 0 {
                            try await self.connection.query("SELECT pg_notify(\(Self.changeChannel), 'events')", logger: self.logger)
                        }
                        return report
                    }
                    report.retries = retries
                    return report
                } catch where PostgresStoreError.sqlState(error).map(Self.retryableStates.contains) == true && retries < 50 {
                    retries += 1
                    try await Task.sleep(nanoseconds: UInt64.random(in: 1_000_000...(5_000_000 * UInt64(min(retries, 10)))))
                }
            }
        }
    }

    /// A source's saved cursor.
    public func cursor(source: String) async throws(PostgresStoreError) -> String? {
        try await exclusive {
            try await self.rows("SELECT cursor FROM source_cursors WHERE source = \(source)").first?.decode(String.self)
        }
    }
}

/// The SQLite store's event applier, statement for statement, on PostgreSQL: the rule
/// (`TrackingStatus`) is the same Swift code; what differs is the locking that makes it
/// safe with several writers at once.
struct PostgresEventApplier {
    let store: PostgresStore
    let now: Double
    /// Thread failed-count and Failed-counter moves of the batch, applied at its end in id order.
    private var threadDeltas: [Int64: Int64] = [:]
    private var messageDeltas: [Int64: Int64] = [:]

    init(store: PostgresStore, now: Double) {
        self.store = store
        self.now = now
    }

    private var connection: PostgresConnection { store.connection }
    private var logger: Logger { store.logger }

    mutating func apply(_ event: NewEvent, into report: inout ApplyReport) async throws {
        let e = event.asStored
        // The row is locked until commit: its events and folded status change one writer at a time.
        var locked: ApplyStatements.LockTracking.Row?
        for try await row in try await connection.execute(ApplyStatements.LockTracking(trackingId: e.trackingId), logger: logger) {
            locked = row
        }
        guard let (messageId, address, state, server, errorType, errorDescription, bounceType, bounceDescription, lastTs,
            lastRank, lastTiebreak, cause) = locked
        else {
            report.count(.unknownTracking)
            return
        }
        var last: EventOrder?
        if let lastTs, let lastRank, let lastTiebreak { last = EventOrder(timestamp: lastTs, rank: Int(lastRank), tiebreak: lastTiebreak) }
        let old = TrackingStatus(
            state: state.flatMap(TrackingState.init(rawValue:)), errorSmtpServer: server, errorType: errorType,
            errorDescription: errorDescription, bounceType: bounceType, bounceDescription: bounceDescription,
            cause: cause.flatMap(FailureCause.init(rawValue:)), last: last)

        if let window = DuplicateWindow.seconds(for: e.type), try await isSuppressed(e, window: window) {
            report.count(.suppressed)
            return
        }
        guard try await insert(e) else {
            report.count(.duplicate)
            return
        }
        var new = old
        let facts = e.facts
        if let last = old.last, facts.order < last {
            new = try await rederive(trackingId: e.trackingId)
        } else {
            new.fold(facts)
        }
        try await write(new, trackingId: e.trackingId)

        let oldFailed = old.state?.isFailed ?? false
        let newFailed = new.state?.isFailed ?? false
        let enteredFailedState = newFailed && old.state != new.state
        if oldFailed != newFailed || enteredFailedState {
            try await updateMessage(
                messageId, failedDelta: newFailed == oldFailed ? 0 : (newFailed ? 1 : -1), needsAction: enteredFailedState ? true : nil)
        }
        if let address, e.type.flagsPartner(errorType: e.details.errorType, cause: e.details.cause) {
            try await connection.query(
                "UPDATE partners SET email_bounced = 1 WHERE email_normalized = \(address) AND email_bounced = 0", logger: logger)
        }
        report.count(.applied(stateChanged: old.state != new.state))
    }

    private func isSuppressed(_ e: NewEvent, window: Double) async throws -> Bool {
        // Clicks are the same only on the same url; opens whatever the url.
        let near = ApplyStatements.FindNearSame(
            trackingId: e.trackingId, from: e.timestamp - window, to: e.timestamp + window, type: e.type.rawValue,
            machine: e.machine ? 1 : 0, sameUrlOnly: e.type == .click ? 1 : 0, url: e.details.url)
        var found = false
        for try await _ in try await connection.execute(near, logger: logger) { found = true }
        return found
    }

    /// Whether the event was new (a row was inserted).
    private func insert(_ e: NewEvent) async throws -> Bool {
        var inserted = false
        for try await _ in try await connection.execute(ApplyStatements.InsertEvent(e, recordedAt: now), logger: logger) {
            inserted = true
        }
        return inserted
    }

    private func write(_ s: TrackingStatus, trackingId: Int64) async throws {
        _ = try await connection.execute(ApplyStatements.WriteStatus(s, trackingId: trackingId), logger: logger)
    }

    /// A row's status from all its stored events (an event arrived out of order).
    private func rederive(trackingId: Int64) async throws -> TrackingStatus {
        let rows = try await store.rows(
            """
            SELECT type, timestamp, source, key, machine, smtp_server, error_type, error_description,
                   bounce_type, bounce_description, cause
            FROM events WHERE tracking_id = \(trackingId)
            """)
        var facts: [EventFacts] = []
        for row in rows {
            let (type, ts, source, key, machine, server, errorType, errorDescription, bounceType, bounceDescription, cause) =
                try row.decode((String, Double, String, String, Int64, String?, String?, String?, String?, String?, String?).self)
            guard let type = EventType(rawValue: type) else { continue }
            facts.append(
                EventFacts(
                    type: type, order: EventOrder(timestamp: ts, type: type, source: source, key: key), machine: machine != 0,
                    smtpServer: server, errorType: errorType, errorDescription: errorDescription, bounceType: bounceType,
                    bounceDescription: bounceDescription, cause: cause.flatMap(FailureCause.init(rawValue:))))
        }
        return TrackingStatus.derive(from: facts)
    }

    /// Moves the message's failed-tracking count and needs_action in one statement on its
    /// locked row; when its failed status changed, the thread's count and the Failed
    /// counter of its author and partner recipients are to move by one (`flushCounters`).
    /// Review and retry call it too (with `failedDelta` 0 to move only needs_action).
    mutating func updateMessage(_ messageId: Int64, failedDelta: Int, needsAction: Bool?) async throws {
        let delta = Int64(failedDelta)
        let needs: Int64? = needsAction.map { $0 ? 1 : 0 }
        let rows = try await store.rows(
            """
            WITH old AS (SELECT id, thread_id, needs_action, failed_trackings FROM messages WHERE id = \(messageId) FOR UPDATE)
            UPDATE messages m SET failed_trackings = greatest(0, old.failed_trackings + \(delta)),
              needs_action = coalesce(\(needs)::bigint, old.needs_action)
            FROM old WHERE m.id = old.id
            RETURNING old.thread_id, (old.needs_action = 1 AND old.failed_trackings > 0),
              (m.needs_action = 1 AND m.failed_trackings > 0)
            """)
        guard let row = rows.first else { throw PostgresStoreError.notFound("no message with id \(messageId)") }
        let (threadId, before, after) = try row.decode((Int64, Bool, Bool).self)
        guard before != after else { return }
        let step: Int64 = after ? 1 : -1
        threadDeltas[threadId, default: 0] += step
        messageDeltas[messageId, default: 0] += step
    }

    /// The batch's thread and Failed-counter moves, as increments, each table in id order.
    func flushCounters() async throws {
        for (threadId, delta) in threadDeltas.sorted(by: { $0.key < $1.key }) where delta != 0 {
            try await connection.query(
                "UPDATE threads SET failed_count = failed_count + \(delta) WHERE id = \(threadId)", logger: logger)
        }
        let moved = messageDeltas.filter { $0.value != 0 }
        guard !moved.isEmpty else { return }
        let messages = Array(moved.keys)
        let deltas = messages.map { moved[$0]! }
        // Everyone each message is "mine" for (author, partner recipients), summed per partner.
        try await connection.query(
            """
            INSERT INTO failed_counts (partner_id, count)
            SELECT p, sum(d)::bigint FROM (
              SELECT m.author_id AS p, x.d, x.id FROM unnest(\(messages)::bigint[], \(deltas)::bigint[]) AS x(id, d)
                JOIN messages m ON m.id = x.id
              UNION
              SELECT r.partner_id, x.d, x.id FROM unnest(\(messages)::bigint[], \(deltas)::bigint[]) AS x(id, d)
                JOIN message_recipients r ON r.message_id = x.id AND r.partner_id IS NOT NULL) mine
            GROUP BY p ORDER BY p
            ON CONFLICT (partner_id) DO UPDATE SET count = failed_counts.count + excluded.count
            """, logger: logger)
    }
}
