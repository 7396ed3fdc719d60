extension FailureClassifier {
    /// The cause of an error of our own sending (an `error` event), from its kind and text.
    ///
    /// Kinds that say it themselves decide (`too_large`, `smtputf8_unsupported`,
    /// `build`); `expired` (a transient failure that lasted past the maximum age)
    /// keeps a sender-side cause its last reply names (a wrong relay password is
    /// `auth`, a refused MAIL FROM `sender_rejected`), else `expired`; a refused
    /// RCPT, DATA or message is read from the reply. `no_recipient` (the partner
    /// has no address) has no cause: nothing was tried.
    public static func smtpErrorCause(kind: String, description: String?) -> FailureCause? {
        switch kind {
        case noRecipientErrorType: return nil
        case "too_large": return .tooLarge
        case "smtputf8_unsupported", "build": return .contentError
        case "expired":
            let read = cause(status: nil, text: description)
            return read.side == .sender ? read : .expired
        case "sendmail_refused":
            let read = cause(status: nil, text: description)
            return read == .other ? .mailerError : read
        default:
            return cause(status: nil, text: description)
        }
    }

    /// The cause of a temporary failure of our own sending (a `deferral` event):
    /// connection and TLS trouble is `network`, a refused AUTH `auth`, a refused
    /// MAIL FROM `sender_rejected`, a 4xx reply what it says.
    public static func smtpDeferralCause(reply: String) -> FailureCause {
        if reply.hasPrefix("MAIL FROM:") {
            let read = cause(status: nil, text: reply)
            return read.side == .sender ? read : .senderRejected
        }
        let read = cause(status: nil, text: reply)
        return read == .other ? .network : read
    }
}
