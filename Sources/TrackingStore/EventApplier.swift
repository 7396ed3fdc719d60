import GRDB
import TrackingModel

/// What became of one event given to the store.
public enum ApplyOutcome: Sendable, Hashable {
    /// Recorded; `stateChanged` tells whether the row's state moved.
    case applied(stateChanged: Bool)
    /// Its (source, key) was already recorded: ignored, so re-ingestion is harmless.
    case duplicate
    /// An open within ±10 s of another open, or a click within ±5 s on the same url: dropped.
    case suppressed
    /// No tracking row with that id.
    case unknownTracking
}

/// Counts of a batch application.
public struct ApplyReport: Sendable, Hashable {
    public var applied = 0
    public var stateChanges = 0
    public var duplicates = 0
    public var suppressed = 0
    public var unknownTracking = 0

    public init() {}

    mutating func count(_ outcome: ApplyOutcome) {
        switch outcome {
        case .applied(let changed):
            applied += 1
            if changed { stateChanges += 1 }
        case .duplicate: duplicates += 1
        case .suppressed: suppressed += 1
        case .unknownTracking: unknownTracking += 1
        }
    }
}

/// A source's reading position, committed together with the events read up to it.
public struct SourceCursor: Sendable, Hashable {
    /// The source's name (e.g. `postfix:/var/log/postfix.log`).
    public var source: String
    /// Opaque to the store (the reader's own encoding, e.g. JSON).
    public var value: String

    public init(source: String, value: String) {
        self.source = source
        self.value = value
    }
}

extension TrackingStore {
    /// Applies a batch of events and, when given, advances a source cursor, all in
    /// one transaction: after a crash either both are committed or neither.
    public func apply(_ events: [NewEvent], cursor: SourceCursor? = nil) throws(StoreError) -> ApplyReport {
        let now = self.now
        return try write { db in
            var report = ApplyReport()
            let applier = EventApplier(db: db, now: now)
            for e in events { report.count(try applier.apply(e)) }
            if let cursor { try Self.saveCursor(db, cursor, now: now) }
            return report
        }
    }

    /// Applies one event (e.g. `chatter event`).
    public func apply(_ event: NewEvent) throws(StoreError) -> ApplyOutcome {
        let now = self.now
        return try write { db in try EventApplier(db: db, now: now).apply(event) }
    }

