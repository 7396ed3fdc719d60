import GRDB
import TrackingModel

extension TrackingStore: ServeRole {}

extension TrackingStore {
    /// An open through the tracking pixel (README "Sending and the pixel"): recorded only when the
    /// token matches (a row without a token, legacy, accepts a request without
    /// one; a row with a token never accepts a missing or wrong one) and the row
    /// is `sent` or `delivered`; the ±10 s duplicate window is the store's.
    /// A refused request costs one read and writes nothing.
    ///
    /// A message sent as one shared mail has one pixel for all its recipients
    /// (its row id and the message's shared token), and an open on it cannot say
    /// who opened. The rule: the open is recorded on every row of that message
    /// that is `sent` or `delivered`, each with `error_details` = `shared_pixel`,
    /// so the state and duplicate rules still hold row by row. `.recorded` when
    /// at least one row took it.
    public func recordPixelOpen(trackingId: Int64, token: String?, ip: String?, userAgent: String?)
        throws(StoreError) -> PixelResult
    {
        if case .done(let early) = try read({ db in try Self.pixelTargets(db, trackingId: trackingId, token: token) }) {
            return early
        }
        let now = self.now
        return try write { db in
            let ids: [Int64]
            let shared: Bool
            switch try Self.pixelTargets(db, trackingId: trackingId, token: token) {
            case .done(let changed): return changed
            case .rows(let rows, let viaShared):
                ids = rows
                shared = viaShared
            }
            let applier = EventApplier(db: db, now: now)
            var result = PixelResult.notOpenable
            for id in ids {
                let event = NewEvent(
                    trackingId: id, type: .open, timestamp: now, source: "pixel", key: "\(id):\(now):\(ip ?? "")",
                    details: EventDetails(ip: ip, userAgent: userAgent, errorDetails: shared ? EventDetails.sharedPixel : nil))
                switch try applier.apply(event) {
                case .applied: result = .recorded
                case .suppressed, .duplicate: if result != .recorded { result = .suppressed }
                case .unknownTracking: continue
                }
            }
            return result
        }
    }

    /// Where a pixel request's open goes.
    private enum PixelTargets {
        /// Nothing to record: the answer.
        case done(PixelResult)
        /// Record on these rows (`shared`: through a shared pixel).
        case rows([Int64], shared: Bool)
    }

    /// The rows a pixel request may record an open on: its own row when the row's
    /// token matches, every openable row of its message when the message's shared token does.
    private static func pixelTargets(_ db: Database, trackingId: Int64, token: String?) throws -> PixelTargets {
        guard let row = try Row.fetchOne(
            db,
            sql: """
                SELECT t.token, t.state, t.message_id, m.shared_token FROM trackings t
                JOIN messages m ON m.id = t.message_id WHERE t.id = ?
                """, arguments: [trackingId])
        else { return .done(.refused) }
        if pixelTokenMatches(stored: row["token"], given: token) {
            let state = (row["state"] as String?).flatMap(TrackingState.init(rawValue:))
            guard state == .sent || state == .delivered else { return .done(.notOpenable) }
            return .rows([trackingId], shared: false)
        }
        guard let shared: String = row["shared_token"], token != nil,
            pixelTokenMatches(stored: shared, given: token)
        else { return .done(.refused) }
        let ids = try Int64.fetchAll(
            db,
            sql: "SELECT id FROM trackings WHERE message_id = ? AND state IN (?, ?) ORDER BY id",
            arguments: [row["message_id"] as Int64, TrackingState.sent.rawValue, TrackingState.delivered.rawValue])
        return ids.isEmpty ? .done(.notOpenable) : .rows(ids, shared: true)
    }

    /// Compares tokens in time independent of where they differ (`PixelToken.matches`).
    static func pixelTokenMatches(stored: String?, given: String?) -> Bool {
        PixelToken.matches(stored: stored, given: given)
    }
}
