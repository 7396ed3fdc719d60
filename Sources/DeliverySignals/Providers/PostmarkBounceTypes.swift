import TrackingModel

/// What each documented Postmark bounce `Type` means: the event and, where Postmark
/// knows it, the cause. A type that names no cause (`SoftBounce`, `Transient`,
/// `Unknown`) leaves it to the reply text (`FailureClassifier`).
///
/// | Type | event | cause |
/// |---|---|---|
/// | HardBounce | hard_bounce | user_unknown |
/// | BadEmailAddress | hard_bounce | user_unknown |
/// | AddressChange | hard_bounce | has_moved |
/// | SoftBounce | soft_bounce | from the text |
/// | Unknown | soft_bounce | from the text |
/// | Transient | deferral | from the text (Postmark still retries) |
/// | DnsError | deferral | network |
/// | Blocked | soft_bounce | blocked (or the sender cause the text names) |
/// | SpamNotification | soft_bounce | spam_content |
/// | VirusNotification | soft_bounce | virus |
/// | DMARCPolicy | soft_bounce | auth |
/// | ManuallyDeactivated | reject | on_hold (Postmark holds the address) |
/// | SMTPApiError | error | the sender cause the text names, else syntax_error (never the address) |
/// | TemplateRenderingFailed | error | content_error |
/// | SpamComplaint | spam | |
/// | Unsubscribe | unsub | |
/// | AutoResponder, ChallengeVerification, Subscribe, OpenRelayTest, InboundError, Unconfirmed, others | ignored | |
enum PostmarkBounceTypes {
    /// The event and cause of a bounce `Type` with its text.
    static func mapping(_ type: String, text: String?) -> (kind: ParsedEvent.Kind, cause: FailureCause?) {
        func fromText(_ fallback: FailureCause) -> FailureCause {
            let read = FailureClassifier.cause(status: nil, text: text)
            return read == .other ? fallback : read
        }
        func senderSide(_ fallback: FailureCause) -> FailureCause {
            let read = FailureClassifier.cause(status: nil, text: text)
            return read.side == .sender && read.isSpecific ? read : fallback
        }
        switch type {
        case "HardBounce", "BadEmailAddress": return (.event(.hardBounce), .userUnknown)
        case "AddressChange": return (.event(.hardBounce), .hasMoved)
        case "SoftBounce", "Unknown": return (.event(.softBounce), softCause(fromText(.other)))
        case "Transient": return (.event(.deferral), fromText(.other))
        case "DnsError": return (.event(.deferral), .network)
        case "Blocked": return (.event(.softBounce), senderSide(.blocked))
        case "SpamNotification": return (.event(.softBounce), .spamContent)
        case "VirusNotification": return (.event(.softBounce), .virus)
        case "DMARCPolicy": return (.event(.softBounce), .auth)
        case "ManuallyDeactivated": return (.event(.reject), .onHold)
        case "SMTPApiError": return (.event(.error), senderSide(.syntaxError))
        case "TemplateRenderingFailed": return (.event(.error), .contentError)
        case "SpamComplaint": return (.event(.spam), nil)
        case "Unsubscribe": return (.event(.unsub), nil)
        case "AutoResponder": return (.ignored(.autoReply), nil)
        default: return (.ignored(.record(provider: "postmark", type: type)), nil)
        }
    }

    /// Postmark said soft: a text naming an address-side cause does not make it hard,
    /// so such a cause is kept only when it is not on the address side.
    private static func softCause(_ cause: FailureCause) -> FailureCause {
        cause.side == .address ? .other : cause
    }
}
