import TrackingModel

// Untrusted text is cleaned where it enters the state (when a data message is
// applied), so views can draw any string they hold without a second thought.

extension Optional where Wrapped == String {
    fileprivate var cleaned: String? { map { SafeText.clean($0) } }
}

extension PartnerRef {
    var cleaned: PartnerRef { PartnerRef(id: id, name: SafeText.clean(name), email: email.cleaned) }
}

extension ThreadSummary {
    var cleaned: ThreadSummary {
        var c = self
        c.name = SafeText.clean(name)
        c.ref = ThreadRef(model: SafeText.clean(ref.model), key: SafeText.clean(ref.key))
        return c
    }
}

extension RecipientEntry {
    var cleaned: RecipientEntry {
        var c = self
        c.name = SafeText.clean(name)
        c.address = address.cleaned
        c.errorType = errorType.cleaned
        c.errorDescription = errorDescription.cleaned
        return c
    }
}

extension MessageView {
    var cleaned: MessageView {
        var c = self
        c.thread = ThreadRef(model: SafeText.clean(thread.model), key: SafeText.clean(thread.key))
        c.threadName = SafeText.clean(threadName)
        c.messageId = SafeText.clean(messageId)
        c.author = author.cleaned
        c.subject = SafeText.clean(subject)
        c.body = SafeText.clean(body, .multiline)
        c.recipients = recipients.map(\.cleaned)
        return c
    }
}

extension ThreadView {
    var cleaned: ThreadView {
        ThreadView(
            thread: thread.cleaned, failed: failed.map(\.cleaned), history: history.map(\.cleaned),
            nextCursor: nextCursor)
    }
}

extension TrackingRow {
    var cleaned: TrackingRow {
        var c = self
        c.subject = SafeText.clean(subject)
        c.sender = SafeText.clean(sender)
        c.recipient = SafeText.clean(recipient)
        c.address = address.cleaned
        c.errorSmtpServer = errorSmtpServer.cleaned
        c.errorType = errorType.cleaned
        c.errorDescription = errorDescription.cleaned
        c.bounceType = bounceType.cleaned
        c.bounceDescription = bounceDescription.cleaned
        c.token = token.cleaned
        return c
    }
}

extension EventDetails {
    var cleaned: EventDetails {
        EventDetails(
            recipient: recipient.cleaned, smtpServer: smtpServer.cleaned, url: url.cleaned, ip: ip.cleaned,
            userAgent: userAgent.cleaned, osFamily: osFamily.cleaned, uaFamily: uaFamily.cleaned,
            uaType: uaType.cleaned, mobile: mobile, country: country.cleaned, errorType: errorType.cleaned,
            errorDescription: errorDescription.cleaned, errorDetails: errorDetails.cleaned,
            bounceType: bounceType.cleaned, bounceDescription: bounceDescription.cleaned)
    }
}

extension EventRow {
    var cleaned: EventRow {
        var c = self
        c.source = SafeText.clean(source)
        c.key = SafeText.clean(key)
        c.details = details.cleaned
        return c
    }
}

extension PartnerCard {
    var cleaned: PartnerCard {
        var c = self
        c.name = SafeText.clean(name)
        c.email = email.cleaned
        return c
    }
}

extension PollerState {
    var cleaned: PollerState {
        switch self {
        case .live, .paused, .unknown: return self
        case .failing(let text): return .failing(SafeText.clean(text))
        }
    }
}
