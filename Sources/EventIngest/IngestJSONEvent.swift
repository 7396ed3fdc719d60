import TrackingModel

/// Builds the `ParsedEvent`s of one provider record, so that every provider fills the
/// fields the same way: lower-cased recipient, enhanced status read from the text when
/// not given, reason words from the shared `BounceClassifier`, bounce fields copied
/// into the event details.
struct IngestJSONEvent {
    var source: String
    var path: String
    var timestamp: Double
    var tieBack: TieBack

    func make(
        _ kind: ParsedEvent.Kind, key: String, recipient: String?, status: String? = nil, description: String? = nil,
        bounceType: String? = nil, reason: String? = nil, machine: Bool = false, details: EventDetails = EventDetails()
    ) -> ParsedEvent {
        let recipient = recipient.map { MimeText.trimmed($0).lowercased() }.flatMap {
            $0.isEmpty ? nil : $0
        }
        let code = status.flatMap(BounceClassifier.enhancedStatus(in:))
            ?? description.flatMap(BounceClassifier.enhancedStatus(in:))
        var reason = reason
        if reason == nil, case .event(let type) = kind, Self.needsReason(type) {
            reason = BounceClassifier.classify(status: code, text: description, permanent: bounceType != nil).reason
        }
        var details = details
        details.recipient = recipient
        if details.errorDescription == nil { details.errorDescription = description }
        if details.errorType == nil { details.errorType = code }
        if bounceType != nil {
            details.bounceType = bounceType
            details.bounceDescription = description
        }
        return ParsedEvent(
            source: source, path: path, kind: kind, key: key, timestamp: timestamp, recipient: recipient,
            status: code, bounceType: bounceType, reason: reason, description: description, machine: machine,
            tieBack: tieBack, details: details)
    }

    /// Event types whose reason word says why delivery did not happen.
    static func needsReason(_ type: EventType) -> Bool {
        switch type {
        case .hardBounce, .softBounce, .deferral, .reject, .error: return true
        case .sent, .delivered, .open, .click, .spam, .unsub, .retry: return false
        }
    }
}
