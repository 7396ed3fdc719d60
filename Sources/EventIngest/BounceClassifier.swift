import TrackingModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a delivery status code and its text mean for tracking: the event, hard / soft, a short reason.
public typealias BounceClassification = (bounceType: String?, reason: String, eventType: EventType)

/// RFC 3463 enhanced status codes (plus the wording of real replies) turned into tracking events.
///
/// Shared by every parser that sees an SMTP outcome: the Postfix log, DSN / ARF
/// mails, provider bounce records. Pure functions, no state.
///
/// Rules (SOURCES.md §2.3, §1.6):
/// - class 2 → `delivered`;
/// - class 4 → `deferral` while the MTA still retries; `soft_bounce` when it gave
///   up (`permanent: true`: `Action: failed`, expiry) and always for `x.4.7`
///   (delivery time expired);
/// - class 5 → `hard_bounce`, except mailbox full (`x.2.2`), which most senders
///   treat as soft → `soft_bounce`;
/// - reasons: `user_unknown` (x.1.1, x.1.x, x.2.1), `host_unknown` (x.1.2, x.4.4),
///   `mailbox_full` (x.2.2), `too_large` (x.2.3, x.3.4), `expired` (x.4.7),
///   `network` (other x.4.x), `auth` (x.7.20–x.7.29 or SPF / DKIM / DMARC wording),
///   `spam` (the text says spam and the code is policy / content / unspecific),
///   `greylisted` (the text says greylist), `policy` (other x.7.x), `other`;
/// - only the first two components decide (vendor details like `5.4.316` are fine);
/// - a missing or unparsable status is looked for in the text (`550 5.1.1 ...`,
///   qmail's `(#5.5.0)`), then the basic SMTP reply code (`550`), then wording alone.
public enum BounceClassifier {
    /// Classifies an outcome from its enhanced status (`5.1.1`) and / or its human text.
    ///
    /// - Parameters:
    ///   - status: the enhanced status code, if the signal has one (`Status:`, `dsn=`).
    ///   - text: the remote reply or diagnostic text.
    ///   - permanent: the sender's MTA gave up (DSN `Action: failed`, Postfix
    ///     `status=bounced` or expiry): a transient code then means `soft_bounce`
    ///     instead of `deferral`.
    public static func classify(status: String?, text: String?, permanent: Bool = false) -> BounceClassification {
        let lowered = text.map(asciiLowercased) ?? []
        let code = status.flatMap(EnhancedStatus.init(parsing:))
            ?? text.flatMap(EnhancedStatus.init(searching:))
        let wording = reasonFromWording(lowered)
        guard let code else {
            return classifyWithoutCode(text: lowered, wording: wording, permanent: permanent)
        }
        let reason = reason(for: code, text: lowered, wording: wording)
        switch code.klass {
        case 2:
            return (nil, "delivered", .delivered)
        case 4:
            if permanent || reason == "expired" { return ("soft", reason, .softBounce) }
            return (nil, reason, .deferral)
        default:
            if reason == "mailbox_full" || reason == "expired" { return ("soft", reason, .softBounce) }
            return ("hard", reason, .hardBounce)
        }
    }

    /// The enhanced status code found in a free text (`... said: 550 5.1.1 <x>: ...`), as `c.s.d`.
    public static func enhancedStatus(in text: String) -> String? {
        EnhancedStatus(searching: text)?.text
    }

    /// No enhanced code anywhere: the basic reply code, then the wording decide.
    private static func classifyWithoutCode(text: [UInt8], wording: String?, permanent: Bool) -> BounceClassification {
        let basic = basicReplyClass(text)
        let reason = wording ?? "other"
        switch basic {
        case 2:
            return (nil, "delivered", .delivered)
        case 4:
            if permanent || reason == "expired" { return ("soft", reason, .softBounce) }
            return (nil, reason, .deferral)
        case 5:
            if reason == "mailbox_full" || reason == "expired" { return ("soft", reason, .softBounce) }
            return ("hard", reason, .hardBounce)
        default:
            if reason == "mailbox_full" || reason == "expired" || reason == "greylisted" || reason == "network" {
                return permanent ? ("soft", reason, .softBounce) : (nil, reason, .deferral)
            }
            return permanent ? ("hard", reason, .hardBounce) : (nil, reason, .deferral)
        }
    }

    /// The reason word for an enhanced code, refined by the text where the code is unspecific.
    private static func reason(for code: EnhancedStatus, text: [UInt8], wording: String?) -> String {
        let saysSpam = wording == "spam"
        switch code.subject {
        case 1:
            if code.detail == 2 { return "host_unknown" }
            return "user_unknown"
        case 2:
            switch code.detail {
            case 2: return "mailbox_full"
            case 3: return "too_large"
            default: return code.detail == 0 ? (wording ?? "user_unknown") : "user_unknown"
            }
        case 3:
            if code.detail == 4 { return "too_large" }
            return wording ?? "other"
        case 4:
            switch code.detail {
            case 4: return "host_unknown"
            case 7: return "expired"
            default: return wording == "expired" ? "expired" : "network"
            }
        case 7:
            if saysSpam { return "spam" }
            if (20...29).contains(code.detail) || wording == "auth" { return "auth" }
            if wording == "greylisted" { return "greylisted" }
            return "policy"
        case 6:
            return saysSpam ? "spam" : (wording ?? "other")
        default:
            // x.0.x and x.5.x say little; the wording may say more.
            return wording ?? "other"
        }
    }

    /// A reason read from the wording alone (lower-cased text), or nil.
    private static func reasonFromWording(_ text: [UInt8]) -> String? {
        guard !text.isEmpty else { return nil }
        return text.withUnsafeBytes { haystack in
            for (reason, phrases) in wordingBytes
            where phrases.contains(where: { phrase in
                phrase.withUnsafeBytes { contains(haystack, $0) }
            }) {
                return reason
            }
            return nil
        }
    }

