import GRDB
import TrackingModel

/// Re-derives stored history by the "Why it failed" rules, once (migration
/// `v5-causes`), inside the migration's transaction:
///
/// 1. every stored failure or deferral event is classified from its stored
///    status and text (`FailureClassifier`, the rule every source uses; an SMTP
///    error by its kind and reply, as new ones are) and gets its `cause`; one
///    with nothing to read keeps no cause;
/// 2. a `hard_bounce` whose cause is not on the address side becomes a
///    `soft_bounce` (`bounce_type` `soft`);
/// 3. each tracking row with such an event is re-derived from its events
///    (state, fields, cause: bounced rows move to soft-bounced), keeping the
///    message's failed bookkeeping in step;
/// 4. partners flagged bounced whose address has no event left that flags by
///    the new rule lose the flag. The email score needs no step: it is computed
///    from the rows' states when read.
///
/// One pass over the failure events (read whole first: updating `type` while
/// iterating the index it is read by would be unsafe), cached statements only.
enum CauseHistory {
    /// The event types that carry a cause.
    static let failureTypes: [EventType] = [.deferral, .hardBounce, .softBounce, .error, .reject, .spam]

    /// One stored failure event, as read for classification.
    struct Stored {
        var id: Int64
        var trackingId: Int64
        var type: EventType
        var errorType: String?
        var text: String?
    }

    static func rederive(_ db: Database) throws {
        let events = try readFailures(db)
        let setCause = RawStatement(try db.cachedStatement(sql: "UPDATE events SET cause = ? WHERE id = ?"))
        let soften = RawStatement(
            try db.cachedStatement(sql: "UPDATE events SET cause = ?, type = ?, bounce_type = 'soft' WHERE id = ?"))
        var touched: [Int64] = []
        var unflagged: [Int64] = []
        for e in events {
            let cause = cause(of: e)
            let type = e.type == .hardBounce && !(cause?.isHard ?? true) ? EventType.softBounce : e.type
            if flaggedBefore(e) && !type.flagsPartner(errorType: e.errorType, cause: cause) {
                unflagged.append(e.trackingId)
            }
            guard let cause else { continue }
            if type != e.type {
                soften.bind(1, cause.rawValue)
                soften.bind(2, type.rawValue)
                soften.bind(3, e.id)
                try soften.run(db)
            } else {
                setCause.bind(1, cause.rawValue)
                setCause.bind(2, e.id)
                try setCause.run(db)
            }
            touched.append(e.trackingId)
        }
        try refold(db, trackings: touched)
        try unflag(db, trackings: unflagged)
    }

    /// The flag rule before causes: every hard bounce, spam, reject and SMTP
    /// error except `no_recipient` flagged the partner.
    static func flaggedBefore(_ e: Stored) -> Bool {
        switch e.type {
        case .hardBounce, .spam, .reject: return true
        case .error: return e.errorType != noRecipientErrorType
        case .sent, .delivered, .deferral, .softBounce, .open, .click, .unsub, .retry: return false
        }
    }

    /// The failure events, oldest id first.
    static func readFailures(_ db: Database) throws -> [Stored] {
        let types = failureTypes.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let s = RawStatement(
            try db.cachedStatement(
                sql: """
                    SELECT id, tracking_id, type, error_type, COALESCE(bounce_description, error_description),
                           error_details
                    FROM events WHERE type IN (\(types)) ORDER BY id
                    """))
        defer { s.reset() }
        var out: [Stored] = []
        while try s.step(db) {
            guard let type = s.text(2).flatMap(EventType.init(rawValue:)) else { continue }
            // `error_details` holds a provider's explanation (Postmark) or a server name:
            // both may carry words the classifier reads; a shared-pixel mark is not text.
            let details = s.text(5).flatMap { $0 == EventDetails.sharedPixel ? nil : $0 }
            let parts = [s.text(4), details].compactMap { $0 }.filter { !$0.isEmpty }
            out.append(
                Stored(
                    id: s.int64(0) ?? 0, trackingId: s.int64(1) ?? 0, type: type, errorType: s.text(3),
                    text: parts.isEmpty ? nil : parts.joined(separator: " ")))
        }
        return out
    }

    /// The cause of a stored event; nil when there is nothing to read (a spam
    /// complaint without text, as the sources give it today) and for
    /// `no_recipient`, which is no delivery failure.
    static func cause(of e: Stored) -> FailureCause? {
        if e.errorType == noRecipientErrorType { return nil }
        // Our own SMTP errors are read as new ones are: by their kind, then their reply.
        if e.type == .error {
            let cause = FailureClassifier.smtpErrorCause(kind: e.errorType ?? "", description: e.text)
            return e.text == nil && cause == .other ? nil : cause
        }
        // `error_type` holds the enhanced status for some sources (`5.1.1`); any
        // other word there is no status and the text decides.
        guard let text = e.text else {
            return e.errorType.flatMap(FailureClassifier.enhancedStatus(in:)).map {
                FailureClassifier.cause(status: $0, text: nil)
            }
        }
        return FailureClassifier.cause(status: e.errorType.flatMap(FailureClassifier.enhancedStatus(in:)), text: text)
    }

    /// Re-derives each row from its events and writes what changed.
    static func refold(_ db: Database, trackings: [Int64]) throws {
        let lookup = RawStatement(try db.cachedStatement(sql: EventApplier.lookupSQL))
        var seen = Set<Int64>(minimumCapacity: trackings.count)
        for id in trackings where seen.insert(id).inserted {
            lookup.bind(1, id)
            guard try lookup.step(db), let messageId = lookup.int64(0) else {
                lookup.reset()
                continue
            }
            let old = EventApplier.status(of: lookup)
            lookup.reset()
            let new = try EventApplier.rederive(db, trackingId: id)
            guard new != old else { continue }
            try EventApplier.write(db, status: new, trackingId: id)
            let oldFailed = old.state?.isFailed ?? false
            let newFailed = new.state?.isFailed ?? false
            if oldFailed != newFailed {
                try MessageFailure.update(
                    db, messageId: messageId, failedDelta: newFailed ? 1 : -1, needsAction: newFailed ? true : nil)
            }
        }
    }

    /// Clears the flag of partners at the addresses of these rows when none of
    /// the address's events flags any more.
    static func unflag(_ db: Database, trackings: [Int64]) throws {
        guard !trackings.isEmpty else { return }
        var addresses = Set<String>()
        let addressOf = RawStatement(try db.cachedStatement(sql: "SELECT address FROM trackings WHERE id = ?"))
        for id in Set(trackings) {
            addressOf.bind(1, id)
            if try addressOf.step(db), let a = addressOf.text(0) { addresses.insert(a) }
            addressOf.reset()
        }
        let history = RawStatement(
            try db.cachedStatement(
                sql: """
                    SELECT e.type, e.error_type, e.cause FROM trackings t JOIN events e ON e.tracking_id = t.id
                    WHERE t.address = ? AND e.type IN ('hard_bounce', 'spam', 'reject', 'error')
                    """))
        let clear = RawStatement(
            try db.cachedStatement(
                sql: "UPDATE partners SET email_bounced = 0 WHERE email_normalized = ? AND email_bounced = 1"))
        for address in addresses {
            history.bind(1, address)
            var flags = false
            while !flags, try history.step(db) {
                guard let type = history.text(0).flatMap(EventType.init(rawValue:)) else { continue }
                flags = type.flagsPartner(
                    errorType: history.text(1), cause: history.text(2).flatMap(FailureCause.init(rawValue:)))
            }
            history.reset()
            if flags { continue }
            clear.bind(1, address)
            try clear.run(db)
        }
    }
}
