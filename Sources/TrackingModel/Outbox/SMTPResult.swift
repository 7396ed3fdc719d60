/// What the SMTP server said about one recipient of a send attempt.
public enum SMTPResult: Sendable, Hashable {
    /// Accepted: the server and the queue id from its DATA reply (`queued as …`).
    case sent(server: String, queueId: String?)
    /// Refused or failed: the server, the kind of error (exception class, SMTP
    /// code) and its description.
    case error(server: String, kind: String, description: String)

    /// The event this result is on a tracking row, the same in every store: `sent` with the
    /// server and the queue id (and `note`), or `error` with the cause its kind and reply say
    /// (the state rule flags the partner only for an address-side cause). Its key is
    /// `sent:KEY` or `error:KEY`, so the same attempt recorded twice is one event.
    public func event(trackingId: Int64, address: String?, at: Double, source: String, key: String, note: String? = nil)
        -> NewEvent
    {
        switch self {
        case .sent(let server, let queueId):
            return NewEvent(
                trackingId: trackingId, type: .sent, timestamp: at, source: source, key: "sent:" + key,
                details: EventDetails(
                    recipient: address, smtpServer: server,
                    errorDetails: Self.joinedDetails(queueId.map { "queued as \($0)" }, note)))
        case .error(let server, let kind, let description):
            return NewEvent(
                trackingId: trackingId, type: .error, timestamp: at, source: source, key: "error:" + key,
                details: EventDetails(
                    recipient: address, smtpServer: server, errorType: kind, errorDescription: description,
                    cause: FailureClassifier.smtpErrorCause(kind: kind, description: description)))
        }
    }

    /// The queue id an accepted result keeps on its tracking row (for tie-back of MTA log lines).
    public var queueId: String? {
        switch self {
        case .sent(_, let queueId): return queueId
        case .error: return nil
        }
    }

    /// "a; b" of the parts present, nil when none is.
    static func joinedDetails(_ parts: String?...) -> String? {
        let present = parts.compactMap { $0 }
        return present.isEmpty ? nil : present.joined(separator: "; ")
    }
}
