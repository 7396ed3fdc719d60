import TrackingModel
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
/// Two stages: `scan` locates and decodes every field without copying text (see
/// `PostfixLineScan`), `parse` then copies the fields out into a `PostfixLogLine`.
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
        switch scan(b) {
        case .notPostfix: return .notPostfix
        case .malformed(let reason): return .malformed(reason: reason)
        case .line(let scanned): return .line(PostfixLineParser.materialize(scanned, b))
        }
    }

    /// Copies the scanned fields out of the line.
    static func materialize(_ s: PostfixLineScan, _ b: PostfixBytes) -> PostfixLogLine {
        func text(_ span: PostfixSpan) -> String { b.string(Int(span.start), Int(span.end)) }
        func optionalText(_ span: PostfixSpan) -> String? { b.optionalText(span) }
        let payload: PostfixPayload
        switch s.kind {
        case .delivery(let d): payload = .delivery(delivery(d, b))
        case .messageId(let r): payload = .messageId(text(r))
        case .header(let name, let value): payload = .header(name: text(name), value: text(value))
        case .queueActive(let from, let size, let recipients):
            payload = .queueActive(from: text(from), size: size, recipients: recipients)
        case .expired(let from): payload = .expired(from: text(from))
        case .removed: payload = .removed
        case .notification(let kind, let newQueueId): payload = .notification(kind: kind, newQueueId: text(newQueueId))
        case .client(let r): payload = .client(text(r))
        case .pickup(let from): payload = .pickup(from: text(from))
        case .reject(let stage, let reply, let from, let to):
            let replyText = text(reply)
            payload = .reject(
                PostfixReject(
                    stage: text(stage), text: replyText, dsn: FailureClassifier.enhancedStatus(in: replyText),
                    from: optionalText(from), to: optionalText(to)))
        case .other: payload = .other
        }
        return PostfixLogLine(
            timestamp: s.timestamp, host: text(s.host), service: s.service ?? .other(text(s.serviceName)), pid: s.pid,
            queueId: optionalText(s.queueId), payload: payload)
    }

    /// Copies a delivery's fields out of the line.
    static func delivery(_ d: PostfixLineScan.Delivery, _ b: PostfixBytes) -> PostfixDelivery {
        PostfixDelivery(
            to: b.string(Int(d.to.start), Int(d.to.end)), origTo: b.optionalText(d.origTo), relay: b.optionalText(d.relay),
            delay: b.optionalText(d.delay), delays: b.optionalText(d.delays), dsn: b.optionalText(d.dsn), status: d.status,
            text: b.optionalText(d.text))
    }
}
