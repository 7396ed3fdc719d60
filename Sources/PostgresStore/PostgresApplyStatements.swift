import PostgresNIO
import TrackingModel

/// The statements an event's application runs for every event, prepared once per
/// connection (PostgresNIO keeps them by name): parsed and planned once, then only bound
/// and executed. Public so that the benchmark's baseline runs these very statements on a
/// bare connection, without the store around them.
public enum ApplyStatements {
    /// Locks a tracking row until commit and reads what its status is folded from.
    public struct LockTracking: PostgresPreparedStatement {
        public static let sql = """
            SELECT message_id, address, state, error_smtp_server, error_type, error_description, bounce_type,
              bounce_description, last_ts, last_rank, last_tiebreak, cause
            FROM trackings WHERE id = $1 FOR UPDATE
            """
        public typealias Row = (
            Int64, String?, String?, String?, String?, String?, String?, String?, Double?, Int64?, String?, String?
        )
        public var trackingId: Int64
        public init(trackingId: Int64) { self.trackingId = trackingId }
        public func makeBindings() -> PostgresBindings {
            var b = PostgresBindings()
            b.append(trackingId)
            return b
        }
        public func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Whether the same kind of event of the row lies within the duplicate window (opens,
    /// clicks on the same url).
    public struct FindNearSame: PostgresPreparedStatement {
        public static let sql = """
            SELECT 1::bigint FROM events WHERE tracking_id = $1 AND timestamp BETWEEN $2 AND $3 AND type = $4
              AND machine = $5 AND ($6::bigint = 0 OR url IS NOT DISTINCT FROM $7::text) LIMIT 1
            """
        public typealias Row = Int64
        public var trackingId: Int64, from: Double, to: Double, type: String, machine: Int64, sameUrlOnly: Int64
        public var url: String?
        public init(trackingId: Int64, from: Double, to: Double, type: String, machine: Int64, sameUrlOnly: Int64, url: String?) {
            (self.trackingId, self.from, self.to, self.type) = (trackingId, from, to, type)
            (self.machine, self.sameUrlOnly, self.url) = (machine, sameUrlOnly, url)
        }
        public func makeBindings() -> PostgresBindings {
            var b = PostgresBindings()
            b.append(trackingId)
            b.append(from)
            b.append(to)
            b.append(type)
            b.append(machine)
            b.append(sameUrlOnly)
            b.append(url)
            return b
        }
        public func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }

    /// Inserts an event under `UNIQUE (source, key)`; a row comes back only when it was new.
    public struct InsertEvent: PostgresPreparedStatement {
        public static let sql = """
            INSERT INTO events (tracking_id, type, timestamp, source, key, machine, recipient, smtp_server, url, ip,
              user_agent, os_family, ua_family, ua_type, mobile, country, error_type, error_description,
              error_details, bounce_type, bounce_description, recorded_at, cause)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
            ON CONFLICT (source, key) DO NOTHING RETURNING id
            """
        public typealias Row = Int64
        public var event: NewEvent
        public var recordedAt: Double
        public init(_ event: NewEvent, recordedAt: Double) {
            self.event = event
            self.recordedAt = recordedAt
        }
        public func makeBindings() -> PostgresBindings {
            let e = event
            let d = e.details
            var b = PostgresBindings()
            b.append(e.trackingId)
            b.append(e.type.rawValue)
            b.append(e.timestamp)
            b.append(e.source)
            b.append(e.key)
            b.append(Int64(e.machine ? 1 : 0))
            b.append(d.recipient)
            b.append(d.smtpServer)
            b.append(d.url)
            b.append(d.ip)
            b.append(d.userAgent)
            b.append(d.osFamily)
            b.append(d.uaFamily)
            b.append(d.uaType)
            b.append(d.mobile.map { Int64($0 ? 1 : 0) })
            b.append(d.country)
            b.append(d.errorType)
            b.append(d.errorDescription)
            b.append(d.errorDetails)
            b.append(d.bounceType)
            b.append(d.bounceDescription)
            b.append(recordedAt)
            b.append(d.cause?.rawValue)
            return b
        }
        public func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }

    /// Writes a tracking row's folded status.
    public struct WriteStatus: PostgresPreparedStatement {
        public static let sql = """
            UPDATE trackings SET state = $1, error_smtp_server = $2, error_type = $3, error_description = $4,
              bounce_type = $5, bounce_description = $6, last_ts = $7, last_rank = $8, last_tiebreak = $9, cause = $10
            WHERE id = $11
            """
        public typealias Row = Void
        public var status: TrackingStatus
        public var trackingId: Int64
        public init(_ status: TrackingStatus, trackingId: Int64) {
            self.status = status
            self.trackingId = trackingId
        }
        public func makeBindings() -> PostgresBindings {
            let s = status
            var b = PostgresBindings()
            b.append(s.state?.rawValue)
            b.append(s.errorSmtpServer)
            b.append(s.errorType)
            b.append(s.errorDescription)
            b.append(s.bounceType)
            b.append(s.bounceDescription)
            b.append(s.last?.timestamp)
            b.append(s.last.map { Int64($0.rank) })
            b.append(s.last?.tiebreak)
            b.append(s.cause?.rawValue)
            b.append(trackingId)
            return b
        }
        public func decodeRow(_ row: PostgresRow) throws {}
    }
}
