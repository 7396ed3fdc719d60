import Foundation
import GRDB
import TrackingModel

/// What the SMTP server said about one recipient of a send attempt.
public enum SMTPResult: Sendable, Hashable {
    /// Accepted: the server and the queue id from its DATA reply (`queued as …`).
    case sent(server: String, queueId: String?)
    /// Refused or failed: the server, the kind of error (exception class, SMTP
    /// code) and its description.
    case error(server: String, kind: String, description: String)
}

extension TrackingStore {
    /// Records the outcome of sending one tracking email, in one transaction:
    /// `sent` (with the server and the queue id, kept for tie-back) or `error`
    /// (state error with the server, kind and description; the partner is
    /// flagged bounced, SEMANTICS.md "SMTP error").
    @discardableResult
    public func recordSMTPResult(trackingId: Int64, _ result: SMTPResult, at time: Double? = nil, attempt: String? = nil)
        throws(StoreError) -> ApplyOutcome
    {
        let now = self.now
        let at = time ?? now
        return try write { db in
            let event: NewEvent
            switch result {
            case .sent(let server, let queueId):
                if let queueId {
                    try db.execute(sql: "UPDATE trackings SET queue_id = ? WHERE id = ?", arguments: [queueId, trackingId])
                }
                event = NewEvent(
                    trackingId: trackingId, type: .sent, timestamp: at, source: "smtp",
                    key: "sent:\(trackingId):\(attempt ?? String(at))",
                    details: EventDetails(smtpServer: server, errorDetails: queueId.map { "queued as \($0)" }))
            case .error(let server, let kind, let description):
                event = NewEvent(
                    trackingId: trackingId, type: .error, timestamp: at, source: "smtp",
                    key: "error:\(trackingId):\(attempt ?? String(at))",
                    details: EventDetails(smtpServer: server, errorType: kind, errorDescription: description))
            }
            let outcome = try EventApplier(db: db, now: now).apply(event)
            if outcome == .unknownTracking { throw StoreError.notFound("no tracking email with id \(trackingId)") }
            return outcome
        }
    }

    /// The tracking rows a queue id was returned for (tie-back of MTA log lines).
    public func trackingIds(queueId: String) throws(StoreError) -> [Int64] {
        try read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM trackings WHERE queue_id = ? ORDER BY id", arguments: [queueId])
        }
    }
}
