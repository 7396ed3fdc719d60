import MailFormat
import TrackingModel

/// Builds the `ParsedEvent`s of one provider record, so that every provider fills the
/// fields the same way: lower-cased recipient, enhanced status read from the text when
/// not given, the cause the provider gave or else the one `FailureClassifier` reads
/// from the code and text, the description kept as the bounce's or the error's text.
struct ParsedEventBuilder {
    var source: SignalSource
    var path: String
    var timestamp: Double
    var tieBack: TieBackKeys

    func make(
        _ kind: ParsedEvent.Kind, key: String, recipient: String?, status: String? = nil, description: String? = nil,
        bounceType: BounceType? = nil, cause: FailureCause? = nil, machine: Bool = false, details: EventDetails = EventDetails()
    ) -> ParsedEvent {
        let recipient = recipient.map { MimeText.trimmed($0).lowercased() }.flatMap {
            $0.isEmpty ? nil : $0
        }
        let code = status.flatMap(FailureClassifier.enhancedStatus(in:))
            ?? description.flatMap(FailureClassifier.enhancedStatus(in:))
        var details = details
        details.cause = cause ?? details.cause
        if details.cause == nil, case .event(let type) = kind, Self.needsCause(type) {
            details.cause = FailureClassifier.cause(status: code, text: description)
        }
        if details.errorDescription == nil { details.errorDescription = description }
        if details.errorType == nil { details.errorType = code }
        if bounceType != nil { details.bounceDescription = description }
        return ParsedEvent(
            source: source, path: path, kind: kind, key: key, timestamp: timestamp, recipient: recipient,
            status: code, bounceType: bounceType, description: description, machine: machine,
            tieBack: tieBack, details: details)
    }

    /// Event types that say why delivery did not happen, so carry a cause.
    static func needsCause(_ type: EventType) -> Bool {
        switch type {
        case .hardBounce, .softBounce, .deferral, .reject, .error: return true
        case .sent, .delivered, .open, .click, .spam, .unsub, .retry: return false
        }
    }
}
