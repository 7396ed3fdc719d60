/// What the parser made of one line.
public enum PostfixParseResult: Sendable, Hashable {
    /// A Postfix line (possibly one without tracking use: `payload == .other`).
    case line(PostfixLogLine)
    /// A well-formed syslog line of another program, or an empty line: skipped, counted.
    case notPostfix
    /// Not a syslog line at all, or a Postfix line whose known shape is broken: quarantine it.
    case malformed(reason: String)
}

/// Parses Postfix log lines at byte level (no regex, no splitting into arrays).
///
/// Grammar (SOURCES.md §1.4):
/// `<time> <host> <syslog_name>/<service>[<pid>]: [<QUEUEID>: | NOQUEUE: ]<payload>`
/// where `<time>` is `Mmm dd HH:MM:SS` (year / zone inferred, see
/// `PostfixTimestampParser`) or RFC 3339. A tag whose first element does not start
/// with `postfix` is another program's line (`.notPostfix`).
///
/// Set `referenceTime` to "now" while tailing and to the file's mtime while
/// backfilling a file: it decides the year of syslog timestamps.
public struct PostfixLineParser: Sendable {
    private var clock: PostfixTimestampParser

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

    /// Parses a line given as text (convenience for tests and small inputs).
    public mutating func parse(_ line: String) -> PostfixParseResult {
        var copy = line
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Parses one line (with or without its trailing newline).
    public mutating func parse(_ line: UnsafeRawBufferPointer) -> PostfixParseResult {
        guard let start = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .notPostfix }
        var count = line.count
        while count > 0, start[count - 1] == UInt8(ascii: "\n") || start[count - 1] == UInt8(ascii: "\r") { count -= 1 }
        let b = PostfixBytes(base: start, count: count)
        return parse(b)
    }

    private mutating func parse(_ b: PostfixBytes) -> PostfixParseResult {
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
        guard let colon = b.find(UInt8(ascii: ":"), from: tagStart), colon > tagStart else {
            return .malformed(reason: "no program tag")
        }
        guard b.has("postfix", at: tagStart) else { return .notPostfix }
        // The tag must be one word: `postfix/smtp[123]`, `postfix-out/submission/smtpd[9]`.
        guard b.find(UInt8(ascii: " "), from: tagStart, end: colon) == nil else { return .notPostfix }
        var tagEnd = colon
        var pid: Int?
        if b[colon - 1] == UInt8(ascii: "]"), let open = b.findLast(UInt8(ascii: "["), from: tagStart, end: colon - 1) {
            guard let value = b.integer(open + 1, colon - 1) else { return .malformed(reason: "bad pid in tag") }
            pid = value
            tagEnd = open
        }
        let serviceStart = (b.findLast(UInt8(ascii: "/"), from: tagStart, end: tagEnd)).map { $0 + 1 } ?? tagStart
        let service = PostfixLineParser.service(b, serviceStart, tagEnd)
        var message = colon + 1
        if message < b.count, b[message] == UInt8(ascii: " ") { message += 1 }

        var queueId: String?
        if let (qidEnd, isQueueId) = queueIdToken(b, at: message) {
            if isQueueId { queueId = b.string(message, qidEnd) }
            message = qidEnd + 1
            if message < b.count, b[message] == UInt8(ascii: " ") { message += 1 }
        }
        let host = b.string(hostStart, hostEnd)
        switch payload(b, from: message, service: service, hasQueueId: queueId != nil) {
        case .success(let payload):
            return .line(
                PostfixLogLine(
                    timestamp: timestamp, host: host, service: service, pid: pid, queueId: queueId, payload: payload))
        case .failure(let failure):
            return .malformed(reason: failure.reason)
        }
    }

