import Foundation
import MailFormat
import TrackingModel

/// RFC 5965 feedback reports (spam complaints from mailbox providers' feedback loops).
///
/// `Feedback-Type` `abuse` and `fraud` → `spam`; `not-spam`, `auth-failure`, `virus`,
/// `other` → ignored (`feedback <type>`). The complainer is often redacted, so the
/// recipient is `Original-Rcpt-To` when present and the tie-back leans on the VERP
/// token of `Original-Mail-From` and the tracking header of the returned headers.
enum ArfReport {
    static func isFeedbackReport(_ mail: MimeMessage) -> Bool {
        if mail.contentType.parameters["report-type"]?.lowercased() == "feedback-report" { return true }
        return mail.ownParts.contains { $0.contentType.mimeType == "message/feedback-report" }
    }

    static func events(_ context: DsnContext) throws(QuarantineItem) -> [ParsedEvent] {
        let mail = context.mail
        guard let report = mail.ownParts.first(where: { $0.contentType.mimeType == "message/feedback-report" }),
            let fields = report.fieldGroups.first
        else { throw context.quarantine("feedback report without a message/feedback-report part", source: .arf) }
        guard let feedbackType = fields["Feedback-Type"].map({ MimeText.trimmed($0).lowercased() }),
            !feedbackType.isEmpty
        else { throw context.quarantine("feedback report without Feedback-Type", source: .arf) }

        var tieBack = context.tieBack
        let mailFrom = fields["Original-Mail-From"]
        tieBack.verpToken = DsnAddress.verpToken(mailFrom) ?? tieBack.verpToken
        tieBack.envelopeId = fields["Original-Envelope-Id"].map { MimeText.trimmed($0) }
        let recipient = DsnAddress.bare(fields["Original-Rcpt-To"]).flatMap { MimeText.contains($0, "redacted") ? nil : $0 }
        let timestamp = (fields["Arrival-Date"] ?? fields["Received-Date"]).flatMap(MimeDate.parse)
            ?? context.mailTimestamp
        let key = [context.keyBase, recipient ?? tieBack.verpToken ?? ""].joined(separator: "|")
        let kind: ParsedEvent.Kind
        switch feedbackType {
        case "abuse", "fraud": kind = .event(.spam)
        default: kind = .ignored(.feedback(type: feedbackType))
        }
        let description = [fields["User-Agent"], fields["Source-IP"].map { "source ip " + $0 }]
            .compactMap { $0 }.joined(separator: "; ")
        return [
            ParsedEvent(
                source: .arf, path: context.path, kind: kind, key: key, timestamp: timestamp, recipient: recipient,
                description: description.isEmpty ? nil : description, tieBack: tieBack,
                details: EventDetails(
                    recipient: recipient, ip: fields["Source-IP"], userAgent: fields["User-Agent"],
                    errorType: feedbackType, errorDescription: description.isEmpty ? nil : description))
        ]
    }
}
