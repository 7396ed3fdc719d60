import GRDB
import TrackingModel

extension TrackingStore {
    /// The dry run of a Retry: per failed recipient its checks and verdict, and the
    /// count. Reads only, in one read transaction, with a fixed number of
    /// statements whatever the number of recipients.
    ///
    /// The checks, per recipient:
    /// - **bounced**: the `email_bounced` flag of the partner holding the row's
    ///   address (the row's own partner when its address is still that one, else
    ///   the oldest partner with the address); without any partner, whether the
    ///   address has recorded a hard failure (hard bounce, reject, spam, SMTP error:
    ///   the events that set the flag, README "The rules").
    ///   `hardFailures` counts those events over every row of the address.
    /// - **suppressed**: decided from the event log of every row of the address.
    ///   A `spam` or `unsub` event suppresses for good (a person complained or
    ///   opted out; providers keep such addresses on their suppression lists and a
    ///   later delivery does not undo the person's choice). A `reject` event (the
    ///   provider or outgoing server refused to send, often from its suppression
    ///   list: SendGrid `dropped`, SES `OnAccountSuppressionList`, Postmark
    ///   `Blocked`) suppresses until a `delivered` event timed after the newest
    ///   reject shows the address receives mail again. When several apply, the
    ///   kind of the newest event is given. Hard bounces are the bounced check, not
    ///   a suppression.
    /// - **score**: the email score of the address (all its rows).
    /// - **last events**: the row's newest `RetryRecipient.eventLimit` events.
    /// - **already queued**: an outbox entry of the row in `queued` or `sending`.
    ///
    /// Verdict: skip without an address or when already queued; unticked when the
    /// address is suppressed by a `spam` or `unsub` event and the row was not named
    /// (by address or tracking id): not queued, offered for the user to choose; warn
    /// when bounced or suppressed otherwise (still queued); else send. `retry`
    /// executes this same plan.
    public func retryPlan(messageId: Int64, addresses: [String]? = nil) throws(StoreError) -> RetryPlan {
        try retryPlan(messageId: messageId, selection: addresses.map { .addresses($0) } ?? .all)
    }

    /// The dry run of a Retry for a selection of failed recipients (see `retryPlan(messageId:addresses:)`).
    public func retryPlan(messageId: Int64, selection: RetrySelection) throws(StoreError) -> RetryPlan {
        let wanted = try Self.normalizedSelection(selection)
        return try read { db in try Self.retryPlan(db, messageId: messageId, selection: wanted) }
    }

    /// The selection with addresses checked and normalized (bad input is a clear error).
    enum NormalizedSelection {
        case all
        case addresses(Set<String>)
        case trackings(Set<Int64>)
        /// The failed rows of a failure group: restricted as `trackings`, but judged as
        /// `all` (nobody named them, so a suppressed address stays unticked).
        case group(Set<Int64>)
    }

    static func normalizedSelection(_ selection: RetrySelection) throws(StoreError) -> NormalizedSelection {
        switch selection {
        case .all: return .all
        case .trackings(let ids): return .trackings(Set(ids))
        case .addresses(let list):
            var set = Set<String>()
            for a in list { set.insert(try checkAddress(a).normalized) }
            return .addresses(set)
        }
    }

