import TrackingModel

/// What Amazon SES's own bounce and delay classification means: the event and the
/// cause, from `bounceType` / `bounceSubType` and `delayType`; the diagnostic code
/// and status decide only where SES names no cause (`General`, `Undetermined`).
///
/// | bounceType / bounceSubType | event | cause |
/// |---|---|---|
/// | Permanent / NoEmail | hard_bounce | user_unknown |
/// | Permanent / General | by the reply (a permanent failure) | from status and text, else user_unknown |
/// | Permanent / Suppressed | reject (never attempted) | user_unknown (SES suppressed it after a hard bounce) |
/// | Permanent / OnAccountSuppressionList | reject (never attempted) | on_hold (our own suppression list) |
/// | Transient / MailboxFull | soft_bounce | mailbox_full |
/// | Transient / MessageTooLarge | soft_bounce | too_large |
/// | Transient / ContentRejected | soft_bounce | the sender cause the text names, else filtered |
/// | Transient / AttachmentRejected | soft_bounce | the sender cause the text names, else filtered |
/// | Transient / General, Undetermined / any | soft_bounce | from status and text (never address-side: SES says soft) |
enum SesBounceTypes {
    /// The event and cause of a bounced recipient.
    static func bounce(type: String, subType: String, status: String?, text: String?) -> (EventType, FailureCause) {
        let read = FailureClassifier.classify(status: status, text: text, permanent: true)
        let readCause = read.cause ?? .other
        switch (type, subType) {
        case ("Permanent", "NoEmail"): return (.hardBounce, .userUnknown)
        case ("Permanent", "Suppressed"): return (.reject, .userUnknown)
        case ("Permanent", "OnAccountSuppressionList"): return (.reject, .onHold)
        case ("Permanent", _):
            let cause = readCause == .other ? .userUnknown : readCause
            return (FailureClassifier.outcome(of: cause, permanent: true, replyClass: 5), cause)
        case (_, "MailboxFull"): return (.softBounce, .mailboxFull)
        case (_, "MessageTooLarge"): return (.softBounce, .tooLarge)
        case (_, "ContentRejected"), (_, "AttachmentRejected"):
            return (.softBounce, readCause.side == .sender && readCause.isSpecific ? readCause : .filtered)
        default:
            return (.softBounce, readCause.side == .address ? .other : readCause)
        }
    }

    /// The cause of a `DeliveryDelay` by its `delayType`; the text decides for `General` / `Undetermined`.
    static func delay(type: String?, status: String?, text: String?) -> FailureCause {
        switch type {
        case "MailboxFull": return .mailboxFull
        case "SpamDetected": return .spamContent
        case "RecipientServerError", "InternalFailure": return .systemError
        case "IPFailure": return .blocked
        case "TransientCommunicationFailure", "BYOIPHostNameLookupUnavailable": return .network
        case "SendingDeferral": return .rateLimited
        default: return FailureClassifier.cause(status: status, text: text)
        }
    }
}
