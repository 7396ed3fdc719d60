import Foundation
import TrackingModel

/// Postmark webhook bodies, one object per record, discriminated by `RecordType`;
/// a JSON array of them is accepted too.
///
/// | Postmark | event |
/// |---|---|
/// | Delivery | delivered |
/// | Bounce (each `Type` with its cause: `PostmarkBounceTypes`) | hard_bounce, soft_bounce, deferral, reject, error, spam, unsub or ignored |
/// | SpamComplaint record | spam |
/// | SubscriptionChange SuppressSending + ManualSuppression | unsub |
/// | SubscriptionChange for HardBounce / SpamComplaint or resubscribing | ignored (covered by the original event) |
/// | Open / Click | open / click |
///
/// Key: the bounce `ID` for Bounce / SpamComplaint, natural keys otherwise; tie-back:
/// `Metadata.tracking_id`, `MessageID` (Postmark's send-API id).
public enum PostmarkEvents {
    /// Parses one webhook body (or an array of them); bad records quarantined by index.
    public static func parse<C: Collection<UInt8>>(_ data: C, path: String) -> IngestBatch {
        JSONDocument.batch(
            Array(data), source: .postmark, path: path,
            unwrap: { value, base in
                if value is [Any] { return JSONDocument.elements(value, base) }
                if let object = value as? JSONDocument.Object, object["RecordType"] != nil { return [(base, object)] }
                return nil
            },
            parse: { (item, _) throws(JSONItemProblem) in try [event(item, path: path)] })
    }

    static func event(_ item: JSONDocument.Object, path: String) throws(JSONItemProblem) -> ParsedEvent {
        typealias J = JSONDocument
        guard let record = J.string(item, "RecordType") else { throw JSONItemProblem("missing RecordType") }
        let messageId = J.string(item, "MessageID")
        let tieBack = TieBackKeys(
            trackingId: J.string(J.object(item, "Metadata"), "tracking_id"), providerMessageId: messageId)
        let recipient = J.string(item, "Recipient") ?? J.string(item, "Email")
        func builder(_ timeField: String) throws(JSONItemProblem) -> ParsedEventBuilder {
            ParsedEventBuilder(
                source: .postmark, path: path, timestamp: try J.requiredTime(item[timeField], timeField),
                tieBack: tieBack)
        }
        func naturalKey(_ parts: String?...) -> String {
            ([messageId, recipient?.lowercased()] + parts).map { $0 ?? "" }.joined(separator: "|")
        }
        let geo = J.object(item, "Geo")
        let ip = J.string(geo, "IP")
        let userAgent = J.string(item, "UserAgent")
        let platform = J.string(item, "Platform")
        let engagement = EventDetails(
            url: J.string(item, "OriginalLink"), ip: ip, userAgent: userAgent,
            osFamily: J.string(J.object(item, "OS"), "Family"), uaFamily: J.string(J.object(item, "Client"), "Family"),
            uaType: platform, mobile: platform.map { $0 == "Mobile" }, country: J.string(geo, "CountryISOCode"))
        switch record {
        case "Delivery":
            let details = J.string(item, "Details")
            return try builder("DeliveredAt").make(
                .event(.delivered), key: naturalKey(record), recipient: recipient, description: details,
                details: EventDetails(errorDetails: details))
        case "Bounce", "SpamComplaint":
            guard let id = J.string(item, "ID") else { throw JSONItemProblem("missing ID") }
            let type = record == "SpamComplaint" ? "SpamComplaint" : (J.string(item, "Type") ?? "Unknown")
            let text = J.string(item, "Details") ?? J.string(item, "Description")
            let mapped = PostmarkBounceTypes.mapping(type, text: text)
            return try builder("BouncedAt").make(
                mapped.kind, key: id, recipient: recipient, description: text,
                bounceType: mapped.kind.bounceType, cause: mapped.cause,
                details: EventDetails(errorType: type, errorDetails: J.string(item, "Description")))
        case "Open":
            return try builder("ReceivedAt").make(
                .event(.open), key: naturalKey(J.string(item, "ReceivedAt")), recipient: recipient,
                machine: MachineOpen.isMachine(userAgent: userAgent, ip: ip, providerFlag: nil), details: engagement)
        case "Click":
            return try builder("ReceivedAt").make(
                .event(.click), key: naturalKey(J.string(item, "ReceivedAt"), J.string(item, "OriginalLink")),
                recipient: recipient, details: engagement)
        case "SubscriptionChange":
            let suppress = J.bool(item, "SuppressSending") ?? false
            let reason = J.string(item, "SuppressionReason") ?? ""
            let kind: ParsedEvent.Kind =
                suppress && reason == "ManualSuppression"
                ? .event(.unsub)
                : .ignored(suppress ? .suppression(reason: reason) : .resubscribed)
            return try builder("ChangedAt").make(
                kind, key: naturalKey(J.string(item, "ChangedAt"), String(suppress)), recipient: recipient)
        default:
            return try builder("ReceivedAt").make(
                .ignored(.record(provider: "postmark", type: record)), key: naturalKey(record), recipient: recipient)
        }
    }
}
