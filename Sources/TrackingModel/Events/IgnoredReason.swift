/// Why a parsed signal is understood but carries no tracking event: counted, never recorded.
/// `text` is the `reason` of an `ignored` line of `chatter ingest --dry-run --json`.
public enum IgnoredReason: Sendable, Hashable {
    /// An auto-reply, out-of-office or vacation notice.
    case autoReply
    /// A bounce of our own notification mail, or its delivery.
    case ownNotification
    /// A mail that is no delivery report.
    case notABounce
    /// A feedback report whose type is not a complaint (`not-spam`, `other`...).
    case feedback(type: String)
    /// An SES complaint marked not-spam.
    case complaintNotSpam
    /// An SES subscription that opted in again.
    case subscriptionOptIn
    /// A Postmark suppression other than a manual one (`HardBounce`, `SpamComplaint`...).
    case suppression(reason: String)
    /// A Postmark subscription change that lifts a suppression.
    case resubscribed
    /// A provider record without tracking use: `mailgun stored`, `ses Send`, `sns SubscriptionConfirmation`...
    case record(provider: String, type: String)

    /// The reason in words, as the dry run prints it.
    public var text: String {
        switch self {
        case .autoReply: return "auto-reply"
        case .ownNotification: return "our own bounce notification"
        case .notABounce: return "not a bounce"
        case .feedback(let type): return "feedback " + type
        case .complaintNotSpam: return "complaint not-spam"
        case .subscriptionOptIn: return "subscription opt-in"
        case .suppression(let reason): return "suppression " + reason
        case .resubscribed: return "resubscribed"
        case .record(let provider, let type): return provider + " " + type
        }
    }
}