    /// Whether `needle` occurs in `haystack` (memchr for the first byte, memcmp for the rest).
    private static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        guard let h = haystack.baseAddress, let n = needle.baseAddress, needle.count > 0 else { return needle.isEmpty }
        let first = Int32(needle[0])
        var i = 0
        while i + needle.count <= haystack.count {
            guard let hit = memchr(h + i, first, haystack.count - needle.count + 1 - i) else { return false }
            let at = h.distance(to: UnsafeRawPointer(hit))
            if memcmp(h + at, n, needle.count) == 0 { return true }
            i = at + 1
        }
        return false
    }

    /// ASCII lower-casing at byte level (the phrases are ASCII; other bytes stay as they are).
    private static func asciiLowercased(_ text: String) -> [UInt8] {
        text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    private static let wordingBytes: [(String, [[UInt8]])] = wordingTable.map { ($0.0, $0.1.map { Array($0.utf8) }) }

    /// Phrases in the order they are tried: the most specific meaning first.
    private static let wordingTable: [(String, [String])] = [
        ("spam", ["spam"]),
        ("greylisted", ["greylist", "graylist", "grey-list", "gray-list"]),
        ("auth", ["spf", "dkim", "dmarc"]),
        ("mailbox_full", ["mailbox full", "mailbox is full", "over quota", "quota exceeded", "insufficient storage"]),
        ("too_large", ["too large", "too big", "size limit", "message size exceeds"]),
        ("user_unknown", [
            "user unknown", "unknown user", "no such user", "does not exist", "recipient not found",
            "invalid recipient", "no mailbox", "mailbox unavailable", "recipnotfound",
        ]),
        ("host_unknown", ["host not found", "domain not found", "host or domain name not found", "no mx", "name service error"]),
        ("expired", ["expired", "too long in queue", "delivery time"]),
        ("network", ["connection refused", "timed out", "connection reset", "lost connection", "network is unreachable"]),
        ("policy", ["blocked", "blacklist", "blocklist", "denied", "policy", "not allowed"]),
    ]

    /// The class of the first basic SMTP reply code (`550 ...`, `said: 452 ...`) in the text, or nil.
    private static func basicReplyClass(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i + 2 < bytes.count {
            let atStart = i == 0 || !isDigit(bytes[i - 1])
            let after = i + 3 < bytes.count ? bytes[i + 3] : UInt8(ascii: " ")
            if atStart, (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(bytes[i]), isDigit(bytes[i + 1]),
                isDigit(bytes[i + 2]), after == UInt8(ascii: " ") || after == UInt8(ascii: "-")
            {
                return Int(bytes[i] - UInt8(ascii: "0"))
            }
            i += 1
        }
        return nil
    }
}

/// An RFC 3463 `class.subject.detail` code.
struct EnhancedStatus: Hashable {
    var klass: Int
    var subject: Int
    var detail: Int

    var text: String { "\(klass).\(subject).\(detail)" }

    /// Parses a code that is the whole string (spaces around allowed).
    init?(parsing string: String) {
        let bytes = Array(string.utf8)
        var start = 0
        while start < bytes.count, bytes[start] == UInt8(ascii: " ") { start += 1 }
        guard let (code, end) = EnhancedStatus.scan(bytes, at: start) else { return nil }
        var rest = end
        while rest < bytes.count, bytes[rest] == UInt8(ascii: " ") { rest += 1 }
        guard rest == bytes.count else { return nil }
        self = code
    }

    /// Finds the first code in a text (`550 5.1.1 <x>`, `(#5.5.0)`), not part of a longer number.
    init?(searching string: String) {
        let bytes = Array(string.utf8)
        var i = 0
        while i < bytes.count {
            let boundary = i == 0 || !(isDigit(bytes[i - 1]) || bytes[i - 1] == UInt8(ascii: "."))
            if boundary, let (code, end) = EnhancedStatus.scan(bytes, at: i),
                end == bytes.count || !(bytes[end] == UInt8(ascii: ".") && end + 1 < bytes.count && isDigit(bytes[end + 1]))
            {
                self = code
                return
            }
            i += 1
        }
        return nil
    }

    /// Scans `d.ddd.ddd` at `start`; class must be 2, 4 or 5.
    private static func scan(_ bytes: [UInt8], at start: Int) -> (EnhancedStatus, Int)? {
        guard start < bytes.count else { return nil }
        let klass = bytes[start]
        guard klass == UInt8(ascii: "2") || klass == UInt8(ascii: "4") || klass == UInt8(ascii: "5") else { return nil }
        var i = start + 1
        guard i < bytes.count, bytes[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        guard let (subject, afterSubject) = number(bytes, at: i) else { return nil }
        i = afterSubject
        guard i < bytes.count, bytes[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        guard let (detail, afterDetail) = number(bytes, at: i) else { return nil }
        return (EnhancedStatus(klass: Int(klass - UInt8(ascii: "0")), subject: subject, detail: detail), afterDetail)
    }

    /// One to three digits at `start`.
    private static func number(_ bytes: [UInt8], at start: Int) -> (Int, Int)? {
        var value = 0
        var i = start
        while i < bytes.count, i - start < 3, isDigit(bytes[i]) {
            value = value * 10 + Int(bytes[i] - UInt8(ascii: "0"))
            i += 1
        }
        return i == start ? nil : (value, i)
    }

    private init(klass: Int, subject: Int, detail: Int) {
        self.klass = klass
        self.subject = subject
        self.detail = detail
    }
}

@inline(__always)
func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
