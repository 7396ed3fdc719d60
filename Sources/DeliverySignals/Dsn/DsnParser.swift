import Foundation
import MailFormat
import TrackingModel

/// Turns one mail of a bounce mailbox into tracking events.
///
/// What arrives at a bounce address, in the order it is recognised:
/// 1. ARF spam complaints (RFC 5965) → `ArfReport`, source `arf`;
/// 2. RFC 3464 delivery reports with per-recipient groups → `DsnReport`, source `dsn`;
/// 3. non-standard bounces (`X-Failed-Recipients`, MAILER-DAEMON / postmaster
///    senders, bounce subjects) → `DsnHeuristics`;
/// 4. auto-replies, vacation and out-of-office mails → ignored (`auto-reply`), never bounces;
/// 5. anything else → ignored (`not a bounce`).
/// Mail that cannot be read at all, or a report naming no recipient, is quarantined.
public enum DsnParser {
    /// Parses one raw mail.
    ///
    /// - Parameters:
    ///   - bytes: the raw RFC 5322 message.
    ///   - path: where it was read (Maildir file, mbox path), copied into the events.
    ///   - position: where in the source (mbox byte offset, Maildir identity), for quarantine.
    ///   - receivedAt: a timestamp to use when the mail carries no readable date (file mtime).
    public static func parse<C: Collection<UInt8>>(
        _ bytes: C, path: String, position: String = "0", receivedAt: Double? = nil
    ) throws(QuarantineItem) -> [ParsedEvent] {
        let raw = Array(bytes)
        let mail = MimeMessage(bytes: raw)
        let context = DsnContext(mail: mail, raw: raw, path: path, position: position, receivedAt: receivedAt)
        guard !mail.headers.fields.isEmpty else {
            throw context.quarantine("not a mail: no header fields")
        }
        if ArfReport.isFeedbackReport(mail) {
            return try ArfReport.events(context)
        }
        if returnsABounce(mail) {
            return [context.ignored(.ownNotification)]
        }
        if let events = try DsnReport.events(context) {
            return events
        }
        if DsnHeuristics.looksLikeBounce(mail) {
            return try DsnHeuristics.events(context)
        }
        if DsnAutoReply.isAutoReply(mail.headers) {
            return [context.ignored(.autoReply)]
        }
        return [context.ignored(.notABounce)]
    }
}

extension DsnParser {
    /// The returned original is itself a bounce (a null-sender notice from a mail system):
    /// the bounce of a bounce notification says nothing about a tracked mail.
    static func returnsABounce(_ mail: MimeMessage) -> Bool {
        guard let original = mail.ownParts.lazy.compactMap(\.attached).first else { return false }
        let from = DsnAddress.bare(original.headers["From"]) ?? ""
        let returnPath = original.headers["Return-Path"].map { MimeText.trimmed($0) }
        return DsnExclusions.isSystem(from) && !from.contains("+") || returnPath == "<>"
            || original.contentType.parameters["report-type"]?.lowercased() == "delivery-status"
    }
}

/// What every mail parser needs to know about the mail being parsed.
struct DsnContext {
    let mail: MimeMessage
    let raw: [UInt8]
    let path: String
    let position: String
    let receivedAt: Double?

    /// The mail's own Message-ID, without brackets.
    let ownMessageId: String?
    /// The first part of every uniqueness key: the mail's Message-ID, else a fingerprint of its bytes.
    let keyBase: String
    /// The Date header of the mail, else `receivedAt`, else 0.
    let mailTimestamp: Double
    /// The tie-back keys every event of this mail shares.
    let tieBack: TieBackKeys

    init(mail: MimeMessage, raw: [UInt8], path: String, position: String, receivedAt: Double?) {
        self.mail = mail
        self.raw = raw
        self.path = path
        self.position = position
        self.receivedAt = receivedAt
        ownMessageId = DsnAddress.messageId(mail.headers["Message-ID"])
        keyBase = ownMessageId ?? "sha:" + ByteFingerprint.hex(raw)
        mailTimestamp = mail.headers["Date"].flatMap(MimeDate.parse) ?? receivedAt ?? 0
        let returned = DsnTieBack.returnedIds(in: mail)
        tieBack = TieBackKeys(
            trackingId: returned.trackingId, verpToken: DsnTieBack.verpToken(in: mail.headers),
            messageId: returned.messageId)
    }

