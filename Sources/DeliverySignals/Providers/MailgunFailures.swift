import TrackingModel

/// What a Mailgun `failed` event means: the event and cause from `severity`,
/// `reason` and `delivery-status` (`code`, `enhanced-code`, `message`, `description`).
///
/// | reason | event | cause |
/// |---|---|---|
/// | suppress-bounce | reject (Mailgun did not try) | user_unknown (the address bounced before) |
/// | suppress-unsubscribe, suppress-complaint | reject (Mailgun did not try) | on_hold |
/// | old | soft_bounce | expired (too old to retry) |
/// | espblock, blacklisted | soft_bounce | the sender cause the reply names, else blocked |
/// | greylisted | deferral (temporary) / soft_bounce | greylisted |
/// | bounce, hardfail, generic, none | `severity` temporary → deferral; else a permanent failure | from code and text |
enum MailgunFailures {
    /// The event and cause of one `failed` event.
    static func failure(
        severity: String?, reason: String?, code: String?, enhanced: String?, text: String?
    ) -> (EventType, FailureCause) {
        let temporary = severity?.lowercased() == "temporary"
        let reply = [code, text].compactMap { $0 }.joined(separator: " ")
        let read = FailureClassifier.classify(status: enhanced, text: reply, permanent: !temporary)
        let cause = read.cause ?? .other
        switch reason?.lowercased() {
        case "suppress-bounce": return (.reject, .userUnknown)
        case "suppress-unsubscribe", "suppress-complaint": return (.reject, .onHold)
        case "old": return (.softBounce, .expired)
        case "espblock", "blacklisted": return (temporary ? .deferral : .softBounce, cause.side == .sender && cause.isSpecific ? cause : .blocked)
        case "greylisted": return (temporary ? .deferral : .softBounce, .greylisted)
        default:
            if temporary { return (.deferral, cause) }
            // A permanent failure with a 4xx reply: Mailgun gave up, the reply class says nothing more.
            return (read.eventType == .hardBounce ? .hardBounce : .softBounce, cause)
        }
    }
}
