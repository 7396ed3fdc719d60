import DeliverySignals
import Foundation
import TrackingModel

/// The `chatter ingest --dry-run --json` output: one JSON object per line.
///
/// Event lines have exactly these keys, in this order (null when unknown):
/// `source`, `path`, `type` (an event type, or `ignored`), `reason` (for `ignored` the
/// ignore reason such as `auto-reply`; else the cause word such as `user_unknown`, or
/// `spam` for a complaint), `cause` (the failure cause word), `side` (`address`,
/// `mailbox`, `sender`, `transport`), `recipient` (the address we sent to),
/// `final_recipient` (where a forward delivered it, when that differs), `status`
/// (`5.1.1`), `bounce_type` (`hard` / `soft`), `description`, `message_id` (without
/// `<>`), `tracking_id`, `timestamp` (RFC 3339 UTC).
/// Quarantine lines: `{"quarantined": true, "source", "path", "position", "reason"}`.
public enum DryRunJSON {
    /// The dry-run line of one parsed event.
    public static func line(for event: ParsedEvent) -> String {
        let type: String
        let reason: String?
        switch event.kind {
        case .event(let eventType):
            type = eventType.rawValue
            reason = event.cause?.rawValue ?? (eventType == .spam ? "spam" : nil)
        case .ignored(let why):
            type = "ignored"
            reason = why.text
        }
        return object([
            ("source", .string(event.source.rawValue)), ("path", .string(event.path)), ("type", .string(type)),
            ("reason", .optional(reason)), ("cause", .optional(event.cause?.rawValue)),
            ("side", .optional(event.cause?.side.rawValue)), ("recipient", .optional(event.recipient)),
            ("final_recipient", .optional(event.finalRecipient)), ("status", .optional(event.status)),
            ("bounce_type", .optional(event.bounceType?.rawValue)), ("description", .optional(event.description)),
            ("message_id", .optional(event.tieBack.messageId)), ("tracking_id", .optional(event.tieBack.trackingId)),
            ("timestamp", .optional(rfc3339(event.timestamp))),
        ])
    }

    /// The dry-run line of one quarantined input.
    public static func line(for quarantined: QuarantineItem) -> String {
        object([
            ("quarantined", .bool(true)), ("source", .string(quarantined.source)), ("path", .string(quarantined.path)),
            ("position", .string(quarantined.position)), ("reason", .string(quarantined.reason)),
        ])
    }

    private enum Value {
        case string(String)
        case optional(String?)
        case bool(Bool)
    }

    private static func object(_ pairs: [(String, Value)]) -> String {
        var out = "{"
        for (index, (key, value)) in pairs.enumerated() {
            if index > 0 { out += "," }
            out += quoted(key) + ":"
            switch value {
            case .string(let text): out += quoted(text)
            case .optional(let text): out += text.map(quoted) ?? "null"
            case .bool(let flag): out += flag ? "true" : "false"
            }
        }
        return out + "}"
    }

    /// A JSON string literal, as every JSON chatter writes (`JSONText`: controls, C1 and bidi
    /// controls escaped).
    static func quoted(_ text: String) -> String {
        JSONText.string(text)
    }

    /// `2026-11-25T11:49:10Z`, with milliseconds when the time has a fraction; nil for
    /// an unknown (0) or absurd time.
    static func rfc3339(_ epoch: Double) -> String? {
        guard epoch.isFinite, epoch != 0, abs(epoch) < JSONTime.maximumMagnitude else { return nil }
        let whole = Int(epoch.rounded(.down))
        let millis = Int(((epoch - Double(whole)) * 1000).rounded())
        let days = whole >= 0 ? whole / 86400 : (whole - 86399) / 86400
        let seconds = whole - days * 86400
        let (year, month, day) = CivilDate.civil(fromDays: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(seconds / 3600, 2) + ":"
            + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if millis > 0 && millis < 1000 { text += "." + pad(millis, 3) }
        return text + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
