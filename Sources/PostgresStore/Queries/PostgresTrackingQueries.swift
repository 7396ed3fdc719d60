import PostgresNIO
import TrackingModel

/// Tracking emails and events on PostgreSQL, newest first, along the same indexes as
/// on SQLite: `trackings_created`, `_state`, `_address`, the partial `trackings_failed`;
/// `events_time`, `events_type`, `events_tracking`.
extension PostgresReads {
    /// The tracking row columns; the pixel token is the one the row's mail carries
    /// (the message's shared token for one shared mail).
    static let trackingSelect = """
        SELECT t.id, t.message_id, t.partner_id, t.created_at, t.subject, t.sender, t.recipient, t.address, t.state,
               t.is_cc, t.error_smtp_server, t.error_type, t.error_description, t.bounce_type, t.bounce_description,
               COALESCE((SELECT m.shared_token FROM messages m WHERE m.id = t.message_id), t.token) AS pixel_token,
               t.cause, t.pixel_url
        FROM trackings t
        """

    static func trackingRow(_ row: PostgresRow) throws -> TrackingRow {
        let c = Cells(row)
        return TrackingRow(
            id: try c("id"), messageId: try c("message_id"), partnerId: try c("partner_id"),
            createdAt: try c("created_at"), subject: try c("subject"), sender: try c("sender"),
            recipient: try c("recipient"), address: try c("address"),
            state: try c("state", as: String?.self).flatMap(TrackingState.init(rawValue:)), cc: try c.flag("is_cc"),
            errorSmtpServer: try c("error_smtp_server"), errorType: try c("error_type"),
            errorDescription: try c("error_description"), bounceType: try c("bounce_type"),
            bounceDescription: try c("bounce_description"), token: try c("pixel_token"),
            cause: try c("cause", as: String?.self).flatMap(FailureCause.init(rawValue:)), pixelURL: try c("pixel_url"))
    }

    /// The filter's conditions except search and recipient (which the count does not take).
    static func trackingStates(_ sql: inout SQLBuilder, _ filter: TrackingFilter) {
        if let state = filter.state {
            if let state { sql.when("t.state = \(sql.bind(state.rawValue))") } else { sql.when("t.state IS NULL") }
        }
        // Written as the partial index `trackings_failed` states it, so that it is used.
        if filter.failedOnly { sql.when("t.state IN (\(failedStatesSQL))") }
    }

    func trackings(_ filter: TrackingFilter, page: PageRequest) async throws -> Page<TrackingRow> {
        var sql = SQLBuilder(Self.trackingSelect)
        Self.trackingStates(&sql, filter)
        if let r = filter.recipient { sql.when("t.address = \(sql.bind(try normalizedAddress(r)))") }
        if let search = filter.search, !search.isEmpty { sql.when(Self.searchMatch(&sql, search)) }
        let k = PostgresKeyset(page: page, time: "t.created_at", id: "t.id")
        k.constrain(&sql)
        sql.appendWhere()
        k.orderAndLimit(&sql)
        return k.page(try await rows(sql).map(Self.trackingRow)) { ($0.createdAt, $0.id) }
    }

    func trackingCount(_ filter: TrackingFilter) async throws -> Int? {
        if let search = filter.search, !search.isEmpty { return nil }
        if filter.recipient != nil { return nil }
        var sql = SQLBuilder("SELECT COUNT(*) FROM trackings t")
        Self.trackingStates(&sql, filter)
        sql.appendWhere()
        return try await count(sql)
    }

    func tracking(id: Int64) async throws -> TrackingRow {
        var sql = SQLBuilder(Self.trackingSelect)
        sql.append(" WHERE t.id = \(sql.bind(id))")
        guard let row = try await rows(sql).first else {
            throw PostgresStoreError.notFound("no tracking email with id \(id)")
        }
        return try Self.trackingRow(row)
    }

    static let eventColumns = """
        id, tracking_id, type, timestamp, source, key, machine, recipient, smtp_server, url, ip, user_agent, os_family,
        ua_family, ua_type, mobile, country, error_type, error_description, error_details, bounce_type,
        bounce_description, cause
        """

    /// An event row; nil for a type this build does not know (as on SQLite).
    static func eventRow(_ row: PostgresRow) throws -> EventRow? {
        let c = Cells(row)
        guard let type = EventType(rawValue: try c("type")) else { return nil }
        return EventRow(
            id: try c("id"), trackingId: try c("tracking_id"), type: type, timestamp: try c("timestamp"),
            source: try c("source"), key: try c("key"), machine: try c.flag("machine"),
            details: EventDetails(
                recipient: try c("recipient"), smtpServer: try c("smtp_server"), url: try c("url"), ip: try c("ip"),
                userAgent: try c("user_agent"), osFamily: try c("os_family"), uaFamily: try c("ua_family"),
                uaType: try c("ua_type"), mobile: try c.flag("mobile"), country: try c("country"),
                errorType: try c("error_type"), errorDescription: try c("error_description"),
                errorDetails: try c("error_details"), bounceType: try c("bounce_type"),
                bounceDescription: try c("bounce_description"),
                cause: try c("cause", as: String?.self).flatMap(FailureCause.init(rawValue:))))
    }

    func events(_ filter: EventFilter, page: PageRequest) async throws -> Page<EventRow> {
        var sql = SQLBuilder("SELECT \(Self.eventColumns) FROM events")
        if let t = filter.trackingId { sql.when("tracking_id = \(sql.bind(t))") }
        if let type = filter.type { sql.when("type = \(sql.bind(type.rawValue))") }
        let k = PostgresKeyset(page: page, time: "timestamp", id: "id")
        k.constrain(&sql)
        sql.appendWhere()
        k.orderAndLimit(&sql)
        return k.page(try await rows(sql).compactMap(Self.eventRow)) { ($0.timestamp, $0.id) }
    }

    func eventCount(trackingId: Int64?) async throws -> Int {
        var sql = SQLBuilder("SELECT COUNT(*) FROM events")
        if let trackingId { sql.append(" WHERE tracking_id = \(sql.bind(trackingId))") }
        return try await count(sql)
    }

    func ingestCounts() async throws -> (quarantined: Int, unmatched: Int) {
        (try await count(SQLBuilder("SELECT COUNT(*) FROM quarantine")),
         try await count(SQLBuilder("SELECT COUNT(*) FROM unmatched")))
    }

    /// An address in the form the store keeps (`address`, `email_normalized`).
    func normalizedAddress(_ text: String) throws -> String {
        switch AddressParser.parseMailbox(text) {
        case .success(let m): return m.normalized
        case .failure(let e): throw PostgresStoreError.invalidInput(e.description)
        }
    }
}
