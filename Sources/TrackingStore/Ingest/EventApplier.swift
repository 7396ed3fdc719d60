import GRDB
import TrackingModel

extension TrackingStore {
    /// Applies a batch of events and, when given, advances a source cursor, all in
    /// one transaction: after a crash either both are committed or neither.
    @discardableResult
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
    @discardableResult
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

    func apply(_ event: NewEvent) throws -> ApplyOutcome {
        let e = event.asStored
        let lookup = RawStatement(try db.cachedStatement(sql: Self.lookupSQL))
        lookup.bind(1, e.trackingId)
        guard try lookup.step(db), let messageId = lookup.int64(0) else {
            lookup.reset()
            return .unknownTracking
        }
        let address = lookup.text(1)
        let old = Self.status(of: lookup)
        lookup.reset()

        if let window = DuplicateWindow.seconds(for: e.type), try isSuppressed(e, window: window) {
            return .suppressed
        }
        try insert(e)
        guard db.changesCount == 1 else { return .duplicate }

        var new = old
        let facts = e.facts
        if let last = old.last, facts.order < last {
            new = try rederive(trackingId: e.trackingId)
        } else {
            new.fold(facts)
        }
        try Self.write(db, status: new, trackingId: e.trackingId)

        let oldFailed = old.state?.isFailed ?? false
        let newFailed = new.state?.isFailed ?? false
        let enteredFailedState = newFailed && old.state != new.state
        if oldFailed != newFailed || enteredFailedState {
            try MessageFailure.update(
                db, messageId: messageId, failedDelta: newFailed == oldFailed ? 0 : (newFailed ? 1 : -1),
                needsAction: enteredFailedState ? true : nil)
        }
        if let address, e.type.flagsPartner(errorType: e.details.errorType, cause: e.details.cause) {
            let flag = RawStatement(
                try db.cachedStatement(
                    sql: "UPDATE partners SET email_bounced = 1 WHERE email_normalized = ? AND email_bounced = 0"))
            flag.bind(1, address)
            try flag.run(db)
        }
        return .applied(stateChanged: old.state != new.state)
    }

    /// Writes a row's derived status (state, error and bounce fields, cause, order of its last event).
    static func write(_ db: Database, status new: TrackingStatus, trackingId: Int64) throws {
        let update = RawStatement(
            try db.cachedStatement(
                sql: """
                    UPDATE trackings SET state = ?, error_smtp_server = ?, error_type = ?, error_description = ?,
                      bounce_type = ?, bounce_description = ?, last_ts = ?, last_rank = ?, last_tiebreak = ?,
                      cause = ?
                    WHERE id = ?
                    """))
        update.bind(status: new, from: 1)
        update.bind(11, trackingId)
        try update.run(db)
    }

    private func isSuppressed(_ e: NewEvent, window: Double) throws -> Bool {
        let s = RawStatement(
            try db.cachedStatement(
                sql: """
                    SELECT 1 FROM events WHERE tracking_id = ? AND timestamp BETWEEN ? AND ?
                      AND type = ? AND machine = ? AND (? = 0 OR url IS ?) LIMIT 1
                    """))
        s.bind(1, e.trackingId)
        s.bind(2, e.timestamp - window)
        s.bind(3, e.timestamp + window)
        s.bind(4, e.type.rawValue)
        s.bind(5, e.machine)
        // Clicks are the same only on the same url; opens whatever the url.
        s.bind(6, e.type == .click)
        s.bind(7, e.details.url)
        defer { s.reset() }
        return try s.step(db)
    }

    private func insert(_ e: NewEvent) throws {
        let s = RawStatement(try db.cachedStatement(sql: EventInsert.sql))
        EventInsert.bind(e, to: s, recordedAt: now)
        try s.run(db)
    }

    /// A row's message, address and status, as `status(of:)` reads it.
    static let lookupSQL = """
        SELECT message_id, address, state, error_smtp_server, error_type, error_description,
               bounce_type, bounce_description, last_ts, last_rank, last_tiebreak, cause
        FROM trackings WHERE id = ?
        """

    /// The status of a tracking row as read by the lookup statement (columns 2…11).
    static func status(of s: RawStatement) -> TrackingStatus {
        var last: EventOrder?
        if let ts = s.double(8), let rank = s.int64(9), let tb = s.text(10) {
            last = EventOrder(timestamp: ts, rank: Int(rank), tiebreak: tb)
        }
        return TrackingStatus(
            state: s.text(2).flatMap(TrackingState.init(rawValue:)), errorSmtpServer: s.text(3),
            errorType: s.text(4), errorDescription: s.text(5), bounceType: s.text(6),
            bounceDescription: s.text(7), cause: s.text(11).flatMap(FailureCause.init(rawValue:)), last: last)
    }

