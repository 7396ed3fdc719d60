import Foundation
import GRDB
import TrackingModel

extension TrackingStore {
    /// Records the outcome of sending one tracking email, in one transaction:
    /// `sent` (with the server and the queue id, kept for tie-back) or `error`
    /// (state error with the server, kind, description and the cause read from
    /// the reply; the partner is flagged bounced only for an address-side cause,
    /// README "Why it failed: causes").
    @discardableResult
    public func recordSMTPResult(trackingId: Int64, _ result: SMTPResult, at time: Double? = nil, attempt: String? = nil)
        throws(StoreError) -> ApplyOutcome
    {
        let now = self.now
        let at = time ?? now
        return try write { db in
            let outcome = try Self.applySMTPResult(
                db, EventApplier(db: db, now: now), trackingId: trackingId, address: nil, result, at: at,
                source: "smtp", key: "\(trackingId):\(attempt ?? String(at))")
            if outcome == .unknownTracking { throw StoreError.notFound("no tracking email with id \(trackingId)") }
            return outcome
        }
    }

    /// The one way an SMTP outcome reaches a tracking row (this use case and the
    /// outbox worker's): a `sent` event and the queue id kept on the row, or an
    /// `error` event with the cause its kind and reply say (the state rule flags the
    /// partner only for an address-side cause).
    static func applySMTPResult(
        _ db: Database, _ applier: EventApplier, trackingId: Int64, address: String?, _ result: SMTPResult, at: Double,
        source: String, key: String, note: String? = nil
    ) throws -> ApplyOutcome {
        if let queueId = result.queueId {
            try db.execute(sql: "UPDATE trackings SET queue_id = ? WHERE id = ?", arguments: [queueId, trackingId])
        }
        return try applier.apply(
            result.event(trackingId: trackingId, address: address, at: at, source: source, key: key, note: note))
    }

    /// The tracking rows a queue id was returned for (tie-back of MTA log lines).
    public func trackingIds(queueId: String) throws(StoreError) -> [Int64] {
        try read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM trackings WHERE queue_id = ? ORDER BY id", arguments: [queueId])
        }
    }
}