    /// Builds the plan inside a transaction (a read for the dry run, the write for `retry`).
    static func retryPlan(_ db: Database, messageId: Int64, selection: NormalizedSelection) throws -> RetryPlan {
        guard try Int.fetchOne(db, sql: "SELECT 1 FROM messages WHERE id = ?", arguments: [messageId]) != nil else {
            throw StoreError.notFound("no message with id \(messageId)")
        }
        let failedStates = TrackingState.allCases.filter(\.isFailed).map { "'\($0.rawValue)'" }.joined(separator: ",")
        // The address a resend goes to: the row's own partner's current one (fixed since the
        // mail went out, or added to a partner who had none), else the row's.
        // Name from the row's own partner; the bounced flag from the partner holding the address:
        // the row's own while its address is the row's, else the oldest partner with it.
        let all = try Row.fetchAll(
            db,
            sql: """
                SELECT t.id, t.recipient, COALESCE(own.email_normalized, t.address) AS address, t.state,
                       t.error_type, t.cause, COALESCE(t.bounce_description, t.error_description) AS error_description,
                       own.name AS partner_name, p.id AS partner_id, p.email_bounced
                FROM trackings t
                LEFT JOIN partners own ON own.id = t.partner_id
                LEFT JOIN partners p ON p.id = COALESCE(
                  (SELECT o.id FROM partners o
                   WHERE o.id = t.partner_id AND o.email_normalized = COALESCE(own.email_normalized, t.address)),
                  (SELECT o.id FROM partners o WHERE o.email_normalized = COALESCE(own.email_normalized, t.address)
                   ORDER BY o.id LIMIT 1))
                WHERE t.message_id = ? AND t.state IN (\(failedStates))
                ORDER BY t.id
                """, arguments: [messageId])
        let rows = try select(all, selection, messageId: messageId)
        guard !rows.isEmpty else { return RetryPlan(messageId: messageId, recipients: []) }
        let ids = rows.map { $0["id"] as Int64 }
        let addresses = Array(Set(rows.compactMap { $0["address"] as String? })).sorted()
        let history = try addressHistory(db, addresses)
        let scores = try addressScores(db, addresses)
        let events = try lastEvents(db, ids)
        let pending = try pendingOutbox(db, ids)
        let recipients = rows.map { row -> RetryRecipient in
            let id: Int64 = row["id"]
            let address: String? = row["address"]
            let chosen: Bool
            switch selection {
            case .all: chosen = false
            case .addresses(let wanted): chosen = address.map(wanted.contains) ?? false
            case .trackings: chosen = true
            case .group: chosen = false
            }
            let facts = address.flatMap { history[$0] } ?? AddressHistory()
            let partnerId: Int64? = row["partner_id"]
            let flag: Bool? = row["email_bounced"]
            return RetryRecipient(
                trackingId: id, name: row["partner_name"] ?? row["recipient"], address: address,
                state: (row["state"] as String?).flatMap(TrackingState.init(rawValue:)), errorType: row["error_type"],
                errorDescription: row["error_description"], partnerId: partnerId,
                bounced: address != nil && (flag ?? (facts.hardFailures > 0)), hardFailures: facts.hardFailures,
                score: address.map { EmailScore.compute(counts: scores[$0] ?? [:]).score },
                suppressed: facts.suppression, lastEvents: events[id] ?? [], pendingOutboxId: pending[id],
                cause: TrackingStore.cause(row), chosen: chosen)
        }
        return RetryPlan(messageId: messageId, recipients: recipients)
    }

    /// Keeps the selected failed rows; naming a recipient that is not failed is an error.
    private static func select(_ rows: [Row], _ selection: NormalizedSelection, messageId: Int64) throws -> [Row] {
        switch selection {
        case .all:
            return rows
        case .addresses(let wanted):
            let failed = Set(rows.compactMap { $0["address"] as String? })
            if let missing = wanted.subtracting(failed).sorted().first {
                throw StoreError.invalidInput("\(missing) is not a failed recipient of message \(messageId)")
            }
            return rows.filter { row in (row["address"] as String?).map(wanted.contains) ?? true }
        case .trackings(let wanted), .group(let wanted):
            let failed = Set(rows.map { $0["id"] as Int64 })
            if let missing = wanted.subtracting(failed).sorted().first {
                throw StoreError.invalidInput("tracking \(missing) is not a failed recipient of message \(messageId)")
            }
            return rows.filter { wanted.contains($0["id"]) }
        }
    }

    /// What the event log says about an address, over all its rows.
    struct AddressHistory {
        var hardFailures = 0
        var lastSpam: Double?
        var lastUnsub: Double?
        var lastReject: Double?
        var lastDelivered: Double?

        /// The suppression rule of `retryPlan`: spam and unsub for good, reject until a later delivery.
        var suppression: Suppression? {
            var candidates: [(Suppression, Double)] = []
            if let t = lastSpam { candidates.append((.spam, t)) }
            if let t = lastUnsub { candidates.append((.unsub, t)) }
            if let t = lastReject, lastDelivered.map({ $0 <= t }) ?? true { candidates.append((.reject, t)) }
            return candidates.max { $0.1 < $1.1 }?.0
        }
    }