    /// Re-derives a row's status from all its events (an event arrived out of order).
    func rederive(trackingId: Int64) throws -> TrackingStatus {
        try Self.rederive(db, trackingId: trackingId)
    }

    /// The status of a row from all its stored events (out-of-order arrival, the `v5-causes` re-derivation).
    static func rederive(_ db: Database, trackingId: Int64) throws -> TrackingStatus {
        let s = RawStatement(
            try db.cachedStatement(
                sql: """
                    SELECT type, timestamp, source, key, machine, smtp_server, error_type, error_description,
                           bounce_type, bounce_description, cause
                    FROM events WHERE tracking_id = ?
                    """))
        defer { s.reset() }
        s.bind(1, trackingId)
        var facts: [EventFacts] = []
        while try s.step(db) {
            guard let type = s.text(0).flatMap(EventType.init(rawValue:)) else { continue }
            facts.append(
                EventFacts(
                    type: type,
                    order: EventOrder(timestamp: s.double(1) ?? 0, type: type, source: s.text(2) ?? "", key: s.text(3) ?? ""),
                    machine: (s.int64(4) ?? 0) != 0, smtpServer: s.text(5), errorType: s.text(6),
                    errorDescription: s.text(7), bounceType: s.text(8), bounceDescription: s.text(9),
                    cause: s.text(10).flatMap(FailureCause.init(rawValue:))))
        }
        return TrackingStatus.derive(from: facts)
    }
}

/// Keeps a message's failed bookkeeping, its thread's failed count and the
/// Failed mailbox counters of its author and notified partners in step.
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
            let delta = after ? 1 : -1
            try db.cachedStatement(sql: "UPDATE threads SET failed_count = failed_count + ? WHERE id = ?")
                .execute(arguments: [delta, row["thread_id"] as Int64])
            try adjustCounts(db, messageId: messageId, delta: delta)
        }
        return (before, after)
    }

    /// Adds `delta` to the Failed counter of everyone the message is "mine" for
    /// (its author and its partner recipients: README "The rules").
    static func adjustCounts(_ db: Database, messageId: Int64, delta: Int) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO failed_counts (partner_id, count)
                SELECT p, ? FROM (
                  SELECT author_id AS p FROM messages WHERE id = ?
                  UNION
                  SELECT partner_id FROM message_recipients WHERE message_id = ? AND partner_id IS NOT NULL)
                WHERE true
                ON CONFLICT(partner_id) DO UPDATE SET count = count + excluded.count
                """
        ).execute(arguments: [delta, messageId, messageId])
    }
}

/// The one way an event row is written (the applier and the demo's bulk load).
enum EventInsert {
    static let sql = """
        INSERT INTO events (tracking_id, type, timestamp, source, key, machine, recipient, smtp_server, url, ip,
          user_agent, os_family, ua_family, ua_type, mobile, country, error_type, error_description,
          error_details, bounce_type, bounce_description, recorded_at, cause)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(source, key) DO NOTHING
        """

    static func bind(_ e: NewEvent, to s: RawStatement, recordedAt: Double) {
        let d = e.details
        s.bind(1, e.trackingId)
        s.bind(2, e.type.rawValue)
        s.bind(3, e.timestamp)
        s.bind(4, e.source)
        s.bind(5, e.key)
        s.bind(6, e.machine)
        s.bind(7, d.recipient)
        s.bind(8, d.smtpServer)
        s.bind(9, d.url)
        s.bind(10, d.ip)
        s.bind(11, d.userAgent)
        s.bind(12, d.osFamily)
        s.bind(13, d.uaFamily)
        s.bind(14, d.uaType)
        s.bind(15, d.mobile)
        s.bind(16, d.country)
        s.bind(17, d.errorType)
        s.bind(18, d.errorDescription)
        s.bind(19, d.errorDetails)
        s.bind(20, d.bounceType)
        s.bind(21, d.bounceDescription)
        s.bind(22, recordedAt)
        s.bind(23, d.cause?.rawValue)
    }
}

extension RawStatement {
    /// Binds a row's folded status to ten parameters from `first`, in the order of the
    /// tracking columns `state, error_smtp_server, error_type, error_description,
    /// bounce_type, bounce_description, last_ts, last_rank, last_tiebreak, cause`
    /// (the applier's update and the demo writer's insert both write them so).
    func bind(status: TrackingStatus, from first: Int32) {
        bind(first, status.state?.rawValue)
        bind(first + 1, status.errorSmtpServer)
        bind(first + 2, status.errorType)
        bind(first + 3, status.errorDescription)
        bind(first + 4, status.bounceType)
        bind(first + 5, status.bounceDescription)
        bind(first + 6, status.last?.timestamp)
        bind(first + 7, status.last?.rank)
        bind(first + 8, status.last?.tiebreak)
        bind(first + 9, status.cause?.rawValue)
    }
}
