import Foundation
import TrackingModel

/// Mailgun events: webhook bodies `{signature, event-data}`, Events API
/// pages `{items, paging}`, bare `event-data` objects or arrays of them.
///
/// | Mailgun | event |
/// |---|---|
/// | accepted | sent |
/// | delivered | delivered |
/// | failed | by `severity`, `reason` and `delivery-status` (`MailgunFailures`): hard_bounce, soft_bounce, deferral (Mailgun keeps retrying) or reject (suppressed, never tried), with a cause |
/// | rejected | reject (cause from its reason) |
/// | opened / clicked | open / click (machine opens flagged) |
/// | unsubscribed | unsub |
/// | complained | spam |
/// | anything else (stored, list events) | ignored |
///
/// Key: (`id`, event, recipient, timestamp); tie-back: `user-variables.tracking_id`,
/// `message.headers.message-id` (Mailgun's id is the Message-ID).
public enum MailgunEvents {
    /// Parses a webhook body or an Events API page; `nextPage` is the page's `paging.next`.
    public static func parse<C: Collection<UInt8>>(_ data: C, path: String) -> IngestBatch {
        JSONDocument.batch(
            Array(data), source: .mailgun, path: path,
            unwrap: { value, base in
                if let object = value as? JSONDocument.Object {
                    if let eventData = object["event-data"] { return [(base == "0" ? "event-data" : base, eventData)] }
                    if let items = object["items"] as? [Any] {
                        return items.enumerated().map { ("items[\($0.offset)]", $0.element) }
                    }
                    if object["event"] != nil { return [(base, object)] }
                    return nil
                }
                return value is [Any] ? JSONDocument.elements(value, base) : nil
            },
            nextPage: { value in
                JSONDocument.string(
                    JSONDocument.object(value as? JSONDocument.Object, "paging"), "next")
            },
            parse: { (item, position) throws(JSONItemProblem) in try [event(item, path: path)] })
    }

    static func event(_ item: JSONDocument.Object, path: String) throws(JSONItemProblem)
        -> ParsedEvent
    {
        typealias J = JSONDocument
        guard let name = J.string(item, "event")?.lowercased() else { throw JSONItemProblem("missing event") }
        let timestamp = try J.requiredTime(item["timestamp"], "timestamp")
        let message = J.object(item, "message")
        let headers = J.object(message, "headers")
        let variables = J.object(item, "user-variables")
        let messageId = DsnAddress.messageId(J.string(headers, "message-id"))
        let recipient = J.string(item, "recipient") ?? DsnAddress.bare(J.string(headers, "to"))
        let id = J.string(item, "id") ?? "sha:" + ByteFingerprint.hex(Array(J.canonical(item).utf8))
        let builder = ParsedEventBuilder(
            source: .mailgun, path: path, timestamp: timestamp,
            tieBack: TieBackKeys(
                trackingId: J.string(variables, "tracking_id"), providerMessageId: messageId, messageId: messageId))
        let key = [id, name, recipient?.lowercased() ?? "", String(timestamp)].joined(separator: "|")
        let status = J.object(item, "delivery-status")
        let statusMessage = J.string(status, "message")
        let statusDescription = J.string(status, "description")
        let deliveryDetails = EventDetails(
            smtpServer: J.string(status, "mx-host"), errorType: J.string(status, "code"),
            errorDescription: statusMessage, errorDetails: statusDescription)
        let text = [statusMessage, statusDescription].compactMap { $0 }.joined(separator: " ")
        let client = J.object(item, "client-info")
        let geo = J.object(item, "geolocation")
        let userAgent = J.string(client, "user-agent")
        let ip = J.string(item, "ip")
        let device = J.string(client, "device-type")?.lowercased()
        let engagement = EventDetails(
            url: J.string(item, "url"), ip: ip, userAgent: userAgent, osFamily: J.string(client, "client-os"),
            uaFamily: J.string(client, "client-name"), uaType: J.string(client, "client-type"),
            mobile: device.map { $0 == "mobile" || $0 == "tablet" }, country: J.string(geo, "country"))
        switch name {
        case "accepted":
            return builder.make(.event(.sent), key: key, recipient: recipient)
        case "delivered":
            return builder.make(
                .event(.delivered), key: key, recipient: recipient, description: text.isEmpty ? nil : text,
                details: deliveryDetails)
        case "failed":
            let (type, cause) = MailgunFailures.failure(
                severity: J.string(item, "severity"), reason: J.string(item, "reason"), code: J.string(status, "code"),
                enhanced: J.string(status, "enhanced-code"), text: text.isEmpty ? nil : text)
            return builder.make(
                .event(type), key: key, recipient: recipient, status: J.string(status, "enhanced-code"),
                description: text.isEmpty ? J.string(item, "reason") : text,
                bounceType: BounceType(of: type), cause: cause, details: deliveryDetails)
        case "rejected":
            let reject = J.object(item, "reject")
            return builder.make(
                .event(.reject), key: key, recipient: recipient, description: J.string(reject, "reason"),
                details: EventDetails(
                    errorType: "rejected", errorDescription: J.string(reject, "reason"),
                    errorDetails: J.string(reject, "description")))
        case "opened":
            return builder.make(
                .event(.open), key: key, recipient: recipient,
                machine: MachineOpen.isMachine(userAgent: userAgent, ip: ip, providerFlag: nil), details: engagement)
        case "clicked":
            return builder.make(.event(.click), key: key, recipient: recipient, details: engagement)
        case "unsubscribed":
            return builder.make(.event(.unsub), key: key, recipient: recipient)
        case "complained":
            return builder.make(.event(.spam), key: key, recipient: recipient, details: EventDetails(errorType: "spam"))
        default:
            return builder.make(.ignored(.record(provider: "mailgun", type: name)), key: key, recipient: recipient)
        }
    }
}