    /// A queue id or `NOQUEUE` followed by `:` at `at`: its end and whether it is a real id.
    private func queueIdToken(_ b: PostfixBytes, at: Int) -> (Int, Bool)? {
        var i = at
        var upperHex = true
        var vowel = false
        var hasZ = false
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "F"): break
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
                // A vowel check for A and E happens below via upperHex (they are hex digits).
                let length = i - at
                guard c == UInt8(ascii: ":"), i + 1 == b.count || b[i + 1] == UInt8(ascii: " ") else { return nil }
                if length == 7, b.has("NOQUEUE", at: at) { return (i, false) }
                // Short ids: upper-case hex (6+). Long ids: no vowels, a `z` separator, 12+ chars.
                if upperHex, length >= 6 { return (i, true) }
                let hasUpperVowel = b.find(UInt8(ascii: "A"), from: at, end: i) != nil
                    || b.find(UInt8(ascii: "E"), from: at, end: i) != nil
                if !vowel, !hasUpperVowel, hasZ, length >= 12 { return (i, true) }
                return nil
            }
            i += 1
        }
        return nil
    }

    private static func service(_ b: PostfixBytes, _ from: Int, _ to: Int) -> PostfixService {
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
        return .other(b.string(from, to))
    }

    // MARK: payloads

    private struct Failure: Error {
        var reason: String
    }

    private func payload(_ b: PostfixBytes, from m: Int, service: PostfixService, hasQueueId: Bool)
        -> Result<PostfixPayload, Failure>
    {
        if hasQueueId, b.has("to=<", at: m) { return delivery(b, from: m).map(PostfixPayload.delivery) }
        switch service {
        case .cleanup:
            if b.has("message-id=", at: m) { return .success(.messageId(PostfixLineParser.angleValue(b, m + 11, b.count))) }
            if b.has("info: header ", at: m) { return header(b, from: m + 13) }
            if b.has("warning: header ", at: m) { return header(b, from: m + 16) }
            if b.has("reject: ", at: m) { return .success(.reject(reject(b, from: m + 8))) }
            if b.has("milter-reject: ", at: m) { return .success(.reject(reject(b, from: m + 15))) }
        case .qmgr:
            if hasQueueId, b.has("from=<", at: m) { return qmgr(b, from: m) }
            if hasQueueId, b.has("removed", at: m), m + 7 == b.count { return .success(.removed) }
        case .postsuper:
            if hasQueueId, b.has("removed", at: m), m + 7 == b.count { return .success(.removed) }
        case .bounce:
            if hasQueueId { return notification(b, from: m) }
        case .smtpd:
            if b.has("client=", at: m) {
                let end = b.find(",", from: m + 7) ?? b.count
                return .success(.client(b.string(m + 7, end)))
            }
            if b.has("reject: ", at: m) { return .success(.reject(reject(b, from: m + 8))) }
            if b.has("milter-reject: ", at: m) { return .success(.reject(reject(b, from: m + 15))) }
        case .pickup:
            if hasQueueId, b.has("uid=", at: m) {
                guard let from = b.find(" from=<", from: m) else { return .failure(Failure(reason: "pickup line without from=")) }
                return .success(.pickup(from: PostfixLineParser.angleValue(b, from + 6, b.count)))
            }
        case .smtp, .lmtp, .local, .virtual, .pipe, .error, .discard, .retry, .other:
            break
        }
        return .success(.other)
    }

    /// `to=<a>, orig_to=<b>, relay=r, delay=d, delays=a/b/c/d, dsn=x.y.z, status=word (text)`.
    private func delivery(_ b: PostfixBytes, from m: Int) -> Result<PostfixDelivery, Failure> {
        var to: String?
        var origTo: String?
        var relay: String?
        var delay: String?
        var delays: String?
        var dsn: String?
        var i = m
        while i < b.count {
            guard let eq = b.find(UInt8(ascii: "="), from: i) else { break }
            let keyStart = i
            let valueStart = eq + 1
            let valueEnd: Int
            if valueStart < b.count, b[valueStart] == UInt8(ascii: "<") {
                guard let close = b.find(UInt8(ascii: ">"), from: valueStart) else {
                    return .failure(Failure(reason: "unterminated <address> in delivery line"))
                }
                valueEnd = close + 1
            } else {
                var j = valueStart
                while j < b.count, b[j] != UInt8(ascii: ","), b[j] != UInt8(ascii: " ") { j += 1 }
                valueEnd = j
            }
            let keyLength = eq - keyStart
            if keyLength == 6, b.has("status", at: keyStart) {
                return finishDelivery(
                    b, statusStart: valueStart, statusEnd: valueEnd, to: to, origTo: origTo, relay: relay, delay: delay,
                    delays: delays, dsn: dsn)
            }
            switch keyLength {
            case 2 where b.has("to", at: keyStart): to = PostfixLineParser.angleValue(b, valueStart, valueEnd)
            case 7 where b.has("orig_to", at: keyStart): origTo = PostfixLineParser.angleValue(b, valueStart, valueEnd)
            case 5 where b.has("relay", at: keyStart): relay = b.string(valueStart, valueEnd)
            case 5 where b.has("delay", at: keyStart): delay = b.string(valueStart, valueEnd)
            case 6 where b.has("delays", at: keyStart): delays = b.string(valueStart, valueEnd)
            case 3 where b.has("dsn", at: keyStart): dsn = b.string(valueStart, valueEnd)
            default: break  // conn_use=, and whatever later versions add
            }
            guard valueEnd < b.count else { break }
            guard b.has(", ", at: valueEnd) else { return .failure(Failure(reason: "delivery line: expected ', ' after a field")) }
            i = valueEnd + 2
        }
        return .failure(Failure(reason: "delivery line without status="))
    }

    private func finishDelivery(
        _ b: PostfixBytes, statusStart: Int, statusEnd: Int, to: String?, origTo: String?, relay: String?, delay: String?,
        delays: String?, dsn: String?
    ) -> Result<PostfixDelivery, Failure> {
        guard let to else { return .failure(Failure(reason: "delivery line without to=")) }
        guard let status = PostfixDelivery.Status(rawValue: b.string(statusStart, statusEnd)) else {
            return .failure(Failure(reason: "delivery line with unknown status"))
        }
        var text: String?
        if b.has(" (", at: statusEnd) {
            let close = b[b.count - 1] == UInt8(ascii: ")") ? b.count - 1 : b.count
            text = b.string(statusEnd + 2, close)
        } else if b.has(", ", at: statusEnd) {
            text = b.string(statusEnd + 2, b.count)
        }
        return .success(
            PostfixDelivery(
                to: to, origTo: origTo, relay: relay, delay: delay, delays: delays, dsn: dsn, status: status, text: text))
    }

    /// `from=<a>, size=N, nrcpt=N (queue active)` or `from=<a>, status=expired, returned to sender`.
    private func qmgr(_ b: PostfixBytes, from m: Int) -> Result<PostfixPayload, Failure> {
        guard let close = b.find(UInt8(ascii: ">"), from: m + 5) else { return .failure(Failure(reason: "qmgr: unterminated from=<")) }
        let from = b.string(m + 6, close)
        var i = close + 1
        guard b.has(", ", at: i) else { return .failure(Failure(reason: "qmgr: expected ', ' after from=")) }
        i += 2
        if b.has("status=expired", at: i) { return .success(.expired(from: from)) }
        guard b.has("size=", at: i), let sizeEnd = b.find(UInt8(ascii: ","), from: i),
            let size = b.integer(i + 5, sizeEnd), b.has(", nrcpt=", at: sizeEnd)
        else {
            // Other qmgr from= variants carry nothing the tracking needs.
            return .success(.other)
        }
        let nStart = sizeEnd + 8
        var nEnd = nStart
        while nEnd < b.count, isDigit(b[nEnd]) { nEnd += 1 }
        guard let recipients = b.integer(nStart, nEnd) else { return .failure(Failure(reason: "qmgr: bad nrcpt=")) }
        return .success(.queueActive(from: from, size: size, recipients: recipients))
    }

    /// `info: header NAME: VALUE from HOST; from=<..> to=<..> ...` (after the `info: header ` prefix).
    private func header(_ b: PostfixBytes, from m: Int) -> Result<PostfixPayload, Failure> {
        guard let colon = b.find(UInt8(ascii: ":"), from: m), colon > m else {
            return .failure(Failure(reason: "header log line without 'NAME:'"))
        }
        let name = b.string(m, colon)
        var valueStart = colon + 1
        if valueStart < b.count, b[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        // The value ends at the last " from " before "; from=<" (the value itself may contain " from ").
        let tail = b.findLast("; from=<", from: valueStart, end: b.count) ?? b.count
        let valueEnd = b.findLast(" from ", from: valueStart, end: tail) ?? tail
        return .success(.header(name: name, value: b.string(valueStart, valueEnd)))
    }

    /// `sender non-delivery notification: NEWQID` and the other kinds.
    private func notification(_ b: PostfixBytes, from m: Int) -> Result<PostfixPayload, Failure> {
        for kind in PostfixNotificationKind.allCases {
            let prefix = kind.prefix
            guard b.has(prefix, at: m) else { continue }
            let start = m + prefix.utf8CodeUnitCount
            guard start < b.count else { return .failure(Failure(reason: "notification line without new queue id")) }
            return .success(.notification(kind: kind, newQueueId: b.string(start, b.count)))
        }
        return .success(.other)
    }

    /// `RCPT from host[ip]: 550 5.1.1 <x>: text; from=<a> to=<b> proto=ESMTP helo=<h>` (after `reject: `).
    private func reject(_ b: PostfixBytes, from m: Int) -> PostfixReject {
        let stageEnd = b.find(UInt8(ascii: " "), from: m) ?? b.count
        let stage = b.string(m, stageEnd)
        let tail = b.findLast("; from=<", from: m, end: b.count)
        var textStart = stageEnd
        if let colon = b.find("]: ", from: stageEnd, end: tail ?? b.count) { textStart = colon + 3 }
        while textStart < b.count, b[textStart] == UInt8(ascii: " ") { textStart += 1 }
        let text = b.string(textStart, tail ?? b.count)
        var from: String?
        var to: String?
        if let tail {
            from = PostfixLineParser.angleValue(b, tail + 7, b.count)
            if let toStart = b.find(" to=<", from: tail) { to = PostfixLineParser.angleValue(b, toStart + 4, b.count) }
        }
        return PostfixReject(
            stage: stage, text: text, dsn: BounceClassifier.enhancedStatus(in: text), from: from, to: to)
    }

    /// `<value>` starting at `from` (up to `>` within `end`), else the bare word up to `,`/space/`end`.
    private static func angleValue(_ b: PostfixBytes, _ from: Int, _ end: Int) -> String {
        if from < end, b[from] == UInt8(ascii: "<") {
            let close = b.find(UInt8(ascii: ">"), from: from + 1, end: end) ?? end
            return b.string(from + 1, close)
        }
        var i = from
        while i < end, b[i] != UInt8(ascii: ","), b[i] != UInt8(ascii: " ") { i += 1 }
        return b.string(from, i)
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
