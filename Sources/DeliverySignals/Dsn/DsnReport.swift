import Foundation
import MailFormat
import TrackingModel

/// RFC 3464 delivery reports: one event per per-recipient field group.
enum DsnReport {
    /// The events of a report with a `message/delivery-status` part that names at least one
    /// recipient; nil when the mail has no such part or its groups name nobody (then the
    /// non-standard heuristics get a chance, e.g. Google Workspace's empty status part).
    static func events(_ context: DsnContext) throws(QuarantineItem) -> [ParsedEvent]? {
        guard let statusPart = context.mail.ownParts.first(where: { isDeliveryStatus($0.contentType.mimeType) })
        else { return nil }
        let groups = statusPart.fieldGroups
        let perMessage = groups.first { $0["Final-Recipient"] == nil && $0["Action"] == nil }
        let recipientGroups = groups.filter { $0["Final-Recipient"] != nil || $0["Original-Recipient"] != nil }
        guard !recipientGroups.isEmpty else { return nil }
        var tieBack = context.tieBack
        tieBack.envelopeId = perMessage?["Original-Envelope-Id"].map { MimeText.trimmed($0) }
        tieBack.queueId = perMessage?["X-Postfix-Queue-ID"].map { MimeText.trimmed($0) }
        let arrival = perMessage?["Arrival-Date"].flatMap(MimeDate.parse)
        let fallbackTime = context.mail.headers["Date"].flatMap(MimeDate.parse) ?? arrival ?? context.receivedAt ?? 0
        let failedRecipients = context.mail.headers.all("X-Failed-Recipients")
            .flatMap { DsnText.addresses(in: MimeEncodedWords.decode($0)) }
        var events: [ParsedEvent] = []
        for group in recipientGroups {
            let original = reportAddress(group["Original-Recipient"])
            let final = reportAddress(group["Final-Recipient"])
            let recipient = original ?? final ?? (failedRecipients.count == 1 ? failedRecipients.first : nil)
            let status = group["Status"].flatMap { FailureClassifier.enhancedStatus(in: $0) }
            let action = group["Action"].map(normalizedAction) ?? actionFromStatus(status)
            let outcome = DsnOutcome(
                recipient: recipient, action: action, status: status,
                description: group["Diagnostic-Code"].map(withoutType),
                remoteMta: group["Remote-MTA"].map(withoutType),
                timestamp: group["Last-Attempt-Date"].flatMap(MimeDate.parse) ?? fallbackTime,
                willRetryUntil: group["Will-Retry-Until"], finalRecipient: original != nil && final != original ? final : nil)
            events.append(outcome.event(context, tieBack: tieBack))
        }
        return events
    }

    static func isDeliveryStatus(_ mimeType: String) -> Bool {
        mimeType == "message/delivery-status" || mimeType == "message/global-delivery-status"
    }

    /// The address of an `rfc822; <a@x>` field; nil for a pipe, a path, an X.400 or `smtp=`-less
    /// garbage value. Exchange's `rfc822;smtp=a@x` and `SMTP:a@x` lose their prefix.
    static func reportAddress(_ value: String?) -> String? {
        guard let bare = DsnAddress.bare(value) else { return nil }
        return DsnText.address(bare)
    }

    /// `Failed (permanent)` → `failed`; unknown words are read from the status class.
    private static func normalizedAction(_ value: String) -> String {
        let word = String(MimeText.trimmed(value).lowercased().prefix { $0.isLetter })
        switch word {
        case "failed", "delayed", "delivered", "relayed", "expanded": return word
        default: return "failed"
        }
    }

    /// An Action-less group (seen in broken reports): the status class decides.
    private static func actionFromStatus(_ status: String?) -> String {
        switch status?.first {
        case "2": return "delivered"
        case "4": return "delayed"
        default: return "failed"
        }
    }

    /// `smtp; 550 5.1.1 ...` → `550 5.1.1 ...`; `dns; mx.example` → `mx.example`.
    static func withoutType(_ value: String) -> String {
        let trimmed = MimeText.trimmed(value)
        guard let semicolon = trimmed.firstIndex(of: ";") else { return trimmed }
        let type = trimmed[..<semicolon]
        guard !type.isEmpty, !type.contains(" ") else { return trimmed }
        return MimeText.trimmed(trimmed[trimmed.index(after: semicolon)...])
    }
}
