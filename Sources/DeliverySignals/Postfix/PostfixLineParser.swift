import TrackingModel

/// Parses Postfix log lines at byte level (no regex, no splitting into arrays).
///
/// `scan` locates and decodes every field without copying text (see `PostfixLineScan`).
///
/// Grammar (of Postfix's own logging, as captured in `Tests/Fixtures/postfix/postfix.log`):
/// `<time> <host> <syslog_name>/<service>[<pid>]: [<QUEUEID>: | NOQUEUE: ]<payload>`
/// where `<time>` is `Mmm dd HH:MM:SS` (year / zone inferred, see
/// `PostfixTimestampParser`) or RFC 3339. A tag whose first element does not start
/// with `postfix` is another program's line (`.notPostfix`).
///
/// Set `referenceTime` to "now" while tailing and to the file's mtime while
/// backfilling a file: it decides the year of syslog timestamps.
public struct PostfixLineParser: Sendable {
    var clock: PostfixTimestampParser

    /// - Parameters:
    ///   - referenceTime: UTC epoch seconds that no line is more than a day after (now / file mtime).
    ///   - zone: the zone of timestamps without one (syslog style). Default UTC.
    public init(referenceTime: Double, zone: PostfixTimeZone = .utc) {
        clock = PostfixTimestampParser(referenceTime: referenceTime, zone: zone)
    }

    /// The year-inference reference (see `init`); move it forward while tailing.
    public var referenceTime: Double {
        get { clock.referenceTime }
        set { clock.referenceTime = newValue }
    }
}

