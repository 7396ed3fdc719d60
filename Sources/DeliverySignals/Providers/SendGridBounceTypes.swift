import TrackingModel

/// What SendGrid's own bounce classification means: the event and cause of a
/// `bounce` event from `bounce_classification` and `type` (`bounce` / `blocked`);
/// the status and reason text decide only where SendGrid names no cause.
///
/// | bounce_classification | event | cause |
/// |---|---|---|
/// | Invalid Address | hard_bounce | user_unknown (host_unknown when the text says so) |
/// | Mailbox Unavailable | soft_bounce | the mailbox cause the text names, else suspended |
/// | Reputation | soft_bounce | the sender cause the text names, else blocked |
/// | Content | soft_bounce | the sender cause the text names, else spam_content |
/// | Frequency or Volume | soft_bounce | rate_limited |
/// | Technical | soft_bounce | the cause the text names (not address-side), else system_error |
/// | Unclassified, none | by the reply: `type` bounce is a permanent failure, `blocked` a soft one (sender cause, else blocked) |
enum SendGridBounceTypes {
    /// The event and cause of one `bounce` event.
    static func bounce(classification: String?, type: String?, status: String?, text: String?) -> (EventType, FailureCause) {
        let read = FailureClassifier.classify(status: status, text: text, permanent: true)
        let cause = read.cause ?? .other
        func sided(_ side: FailureSide, else fallback: FailureCause) -> FailureCause {
            cause.side == side && cause.isSpecific ? cause : fallback
        }
        switch classification?.lowercased() {
        case "invalid address": return (.hardBounce, cause == .hostUnknown ? .hostUnknown : .userUnknown)
        case "mailbox unavailable": return (.softBounce, sided(.mailbox, else: .suspended))
        case "reputation": return (.softBounce, sided(.sender, else: .blocked))
        case "content": return (.softBounce, sided(.sender, else: .spamContent))
        case "frequency or volume": return (.softBounce, .rateLimited)
        case "technical": return (.softBounce, cause.side == .address || cause == .other ? .systemError : cause)
        default:
            if type?.lowercased() == "blocked" { return (.softBounce, sided(.sender, else: .blocked)) }
            return (read.eventType == .hardBounce ? .hardBounce : .softBounce, cause)
        }
    }

    /// The cause of a `dropped` event (SendGrid never tried): its reason names why.
    static func dropped(reason text: String?) -> FailureCause {
        let lowered = text?.lowercased() ?? ""
        if lowered.contains("bounced address") || lowered.contains("invalid") { return .userUnknown }
        let read = FailureClassifier.cause(status: nil, text: text)
        return read == .other ? .onHold : read
    }
}
