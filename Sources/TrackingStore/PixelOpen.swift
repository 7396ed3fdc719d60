import GRDB
import TrackingModel

/// What a pixel request came to (for the server's counters and tests; never
/// shown to the client, which always gets the same GIF).
public enum PixelResult: Sendable, Hashable {
    /// An `open` was recorded.
    case recorded
    /// Right token, but an open within ±10 s was already there.
    case suppressed
    /// Right token, but the row is not in `sent` or `delivered`.
    case notOpenable
    /// Unknown id, or the token does not match (or is missing where one is required).
    case refused
}

extension TrackingStore {
    /// An open through the tracking pixel (SEMANTICS.md): recorded only when the
    /// token matches (a row without a token, legacy, accepts a request without
    /// one; a row with a token never accepts a missing or wrong one) and the row
    /// is `sent` or `delivered`; the ±10 s duplicate window is the store's.
    /// A refused request costs one read and writes nothing.
    public func recordPixelOpen(trackingId: Int64, token: String?, ip: String?, userAgent: String?)
        throws(StoreError) -> PixelResult
    {
        let check: (Database) throws -> PixelResult? = { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT token, state, address FROM trackings WHERE id = ?", arguments: [trackingId])
            else { return .refused }
            guard Self.pixelTokenMatches(stored: row["token"], given: token) else { return .refused }
            let state = (row["state"] as String?).flatMap(TrackingState.init(rawValue:))
            guard state == .sent || state == .delivered else { return .notOpenable }
            return nil
        }
        if let early = try read(check) { return early }
        let now = self.now
        return try write { db in
            if let changed = try check(db) { return changed }
            let event = NewEvent(
                trackingId: trackingId, type: .open, timestamp: now, source: "pixel",
                key: "\(trackingId):\(now):\(ip ?? "")",
                details: EventDetails(ip: ip, userAgent: userAgent))
            switch try EventApplier(db: db, now: now).apply(event) {
            case .applied: return .recorded
            case .suppressed, .duplicate: return .suppressed
            case .unknownTracking: return .refused
            }
        }
    }

    /// Compares tokens in time independent of where they differ.
    static func pixelTokenMatches(stored: String?, given: String?) -> Bool {
        guard let stored else { return given == nil || given == "" }
        guard let given else { return false }
        let a = Array(stored.utf8)
        let b = Array(given.lowercased().utf8)
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
