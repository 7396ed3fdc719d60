import Foundation
import TrackingModel

/// The `chatter ingest --dry-run --json` output: one JSON object per line.
///
/// Event lines have exactly these keys, in this order (null when unknown):
/// `source`, `path`, `type` (an event type, or `ignored`), `reason` (for `ignored` the
/// ignore reason such as `auto-reply`; else the reason word such as `user_unknown`),
/// `recipient`, `status` (`5.1.1`), `bounce_type` (`hard` / `soft`), `description`,
/// `message_id` (without `<>`), `tracking_id`, `timestamp` (RFC 3339 UTC).
/// Quarantine lines: `{"quarantined": true, "source", "path", "position", "reason"}`.
public enum IngestJSON {
    /// The dry-run line of one parsed event.
    public static func line(for event: ParsedEvent) -> String {
        let type: String
        let reason: String?
        switch event.kind {
        case .event(let eventType):
            type = eventType.rawValue
            reason = event.reason
        case .ignored(let why):
            type = "ignored"
            reason = why
        }
        return object([
            ("source", .string(event.source)), ("path", .string(event.path)), ("type", .string(type)),
            ("reason", .optional(reason)), ("recipient", .optional(event.recipient)), ("status", .optional(event.status)),
            ("bounce_type", .optional(event.bounceType)), ("description", .optional(event.description)),
            ("message_id", .optional(event.tieBack.messageId)), ("tracking_id", .optional(event.tieBack.trackingId)),
            ("timestamp", .optional(event.timestamp > 0 ? rfc3339(event.timestamp) : nil)),
        ])
    }

    /// The dry-run line of one quarantined input.
    public static func line(for quarantined: Quarantined) -> String {
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

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `2026-11-25T11:49:10Z`, with milliseconds when the time has a fraction.
    static func rfc3339(_ epoch: Double) -> String {
        let whole = Int(epoch.rounded(.down))
        let millis = Int(((epoch - Double(whole)) * 1000).rounded())
        let days = whole >= 0 ? whole / 86400 : (whole - 86399) / 86400
        let seconds = whole - days * 86400
        let (year, month, day) = civil(fromDays: days)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, seconds / 3600, seconds / 60 % 60, seconds % 60)
        if millis > 0 && millis < 1000 { text += String(format: ".%03d", millis) }
        return text + "Z"
    }

    /// The inverse of `MimeDate.daysFromCivil` (H. Hinnant's algorithm).
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