    func quarantine(_ reason: String, source: SignalSource = .dsn) -> QuarantineItem {
        let excerpt = String(decoding: raw.prefix(200), as: UTF8.self)
        return QuarantineItem(source: source.rawValue, path: path, position: position, reason: reason, excerpt: excerpt)
    }

    func ignored(_ reason: IgnoredReason, source: SignalSource = .dsn) -> ParsedEvent {
        ParsedEvent(
            source: source, path: path, kind: .ignored(reason), key: keyBase + "|" + reason.text,
            timestamp: mailTimestamp, description: mail.headers.decoded("Subject"), tieBack: tieBack)
    }
}

/// One recipient's outcome as a bounce mail states it, before it becomes a `ParsedEvent`.
struct DsnOutcome {
    var recipient: String?
    /// `failed`, `delayed`, `delivered`, `relayed`, `expanded`.
    var action: String
    var status: String?
    var description: String?
    var remoteMta: String?
    var timestamp: Double
    var willRetryUntil: String?
    /// The text the classifier reads when it says more than `description` (a plain-text notice's lines).
    var text: String?
    /// The address the mail was finally delivered to when it differs from `recipient` (a forward).
    var finalRecipient: String?
    /// The vendor format of a plain-text notice (`exim`, `qmail`...), kept in the error details.
    var format: String?
    /// What the vendor's own wording says, when the shared classifier finds no more than `other`.
    var vendorCause: FailureCause?

    /// Maps the outcome through the shared classifier (`FailureClassifier`).
    func event(_ context: DsnContext, tieBack: TieBackKeys) -> ParsedEvent {
        let kind: ParsedEvent.Kind
        var bounceType: BounceType?
        var cause: FailureCause?
        switch action {
        case "delivered", "relayed", "expanded":
            kind = .event(.delivered)
        case "delayed":
            // A delay warning is a deferral whatever its text quotes: the MTA still retries.
            let classified = FailureClassifier.classify(status: status, text: text ?? description, permanent: false)
            kind = .event(.deferral)
            cause = classified.cause == .other ? vendorCause ?? .other : classified.cause
        default:
            var classified = FailureClassifier.classify(status: status, text: text ?? description, permanent: true)
            if classified.eventType == .delivered {
                // A failure notice is never a delivery, whatever 2xx reply its text quotes.
                classified = FailureClassifier.classify(status: nil, text: nil, permanent: true)
            }
            if let vendorCause, classified.cause == .other || classified.cause == nil {
                classified = FailureClassification(
                    eventType: FailureClassifier.outcome(of: vendorCause, permanent: true), cause: vendorCause,
                    status: classified.status)
            }
            kind = .event(classified.eventType)
            bounceType = classified.bounceType
            cause = classified.cause
        }
        var details = EventDetails(smtpServer: remoteMta, errorType: status,
            errorDescription: description, errorDetails: remoteMta, cause: cause)
        let notes = [
            remoteMta, willRetryUntil.map { "will retry until " + $0 }, finalRecipient.map { "final recipient " + $0 },
            format.map { "format " + $0 },
        ].compactMap { $0 }
        if notes.count > (remoteMta == nil ? 0 : 1) { details.errorDetails = notes.joined(separator: "; ") }
        if bounceType != nil { details.bounceDescription = description }
        return ParsedEvent(
            source: .dsn, path: context.path, kind: kind,
            key: [context.keyBase, recipient ?? tieBack.verpToken ?? "", action].joined(separator: "|"),
            timestamp: timestamp, recipient: recipient, finalRecipient: finalRecipient, status: status,
            bounceType: bounceType, description: description, tieBack: tieBack, details: details)
    }
}
