import Foundation
import TrackingModel

/// SendGrid Event Webhook batches: a JSON array of events.
///
/// | SendGrid | event |
/// |---|---|
/// | processed | sent |
/// | delivered | delivered |
/// | deferred | deferral (cause from the response) |
/// | bounce | hard_bounce / soft_bounce with a cause by `bounce_classification` and `type` (`SendGridBounceTypes`) |
/// | dropped | reject (cause from its reason) |
/// | open | open (`sg_machine_open` or a proxy user agent → machine open) |
/// | click | click |
/// | spamreport | spam |
/// | unsubscribe, group_unsubscribe | unsub |
/// | group_resubscribe, others | ignored |
///
/// Key: `sg_event_id`; tie-back: the `tracking_id` custom arg, `smtp-id` (Message-ID),
/// `sg_message_id` before its first dot.
public enum SendGridEvents {
    /// Parses one webhook batch; bad events quarantined by index (`[3]`).
    public static func parse<C: Collection<UInt8>>(_ data: C, path: String) -> IngestBatch {
        JSONDocument.batch(
            Array(data), source: .sendgrid, path: path,
            unwrap: { value, base in
                if value is [Any] { return JSONDocument.elements(value, base) }
                if let object = value as? JSONDocument.Object, object["event"] != nil { return [(base, object)] }
                return nil
            },
            parse: { (item, _) throws(JSONItemProblem) in try [event(item, path: path)] })
    }

    static func event(_ item: JSONDocument.Object, path: String) throws(JSONItemProblem) -> ParsedEvent {
        typealias J = JSONDocument
        guard let name = J.string(item, "event")?.lowercased() else { throw JSONItemProblem("missing event") }
        let timestamp = try J.requiredTime(item["timestamp"], "timestamp")
        let recipient = J.string(item, "email")
        let providerId = J.string(item, "sg_message_id").map { String($0.prefix { $0 != "." }) }
        let builder = ParsedEventBuilder(
            source: .sendgrid, path: path, timestamp: timestamp,
            tieBack: TieBackKeys(
                trackingId: J.string(item, "tracking_id"), providerMessageId: providerId,
                messageId: DsnAddress.messageId(J.string(item, "smtp-id"))))
        let key = J.string(item, "sg_event_id") ?? "sha:" + ByteFingerprint.hex(Array(J.canonical(item).utf8))
        let status = J.string(item, "status")
        let reasonText = J.string(item, "reason")
        let response = J.string(item, "response")
        let ip = J.string(item, "ip")
        let userAgent = J.string(item, "useragent")
        switch name {
        case "processed":
            return builder.make(.event(.sent), key: key, recipient: recipient)
        case "delivered":
            return builder.make(
                .event(.delivered), key: key, recipient: recipient, description: response,
                details: EventDetails(errorDetails: response))
        case "deferred":
            return builder.make(
                .event(.deferral), key: key, recipient: recipient, description: response,
                cause: FailureClassifier.cause(status: status, text: response),
                details: EventDetails(errorDetails: J.string(item, "attempt").map { "attempt " + $0 }))
        case "bounce":
            let (type, cause) = SendGridBounceTypes.bounce(
                classification: J.string(item, "bounce_classification"), type: J.string(item, "type"), status: status,
                text: reasonText)
            return builder.make(
                .event(type), key: key, recipient: recipient, status: status,
                description: reasonText, bounceType: BounceType(of: type), cause: cause,
                details: EventDetails(errorType: J.string(item, "bounce_classification")))
        case "dropped":
            return builder.make(
                .event(.reject), key: key, recipient: recipient, status: status, description: reasonText,
                cause: SendGridBounceTypes.dropped(reason: reasonText), details: EventDetails(errorType: "dropped"))
        case "open":
            let machine = MachineOpen.isMachine(
                userAgent: userAgent, ip: ip, providerFlag: J.bool(item, "sg_machine_open"))
            return builder.make(
                .event(.open), key: key, recipient: recipient, machine: machine,
                details: EventDetails(ip: ip, userAgent: userAgent))
        case "click":
            return builder.make(
                .event(.click), key: key, recipient: recipient,
                details: EventDetails(url: J.string(item, "url"), ip: ip, userAgent: userAgent))
        case "spamreport":
            return builder.make(.event(.spam), key: key, recipient: recipient, details: EventDetails(errorType: "spam"))
        case "unsubscribe", "group_unsubscribe":
            return builder.make(
                .event(.unsub), key: key, recipient: recipient,
                details: EventDetails(errorDetails: J.string(item, "asm_group_id").map { "group " + $0 }))
        default:
            return builder.make(.ignored(.record(provider: "sendgrid", type: name)), key: key, recipient: recipient)
        }
    }
}
