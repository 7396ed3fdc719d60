import TrackingModel

// Untrusted text is cleaned where it enters the state (when a data message is
// applied), so views can draw any string they hold without a second thought.
// It is also clipped: a hostile megabyte-long name or body must not make every
// frame slow (views measure and wrap what they draw).

/// Longest one-line field kept (names, subjects, addresses, error texts), in characters.
let maxLineField = 1_000
/// Longest body kept, in characters.
let maxBody = 20_000

/// Cleans untrusted text for the state, clipped with "…" beyond `limit` characters.
func clean(_ text: String, _ mode: SafeText.Mode = .line, limit: Int = maxLineField) -> String {
    // utf8.count bounds the character count, so short texts skip the walk.
    guard text.utf8.count > limit, let cut = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex),
        cut < text.endIndex
    else { return SafeText.clean(text, mode) }
    return SafeText.clean(String(text[..<cut]) + "…", mode)
}

extension Optional where Wrapped == String {
    fileprivate var cleaned: String? { map { clean($0) } }
}

extension PartnerRef {
    var cleaned: PartnerRef { PartnerRef(id: id, name: clean(name), email: email.cleaned) }
}

extension ThreadSummary {
    var cleaned: ThreadSummary {
        var c = self
        c.name = clean(name)
        c.ref = ThreadRef(model: clean(ref.model), key: clean(ref.key))
        return c
    }
}

extension RecipientEntry {
    var cleaned: RecipientEntry {
        var c = self
        c.name = clean(name)
        c.address = address.cleaned
        c.errorType = errorType.cleaned
        c.errorDescription = errorDescription.cleaned
        return c
    }
}

extension MessageView {
    var cleaned: MessageView {
        var c = self
        c.thread = ThreadRef(model: clean(thread.model), key: clean(thread.key))
        c.threadName = clean(threadName)
        c.messageId = clean(messageId)
        c.author = author.cleaned
        c.subject = clean(subject)
        c.body = clean(body, .multiline, limit: maxBody)
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
        c.subject = clean(subject)
        c.sender = clean(sender)
        c.recipient = clean(recipient)
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
            bounceType: bounceType.cleaned, bounceDescription: bounceDescription.cleaned, cause: cause)
    }
}

extension EventRow {
    var cleaned: EventRow {
        var c = self
        c.source = clean(source)
        c.key = clean(key)
        c.details = details.cleaned
        return c
    }
}

extension PartnerCard {
    var cleaned: PartnerCard {
        var c = self
        c.name = clean(name)
        c.email = email.cleaned
        return c
    }
}

extension PollerState {
    var cleaned: PollerState {
        switch self {
        case .live, .paused, .unknown, .off: return self
        case .failing(let text): return .failing(clean(text))
        }
    }
}