    /// The saved cursor of a source, if any.
    public func cursor(source: String) throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT cursor FROM source_cursors WHERE source = ?", arguments: [source])
        }
    }

    static func saveCursor(_ db: Database, _ cursor: SourceCursor, now: Double) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO source_cursors (source, cursor, updated_at) VALUES (?, ?, ?)
                ON CONFLICT(source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
                """
        ).execute(arguments: [cursor.source, cursor.value, now])
    }
}

/// Applies events inside a write transaction: insert under the unique key, fold
/// the state (incrementally when the event is the newest, else re-derived from
/// all the row's events), keep the message's and thread's failed counters, flag
/// partners. Hot path: cached statements only.
struct EventApplier {
    let db: Database
    let now: Double

    func apply(_ e: NewEvent) throws -> ApplyOutcome {
        guard let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT message_id, address, state, error_smtp_server, error_type, error_description,
                           bounce_type, bounce_description, last_ts, last_rank, last_tiebreak
                    FROM trackings WHERE id = ?
                    """), arguments: [e.trackingId])
        else { return .unknownTracking }

        if let window = DuplicateWindow.seconds(for: e.type), try isSuppressed(e, window: window) {
            return .suppressed
        }
        try insert(e)
        guard db.changesCount == 1 else { return .duplicate }

        let old = Self.status(of: row)
        var new = old
        let facts = e.facts
        if let last = old.last, facts.order < last {
            new = try rederive(trackingId: e.trackingId)
        } else {
            new.fold(facts)
        }
        try db.cachedStatement(
            sql: """
                UPDATE trackings SET state = ?, error_smtp_server = ?, error_type = ?, error_description = ?,
                  bounce_type = ?, bounce_description = ?, last_ts = ?, last_rank = ?, last_tiebreak = ?
                WHERE id = ?
                """
        ).execute(arguments: [
            new.state?.rawValue, new.errorSmtpServer, new.errorType, new.errorDescription, new.bounceType,
            new.bounceDescription, new.last?.timestamp, new.last?.rank, new.last?.tiebreak, e.trackingId,
        ])

        let oldFailed = old.state?.isFailed ?? false
        let newFailed = new.state?.isFailed ?? false
        let enteredFailedState = newFailed && old.state != new.state
        if oldFailed != newFailed || enteredFailedState {
            try MessageFailure.update(
                db, messageId: row["message_id"], failedDelta: newFailed == oldFailed ? 0 : (newFailed ? 1 : -1),
                needsAction: enteredFailedState ? true : nil)
        }
        let address: String? = row["address"]
        if let address, e.type.flagsPartner(errorType: e.details.errorType) {
            try db.cachedStatement(
                sql: "UPDATE partners SET email_bounced = 1 WHERE email_normalized = ? AND email_bounced = 0"
            ).execute(arguments: [address])
        }
        return .applied(stateChanged: old.state != new.state)
    }

    private func isSuppressed(_ e: NewEvent, window: Double) throws -> Bool {
        let sql: String
        var args: StatementArguments = [e.trackingId, e.type.rawValue, e.machine, e.timestamp - window, e.timestamp + window]
        if e.type == .click {
            sql = """
                SELECT 1 FROM events WHERE tracking_id = ? AND type = ? AND machine = ?
                  AND timestamp BETWEEN ? AND ? AND url IS ? LIMIT 1
                """
            args += [e.details.url]
        } else {
            sql = """
                SELECT 1 FROM events WHERE tracking_id = ? AND type = ? AND machine = ?
                  AND timestamp BETWEEN ? AND ? LIMIT 1
                """
        }
        return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: args) != nil
    }

    private func insert(_ e: NewEvent) throws {
        let d = e.details
        try db.cachedStatement(
            sql: """
                INSERT INTO events (tracking_id, type, timestamp, source, key, machine, recipient, smtp_server, url, ip,
                  user_agent, os_family, ua_family, ua_type, mobile, country, error_type, error_description,
                  error_details, bounce_type, bounce_description, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(source, key) DO NOTHING
                """
        ).execute(arguments: [
            e.trackingId, e.type.rawValue, e.timestamp, e.source, e.key, e.machine, d.recipient, d.smtpServer, d.url,
            d.ip, d.userAgent, d.osFamily, d.uaFamily, d.uaType, d.mobile, d.country, d.errorType,
            d.errorDescription, d.errorDetails, d.bounceType, d.bounceDescription, now,
        ])
    }

    /// The status of a tracking row as stored.
    static func status(of row: Row) -> TrackingStatus {
        var last: EventOrder?
        if let ts = row["last_ts"] as Double?, let rank = row["last_rank"] as Int?, let tb = row["last_tiebreak"] as String? {
            last = EventOrder(timestamp: ts, rank: rank, tiebreak: tb)
        }
        return TrackingStatus(
            state: (row["state"] as String?).flatMap(TrackingState.init(rawValue:)),
            errorSmtpServer: row["error_smtp_server"], errorType: row["error_type"],
            errorDescription: row["error_description"], bounceType: row["bounce_type"],
            bounceDescription: row["bounce_description"], last: last)
    }

    /// Re-derives a row's status from all its events (an event arrived out of order).
    private func rederive(trackingId: Int64) throws -> TrackingStatus {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT type, timestamp, source, key, machine, smtp_server, error_type, error_description,
                           bounce_type, bounce_description
                    FROM events WHERE tracking_id = ?
                    """), arguments: [trackingId])
        let facts = rows.compactMap { r -> EventFacts? in
            guard let type = EventType(rawValue: r["type"]) else { return nil }
            return EventFacts(
                type: type, order: EventOrder(timestamp: r["timestamp"], type: type, source: r["source"], key: r["key"]),
                machine: r["machine"], smtpServer: r["smtp_server"], errorType: r["error_type"],
                errorDescription: r["error_description"], bounceType: r["bounce_type"],
                bounceDescription: r["bounce_description"])
        }
        return TrackingStatus.derive(from: facts)
    }
}

/// Keeps a message's failed bookkeeping and its thread's failed count in step.
///
/// A message is failed when it needs action and has at least one tracking in a
/// failed state; `threads.failed_count` counts the failed messages of a thread.
enum MessageFailure {
    /// Adds `failedDelta` to the message's failed-tracking count and sets
    /// `needs_action` when given, then moves the thread's count if the message's
    /// failed status changed. Returns (was failed, is failed).
    @discardableResult
    static func update(_ db: Database, messageId: Int64, failedDelta: Int, needsAction: Bool?) throws -> (Bool, Bool) {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT thread_id, needs_action, failed_trackings FROM messages WHERE id = ?"),
            arguments: [messageId])
        else { throw StoreError.notFound("no message with id \(messageId)") }
        let oldNeeds: Bool = row["needs_action"]
        let oldFailedCount: Int = row["failed_trackings"]
        let newNeeds = needsAction ?? oldNeeds
        let newFailedCount = max(0, oldFailedCount + failedDelta)
        let before = oldNeeds && oldFailedCount > 0
        let after = newNeeds && newFailedCount > 0
        if newNeeds != oldNeeds || newFailedCount != oldFailedCount {
            try db.cachedStatement(sql: "UPDATE messages SET needs_action = ?, failed_trackings = ? WHERE id = ?")
                .execute(arguments: [newNeeds, newFailedCount, messageId])
        }
        if before != after {
            try db.cachedStatement(sql: "UPDATE threads SET failed_count = failed_count + ? WHERE id = ?")
                .execute(arguments: [after ? 1 : -1, row["thread_id"] as Int64])
        }
        return (before, after)
    }
}