extension PostfixLineParser {
    /// Locates and decodes the fields of one line without copying text (no allocation for valid lines).
    public mutating func scan(_ line: UnsafeRawBufferPointer) -> PostfixScanResult {
        guard let start = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .notPostfix }
        var count = line.count
        while count > 0, start[count - 1] == UInt8(ascii: "\n") || start[count - 1] == UInt8(ascii: "\r") { count -= 1 }
        return scan(PostfixBytes(base: start, count: count))
    }

    package mutating func scan(_ b: PostfixBytes) -> PostfixScanResult {
        var blank = true
        for i in 0..<min(b.count, 64) where b[i] != UInt8(ascii: " ") && b[i] != UInt8(ascii: "\t") {
            blank = false
            break
        }
        if blank { return .notPostfix }
        guard let (timestamp, afterTime) = clock.parse(b) else { return .malformed(reason: "no syslog or RFC 3339 timestamp") }
        guard afterTime < b.count, b[afterTime] == UInt8(ascii: " ") else { return .malformed(reason: "no host field") }
        let hostStart = afterTime + 1
        guard let hostEnd = b.find(UInt8(ascii: " "), from: hostStart), hostEnd > hostStart else {
            return .malformed(reason: "no host field")
        }
        let tagStart = hostEnd + 1
        // One pass over the tag (`postfix/smtp[123]`, `postfix-out/submission/smtpd[9]`): it ends at ':'
        // and is one word; remember the last '/' and '['.
        var colon = tagStart
        var lastSlash = -1
        var lastBracket = -1
        while colon < b.count {
            let c = b[colon]
            if c == UInt8(ascii: ":") { break }
            if c == UInt8(ascii: " ") {
                // Not a one-word tag: another program's free-form line, or no tag at all.
                return b.find(UInt8(ascii: ":"), from: colon) == nil ? .malformed(reason: "no program tag") : .notPostfix
            }
            if c == UInt8(ascii: "/") { lastSlash = colon }
            if c == UInt8(ascii: "[") { lastBracket = colon }
            colon += 1
        }
        guard colon < b.count, colon > tagStart else { return .malformed(reason: "no program tag") }
        guard b.has("postfix", at: tagStart) else { return .notPostfix }
        var tagEnd = colon
        var pid: Int?
        if b[colon - 1] == UInt8(ascii: "]"), lastBracket >= 0 {
            guard let value = b.integer(lastBracket + 1, colon - 1) else { return .malformed(reason: "bad pid in tag") }
            pid = value
            tagEnd = lastBracket
        }
        let serviceStart = lastSlash >= 0 && lastSlash < tagEnd ? lastSlash + 1 : tagStart
        let service = PostfixLineParser.knownService(b, serviceStart, tagEnd)
        var message = colon + 1
        if message < b.count, b[message] == UInt8(ascii: " ") { message += 1 }

        var queueId = PostfixSpan.none
        if let (qidEnd, isQueueId) = PostfixLineParser.queueIdToken(b, at: message) {
            if isQueueId { queueId = PostfixSpan(message, qidEnd) }
            message = qidEnd + 1
            if message < b.count, b[message] == UInt8(ascii: " ") { message += 1 }
        }
        var failure: String?
        let kind = PostfixLineParser.kind(b, from: message, service: service, hasQueueId: queueId.isPresent, failure: &failure)
        if let failure { return .malformed(reason: failure) }
        return .line(
            PostfixLineScan(
                timestamp: timestamp, host: PostfixSpan(hostStart, hostEnd), service: service, serviceName: PostfixSpan(serviceStart, tagEnd),
                pid: pid, queueId: queueId, kind: kind))
    }

    /// A queue id or `NOQUEUE` followed by `:` at `at`: its end and whether it is a real id.
    ///
    /// Short ids are upper-case hex (6+); long ids (`enable_long_queue_ids`) use an
    /// alphabet without vowels and a `z` separator (12+). Words like `warning:` are neither.
    static func queueIdToken(_ b: PostfixBytes, at: Int) -> (Int, Bool)? {
        // Fast path: the common short id, upper-case hex then ": ".
        var j = at
        while j < b.count, (b[j] &- UInt8(ascii: "0") < 10) || (b[j] &- UInt8(ascii: "A") < 6) { j += 1 }
        if j - at >= 6, j < b.count, b[j] == UInt8(ascii: ":"), j + 1 == b.count || b[j + 1] == UInt8(ascii: " ") {
            return (j, true)
        }
        var i = at
        var upperHex = true
        var vowel = false
        var hasZ = false
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "B")...UInt8(ascii: "D"), UInt8(ascii: "F"):
                break
            case UInt8(ascii: "A"), UInt8(ascii: "E"):
                vowel = true  // still hex
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "G")...UInt8(ascii: "Z"):
                upperHex = false
                switch c {
                case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"),
                    UInt8(ascii: "I"), UInt8(ascii: "O"), UInt8(ascii: "U"):
                    vowel = true
                case UInt8(ascii: "z"): hasZ = true
                default: break
                }
            default:
                let length = i - at
                guard c == UInt8(ascii: ":"), i + 1 == b.count || b[i + 1] == UInt8(ascii: " ") else { return nil }
                if length == 7, b.has("NOQUEUE", at: at) { return (i, false) }
                if upperHex, length >= 6 { return (i, true) }
                if !vowel, hasZ, length >= 12 { return (i, true) }
                return nil
            }
            i += 1
        }
        return nil
    }

    /// The service when it is one the tracking knows, else nil.
    static func knownService(_ b: PostfixBytes, _ from: Int, _ to: Int) -> PostfixService {
        switch to - from {
        case 4:
            if b.has("smtp", at: from) { return .smtp }
            if b.has("lmtp", at: from) { return .lmtp }
            if b.has("qmgr", at: from) { return .qmgr }
            if b.has("pipe", at: from) { return .pipe }
        case 5:
            if b.has("local", at: from) { return .local }
            if b.has("smtpd", at: from) { return .smtpd }
            if b.has("error", at: from) { return .error }
            if b.has("retry", at: from) { return .retry }
        case 6:
            if b.has("bounce", at: from) { return .bounce }
            if b.has("pickup", at: from) { return .pickup }
        case 7:
            if b.has("cleanup", at: from) { return .cleanup }
            if b.has("virtual", at: from) { return .virtual }
            if b.has("discard", at: from) { return .discard }
        case 9:
            if b.has("postsuper", at: from) { return .postsuper }
        default:
            break
        }
        return .other
    }

    // MARK: payloads

    /// The payload's kind; on a broken known shape, `.other` with `failure` set.
    private static func kind(
        _ b: PostfixBytes, from m: Int, service: PostfixService, hasQueueId: Bool, failure: inout String?
    ) -> PostfixLineScan.Kind {
        if hasQueueId, b.has("to=<", at: m) {
            return delivery(b, from: m, failure: &failure).map(PostfixLineScan.Kind.delivery) ?? .other
        }
        switch service {
        case .cleanup:
            if b.has("message-id=", at: m) { return .messageId(angleValue(b, m + 11, b.count)) }
            if b.has("info: header ", at: m) { return header(b, from: m + 13, failure: &failure) }
            if b.has("warning: header ", at: m) { return header(b, from: m + 16, failure: &failure) }
            if b.has("reject: ", at: m) { return reject(b, from: m + 8) }
            if b.has("milter-reject: ", at: m) { return reject(b, from: m + 15) }
        case .qmgr:
            if hasQueueId, b.has("from=<", at: m) { return qmgr(b, from: m, failure: &failure) }
            if hasQueueId, b.has("removed", at: m), m + 7 == b.count { return .removed }
        case .postsuper:
            if hasQueueId, b.has("removed", at: m), m + 7 == b.count { return .removed }
        case .bounce:
            if hasQueueId { return notification(b, from: m, failure: &failure) }
        case .smtpd:
            if b.has("client=", at: m) { return .client(PostfixSpan(m + 7, b.find(",", from: m + 7) ?? b.count)) }
            if b.has("reject: ", at: m) { return reject(b, from: m + 8) }
            if b.has("milter-reject: ", at: m) { return reject(b, from: m + 15) }
        case .pickup:
            if hasQueueId, b.has("uid=", at: m) {
                guard let from = b.find(" from=<", from: m) else {
                    failure = "pickup line without from="
                    return .other
                }
                return .pickup(from: angleValue(b, from + 6, b.count))
            }
        case .smtp, .lmtp, .local, .virtual, .pipe, .error, .discard, .retry, .other:
            break
        }
        return .other
    }

    /// `to=<a>, orig_to=<b>, relay=r, delay=d, delays=a/b/c/d, dsn=x.y.z, status=word (text)`.
    private static func delivery(_ b: PostfixBytes, from m: Int, failure: inout String?) -> PostfixLineScan.Delivery? {
        var to = PostfixSpan.none
        var origTo = PostfixSpan.none
        var relay = PostfixSpan.none
        var delay = PostfixSpan.none
        var delays = PostfixSpan.none
        var dsn = PostfixSpan.none
        var i = m
        while i < b.count {
            guard let eq = b.find(UInt8(ascii: "="), from: i) else { break }
            let keyStart = i
            let valueStart = eq + 1
            let valueEnd: Int
            if valueStart < b.count, b[valueStart] == UInt8(ascii: "<") {
                guard let close = b.find(UInt8(ascii: ">"), from: valueStart) else {
                    failure = "unterminated <address> in delivery line"
                    return nil
                }
                valueEnd = close + 1
            } else {
                var j = valueStart
                while j < b.count, b[j] != UInt8(ascii: ","), b[j] != UInt8(ascii: " ") { j += 1 }
                valueEnd = j
            }
            switch eq - keyStart {
            case 6 where b.has("status", at: keyStart):
                guard to.isPresent else {
                    failure = "delivery line without to="
                    return nil
                }
                guard let status = status(b, valueStart, valueEnd) else {
                    failure = "delivery line with unknown status"
                    return nil
                }
                var text = PostfixSpan.none
                if b.has(" (", at: valueEnd) {
                    text = PostfixSpan(valueEnd + 2, b[b.count - 1] == UInt8(ascii: ")") ? b.count - 1 : b.count)
                } else if b.has(", ", at: valueEnd) {
                    text = PostfixSpan(valueEnd + 2, b.count)
                }
                return PostfixLineScan.Delivery(
                    to: to, origTo: origTo, relay: relay, delay: delay, delays: delays, dsn: dsn, status: status, text: text)
            case 2 where b.has("to", at: keyStart): to = angleValue(b, valueStart, valueEnd)
            case 7 where b.has("orig_to", at: keyStart): origTo = angleValue(b, valueStart, valueEnd)
            case 5 where b.has("relay", at: keyStart): relay = PostfixSpan(valueStart, valueEnd)
            case 5 where b.has("delay", at: keyStart): delay = PostfixSpan(valueStart, valueEnd)
            case 6 where b.has("delays", at: keyStart): delays = PostfixSpan(valueStart, valueEnd)
            case 3 where b.has("dsn", at: keyStart): dsn = PostfixSpan(valueStart, valueEnd)
            default: break  // conn_use=, and whatever later versions add
            }
            guard valueEnd < b.count else { break }
            guard b.has(", ", at: valueEnd) else {
                failure = "delivery line: expected ', ' after a field"
                return nil
            }
            i = valueEnd + 2
        }
        failure = "delivery line without status="
        return nil
    }

    private static func status(_ b: PostfixBytes, _ from: Int, _ to: Int) -> PostfixDelivery.Status? {
        switch to - from {
        case 4: return b.has("sent", at: from) ? .sent : nil
        case 7: return b.has("bounced", at: from) ? .bounced : b.has("expired", at: from) ? .expired : nil
        case 8: return b.has("deferred", at: from) ? .deferred : nil
        case 10: return b.has("SOFTBOUNCE", at: from) ? .softbounce : nil
        case 11: return b.has("deliverable", at: from) ? .deliverable : nil
        case 13: return b.has("undeliverable", at: from) ? .undeliverable : nil
        default: return nil
        }
    }

    /// `from=<a>, size=N, nrcpt=N (queue active)` or `from=<a>, status=expired, returned to sender`.
    private static func qmgr(_ b: PostfixBytes, from m: Int, failure: inout String?) -> PostfixLineScan.Kind {
        guard let close = b.find(UInt8(ascii: ">"), from: m + 5) else {
            failure = "qmgr: unterminated from=<"
            return .other
        }
        let from = PostfixSpan(m + 6, close)
        var i = close + 1
        guard b.has(", ", at: i) else {
            failure = "qmgr: expected ', ' after from="
            return .other
        }
        i += 2
        if b.has("status=expired", at: i) { return .expired(from: from) }
        // Other qmgr from= variants carry nothing the tracking needs.
        guard b.has("size=", at: i), let sizeEnd = b.find(UInt8(ascii: ","), from: i),
            let size = b.integer(i + 5, sizeEnd), b.has(", nrcpt=", at: sizeEnd)
        else { return .other }
        let nStart = sizeEnd + 8
        var nEnd = nStart
        while nEnd < b.count, isDigit(b[nEnd]) { nEnd += 1 }
        guard let recipients = b.integer(nStart, nEnd) else {
            failure = "qmgr: bad nrcpt="
            return .other
        }
        return .queueActive(from: from, size: size, recipients: recipients)
    }

    /// `NAME: VALUE from HOST; from=<..> to=<..> ...` (after the `info: header ` prefix).
    private static func header(_ b: PostfixBytes, from m: Int, failure: inout String?) -> PostfixLineScan.Kind {
        guard let colon = b.find(UInt8(ascii: ":"), from: m), colon > m else {
            failure = "header log line without 'NAME:'"
            return .other
        }
        var valueStart = colon + 1
        if valueStart < b.count, b[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        // The value ends at the last " from " before "; from=<" (the value itself may contain " from ").
        let tail = b.findLast("; from=<", from: valueStart, end: b.count) ?? b.count
        let valueEnd = b.findLast(" from ", from: valueStart, end: tail) ?? tail
        return .header(name: PostfixSpan(m, colon), value: PostfixSpan(valueStart, valueEnd))
    }

    /// `sender non-delivery notification: NEWQID` and the other kinds.
    private static func notification(_ b: PostfixBytes, from m: Int, failure: inout String?) -> PostfixLineScan.Kind {
        for kind in PostfixNotificationKind.allCases {
            let prefix = kind.prefix
            guard b.has(prefix, at: m) else { continue }
            let start = m + prefix.utf8CodeUnitCount
            guard start < b.count else {
                failure = "notification line without new queue id"
                return .other
            }
            return .notification(kind: kind, newQueueId: PostfixSpan(start, b.count))
        }
        return .other
    }

    /// `RCPT from host[ip]: 550 5.1.1 <x>: text; from=<a> to=<b> proto=ESMTP helo=<h>` (after `reject: `).
    private static func reject(_ b: PostfixBytes, from m: Int) -> PostfixLineScan.Kind {
        let stageEnd = b.find(UInt8(ascii: " "), from: m) ?? b.count
        let tail = b.findLast("; from=<", from: m, end: b.count)
        var textStart = stageEnd
        if let colon = b.find("]: ", from: stageEnd, end: tail ?? b.count) { textStart = colon + 3 }
        while textStart < b.count, b[textStart] == UInt8(ascii: " ") { textStart += 1 }
        var from = PostfixSpan.none
        var to = PostfixSpan.none
        if let tail {
            from = angleValue(b, tail + 7, b.count)
            if let toStart = b.find(" to=<", from: tail) { to = angleValue(b, toStart + 4, b.count) }
        }
        return .reject(
            stage: PostfixSpan(m, stageEnd), text: PostfixSpan(textStart, tail ?? b.count), from: from, to: to)
    }

    /// `<value>` starting at `from` (up to `>` within `end`), else the bare word up to `,`/space/`end`.
    private static func angleValue(_ b: PostfixBytes, _ from: Int, _ end: Int) -> PostfixSpan {
        if from < end, b[from] == UInt8(ascii: "<") {
            let close = b.find(UInt8(ascii: ">"), from: from + 1, end: end) ?? end
            return PostfixSpan(from + 1, close)
        }
        var i = from
        while i < end, b[i] != UInt8(ascii: ","), b[i] != UInt8(ascii: " ") { i += 1 }
        return PostfixSpan(from, i)
    }
}

extension PostfixNotificationKind {
    /// The log text up to and including `: ` before the new queue id.
    fileprivate var prefix: StaticString {
        switch self {
        case .nonDelivery: return "sender non-delivery notification: "
        case .delay: return "sender delay notification: "
        case .success: return "sender delivery status notification: "
        case .postmaster: return "postmaster non-delivery notification: "
        }
    }
}
