import Foundation
import MailFormat
import TrackingModel

/// Amazon SES event publishing records (`eventType`) and identity notifications
/// (`notificationType`), bare or inside an SNS envelope whose `Message` is the record
/// as a JSON string. One event per recipient.
///
/// | SES | event |
/// |---|---|
/// | Send | sent |
/// | Delivery | delivered |
/// | DeliveryDelay | deferral (cause by `delayType`) |
/// | Bounce | hard_bounce / soft_bounce / reject with a cause by `bounceType` and `bounceSubType` (`SesBounceTypes`) |
/// | Complaint | spam (not-spam → ignored) |
/// | Reject | reject (cause virus: SES found one) |
/// | Rendering Failure | error (cause content_error) |
/// | Open / Click | open / click, for every destination (SES does not say which) |
/// | Subscription opt-out | unsub |
///
/// Time: the event's own `timestamp`, else the SNS envelope's `Timestamp`, else
/// `mail.timestamp`.
///
/// Key: (SNS MessageId, recipient) inside SNS; else (feedbackId, recipient) for bounces and
/// complaints, (mail.messageId, eventType, recipient, event time) otherwise. Tie-back:
/// `mail.messageId`, `mail.tags.tracking_id`, our tracking header in `mail.headers`, the
/// submitted Message-ID.
public enum SesEvents {
    /// Parses one record, an SNS notification, an array of them, or JSON lines of them (Firehose).
    public static func parse<C: Collection<UInt8>>(_ data: C, path: String) -> IngestBatch {
        JSONDocument.batch(
            Array(data), source: .ses, path: path,
            unwrap: { value, base in
                if value is [Any] { return JSONDocument.elements(value, base) }
                guard let object = value as? JSONDocument.Object,
                    object["Message"] != nil || object["eventType"] != nil || object["notificationType"] != nil
                else { return nil }
                return [(base, object)]
            },
            parse: { (item, _) throws(JSONItemProblem) in try events(item, path: path) })
    }

