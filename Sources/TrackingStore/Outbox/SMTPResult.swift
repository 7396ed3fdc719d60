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
        switch result {
        case .sent(let server, let queueId):
            if let queueId {
                try db.execute(sql: "UPDATE trackings SET queue_id = ? WHERE id = ?", arguments: [queueId, trackingId])
            }
            return try applier.apply(
                NewEvent(
                    trackingId: trackingId, type: .sent, timestamp: at, source: source, key: "sent:" + key,
                    details: EventDetails(
                        recipient: address, smtpServer: server,
                        errorDetails: Self.joinedDetails(queueId.map { "queued as \($0)" }, note))))
        case .error(let server, let kind, let description):
            return try applier.apply(
                NewEvent(
                    trackingId: trackingId, type: .error, timestamp: at, source: source, key: "error:" + key,
                    details: EventDetails(
                        recipient: address, smtpServer: server, errorType: kind, errorDescription: description,
                        cause: FailureClassifier.smtpErrorCause(kind: kind, description: description))))
        }
    }

    /// "a; b" of the parts present, nil when none is.
    static func joinedDetails(_ parts: String?...) -> String? {
        let present = parts.compactMap { $0 }
        return present.isEmpty ? nil : present.joined(separator: "; ")
    }

    /// The tracking rows a queue id was returned for (tie-back of MTA log lines).
    public func trackingIds(queueId: String) throws(StoreError) -> [Int64] {
        try read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM trackings WHERE queue_id = ? ORDER BY id", arguments: [queueId])
        }
    }
}