    /// One grouped statement: per address and event type, how many and the newest time.
    private static func addressHistory(_ db: Database, _ addresses: [String]) throws -> [String: AddressHistory] {
        guard !addresses.isEmpty else { return [:] }
        let types: [EventType] = [.hardBounce, .reject, .spam, .error, .unsub, .delivered]
        let typeList = types.map { "'\($0.rawValue)'" }.joined(separator: ",")
        let marks = Array(repeating: "?", count: addresses.count).joined(separator: ",")
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT t.address, e.type, e.cause, COUNT(*) AS n, MAX(e.timestamp) AS last
                FROM trackings t JOIN events e ON e.tracking_id = t.id
                WHERE t.address IN (\(marks)) AND e.type IN (\(typeList))
                  AND (e.type <> 'error' OR COALESCE(e.error_type, '') <> '\(noRecipientErrorType)')
                GROUP BY t.address, e.type, e.cause
                """, arguments: StatementArguments(addresses))
        var result: [String: AddressHistory] = [:]
        while let r = try cursor.next() {
            guard let type = (r["type"] as String?).flatMap(EventType.init(rawValue:)) else { continue }
            let address: String = r["address"]
            let n: Int = r["n"]
            let last: Double = r["last"]
            var h = result[address] ?? AddressHistory()
            if type.flagsPartner(errorType: nil, cause: TrackingStore.cause(r)) { h.hardFailures += n }
            // Rows of one type come once per cause: keep the newest time of them all.
            func newest(_ t: Double?) -> Double { max(t ?? last, last) }
            switch type {
            case .spam: h.lastSpam = newest(h.lastSpam)
            case .unsub: h.lastUnsub = newest(h.lastUnsub)
            case .reject: h.lastReject = newest(h.lastReject)
            case .delivered: h.lastDelivered = newest(h.lastDelivered)
            case .hardBounce, .error, .sent, .deferral, .softBounce, .open, .click, .retry: break
            }
            result[address] = h
        }
        return result
    }

    /// One grouped statement: per address, its rows per state (for the email score).
    private static func addressScores(_ db: Database, _ addresses: [String]) throws -> [String: [TrackingState?: Int]] {
        guard !addresses.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: addresses.count).joined(separator: ",")
        let cursor = try Row.fetchCursor(
            db,
            sql: "SELECT address, state, COUNT(*) AS n FROM trackings WHERE address IN (\(marks)) GROUP BY address, state",
            arguments: StatementArguments(addresses))
        var counts: [String: [TrackingState?: Int]] = [:]
        while let r = try cursor.next() {
            let state = (r["state"] as String?).flatMap(TrackingState.init(rawValue:))
            counts[r["address"], default: [:]][state] = r["n"]
        }
        return counts
    }

    /// One statement: each row's newest events (a window per row), newest first.
    private static func lastEvents(_ db: Database, _ ids: [Int64]) throws -> [Int64: [RetryEvent]] {
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT tracking_id, type, timestamp, source, description FROM (
                  SELECT tracking_id, type, timestamp, source,
                         COALESCE(error_description, bounce_description) AS description,
                         ROW_NUMBER() OVER (PARTITION BY tracking_id ORDER BY timestamp DESC, id DESC) AS n
                  FROM events WHERE tracking_id IN (\(marks)))
                WHERE n <= \(RetryRecipient.eventLimit)
                ORDER BY tracking_id, n
                """, arguments: StatementArguments(ids))
        var result: [Int64: [RetryEvent]] = [:]
        while let r = try cursor.next() {
            guard let type = (r["type"] as String?).flatMap(EventType.init(rawValue:)) else { continue }
            result[r["tracking_id"], default: []].append(
                RetryEvent(type: type, timestamp: r["timestamp"], source: r["source"], description: r["description"]))
        }
        return result
    }

    /// One statement: the outbox entry already queued or sending per row (a retry would duplicate it).
    private static func pendingOutbox(_ db: Database, _ ids: [Int64]) throws -> [Int64: Int64] {
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT tracking_id, MIN(id) AS id FROM outbox
                WHERE tracking_id IN (\(marks)) AND status IN ('queued', 'sending')
                GROUP BY tracking_id
                """, arguments: StatementArguments(ids))
        var result: [Int64: Int64] = [:]
        while let r = try cursor.next() { result[r["tracking_id"]] = r["id"] }
        return result
    }
}