    static func events(_ item: JSONDocument.Object, path: String) throws(JSONItemProblem) -> [ParsedEvent] {
        typealias J = JSONDocument
        var record = item
        var snsMessageId: String?
        var envelopeTime: Double?
        if let message = item["Message"] {
            let type = J.string(item, "Type") ?? "Notification"
            guard type == "Notification" else {
                return [ignored(item, reason: .record(provider: "sns", type: type), key: J.string(item, "MessageId") ?? type, path: path)]
            }
            guard let text = message as? String,
                let inner = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? J.Object
            else { throw JSONItemProblem("SNS Message is not a JSON object") }
            record = inner
            snsMessageId = J.string(item, "MessageId")
            envelopeTime = JSONTime.epoch(item["Timestamp"])
        }
        guard let type = J.string(record, "eventType") ?? J.string(record, "notificationType") else {
            throw JSONItemProblem("missing eventType")
        }
        // SES's own test notification when a topic is set up: no mail, nothing to record.
        if type == "AmazonSnsSubscriptionSucceeded" {
            return [ignored(item, reason: .record(provider: "ses", type: type), key: snsMessageId ?? type, path: path)]
        }
        guard let mail = J.object(record, "mail") else { throw JSONItemProblem("missing mail") }
        let tieBack = tieBack(mail)
        let destinations = J.strings(mail, "destination")
        let mailTime = JSONTime.epoch(mail["timestamp"])

        /// One event per recipient of `recipients` (objects with `emailAddress`) or of `destination`.
        func fanOut(
            _ objectName: String, recipients: [J.Object]?, make: (ParsedEventBuilder, String, String, J.Object) -> ParsedEvent
        ) throws(JSONItemProblem) -> [ParsedEvent] {
            let detail = J.object(record, objectName)
            guard let time = JSONTime.epoch(detail?["timestamp"]) ?? envelopeTime ?? mailTime else {
                throw JSONItemProblem("missing timestamp")
            }
            let builder = ParsedEventBuilder(source: .ses, path: path, timestamp: time, tieBack: tieBack)
            let targets: [(String, J.Object)] =
                recipients.map { list in list.compactMap { entry in J.string(entry, "emailAddress").map { ($0, entry) } } }
                ?? destinations.map { ($0, [:]) }
            guard !targets.isEmpty else { throw JSONItemProblem("no recipient") }
            return targets.map { address, entry in
                let lower = address.lowercased()
                let key = keyFor(
                    sns: snsMessageId, feedbackId: J.string(detail, "feedbackId"), mail: mail, type: type,
                    recipient: lower, time: time)
                return make(builder, key, address, entry)
            }
        }

        switch type {
        case "Send":
            return try fanOut("send", recipients: nil) { builder, key, address, _ in
                builder.make(.event(.sent), key: key, recipient: address)
            }
        case "Delivery":
            let delivery = J.object(record, "delivery")
            let recipients = J.strings(delivery, "recipients").map { ["emailAddress": $0] as J.Object }
            return try fanOut("delivery", recipients: recipients.isEmpty ? nil : recipients) { builder, key, address, _ in
                builder.make(
                    .event(.delivered), key: key, recipient: address,
                    details: EventDetails(
                        smtpServer: J.string(delivery, "reportingMTA").map(DsnReport.withoutType),
                        errorDetails: J.string(delivery, "smtpResponse")))
            }
        case "DeliveryDelay":
            let delay = J.object(record, "deliveryDelay")
            return try fanOut("deliveryDelay", recipients: J.objects(delay, "delayedRecipients")) {
                builder, key, address, entry in
                let status = J.string(entry, "status")
                let text = J.string(entry, "diagnosticCode").map(DsnReport.withoutType)
                return builder.make(
                    .event(.deferral), key: key, recipient: address, status: status, description: text,
                    cause: SesBounceTypes.delay(type: J.string(delay, "delayType"), status: status, text: text),
                    details: EventDetails(
                        smtpServer: J.string(delay, "reportingMTA").map(DsnReport.withoutType),
                        errorType: J.string(delay, "delayType"),
                        errorDetails: J.string(delay, "expirationTime").map { "expires " + $0 }))
            }
        case "Bounce":
            let bounce = J.object(record, "bounce")
            let bounceType = J.string(bounce, "bounceType") ?? "Undetermined"
            let subType = J.string(bounce, "bounceSubType") ?? "Undetermined"
            return try fanOut("bounce", recipients: J.objects(bounce, "bouncedRecipients")) { builder, key, address, entry in
                let status = J.string(entry, "status")
                let text = J.string(entry, "diagnosticCode").map(DsnReport.withoutType)
                let (kind, cause) = SesBounceTypes.bounce(type: bounceType, subType: subType, status: status, text: text)
                return builder.make(
                    .event(kind), key: key, recipient: address, status: status, description: text,
                    bounceType: BounceType(of: kind), cause: cause,
                    details: EventDetails(
                        smtpServer: J.string(bounce, "reportingMTA").map(DsnReport.withoutType),
                        errorType: bounceType + "/" + subType))
            }
        case "Complaint":
            let complaint = J.object(record, "complaint")
            let feedback = J.string(complaint, "complaintFeedbackType")?.lowercased()
            return try fanOut("complaint", recipients: J.objects(complaint, "complainedRecipients")) {
                builder, key, address, _ in
                builder.make(
                    feedback == "not-spam" ? .ignored(.complaintNotSpam) : .event(.spam), key: key,
                    recipient: address,
                    details: EventDetails(userAgent: J.string(complaint, "userAgent"), errorType: feedback ?? "spam"))
            }
        case "Reject":
            let reject = J.object(record, "reject")
            return try fanOut("reject", recipients: nil) { builder, key, address, _ in
                builder.make(
                    .event(.reject), key: key, recipient: address, description: J.string(reject, "reason"),
                    cause: .virus, details: EventDetails(errorType: "rejected"))
            }
        case "Rendering Failure":
            let failure = J.object(record, "failure")
            return try fanOut("failure", recipients: nil) { builder, key, address, _ in
                builder.make(
                    .event(.error), key: key, recipient: address, description: J.string(failure, "errorMessage"),
                    cause: .contentError, details: EventDetails(errorType: "rendering_failure"))
            }
        case "Open", "Click":
            let detail = J.object(record, type == "Open" ? "open" : "click")
            let ip = J.string(detail, "ipAddress")
            let userAgent = J.string(detail, "userAgent")
            return try fanOut(type == "Open" ? "open" : "click", recipients: nil) { builder, key, address, _ in
                builder.make(
                    .event(type == "Open" ? .open : .click), key: key, recipient: address,
                    machine: type == "Open" && MachineOpen.isMachine(userAgent: userAgent, ip: ip, providerFlag: nil),
                    details: EventDetails(url: J.string(detail, "link"), ip: ip, userAgent: userAgent))
            }
        case "Subscription":
            let subscription = J.object(record, "subscription")
            let preferences = J.object(subscription, "newTopicPreferences")
            let optedOut = J.bool(preferences, "unsubscribeAll") == true
                || J.objects(preferences, "topicSubscriptionStatus").contains {
                    J.string($0, "subscriptionStatus")?.lowercased() == "optout"
                }
            return try fanOut("subscription", recipients: nil) { builder, key, address, _ in
                builder.make(optedOut ? .event(.unsub) : .ignored(.subscriptionOptIn), key: key, recipient: address)
            }
        default:
            return try fanOut(type, recipients: nil) { builder, key, address, _ in
                builder.make(.ignored(.record(provider: "ses", type: type)), key: key, recipient: address)
            }
        }
    }

    /// A signal about the subscription itself, not about a mail: counted, never recorded.
    static func ignored(_ envelope: JSONDocument.Object, reason: IgnoredReason, key: String, path: String) -> ParsedEvent {
        ParsedEventBuilder(
            source: .ses, path: path, timestamp: JSONTime.epoch(envelope["Timestamp"]) ?? 0, tieBack: TieBackKeys()
        ).make(.ignored(reason), key: key, recipient: nil)
    }

    /// Tie-back keys of a record's `mail` object.
    static func tieBack(_ mail: JSONDocument.Object) -> TieBackKeys {
        typealias J = JSONDocument
        var headers = MimeHeaders()
        for header in J.objects(mail, "headers") {
            if let name = J.string(header, "name"), let value = J.string(header, "value") {
                headers.fields.append(MimeHeaderField(name: name, value: value))
            }
        }
        let tags = J.object(mail, "tags")
        let common = J.object(mail, "commonHeaders")
        return TieBackKeys(
            trackingId: DsnTieBack.trackingId(in: headers) ?? J.strings(tags, "tracking_id").first,
            providerMessageId: J.string(mail, "messageId"),
            messageId: DsnAddress.messageId(headers["Message-ID"]) ?? DsnAddress.messageId(J.string(common, "messageId")))
    }

    static func keyFor(
        sns: String?, feedbackId: String?, mail: JSONDocument.Object, type: String, recipient: String, time: Double
    ) -> String {
        if let sns { return sns + "|" + recipient }
        if let feedbackId { return feedbackId + "|" + recipient }
        return [JSONDocument.string(mail, "messageId") ?? "", type, recipient, String(time)].joined(separator: "|")
    }
}
