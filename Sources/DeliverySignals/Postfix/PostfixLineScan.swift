/// One Postfix line located and decoded without copying any text: byte ranges into
/// the line plus the decoded numbers and words, as `PostfixLineParser.scan` makes it
/// (no allocation for a valid line). The one form of a Postfix line: the correlator
/// copies out only the fields it keeps, tests read the spans.
///
/// Spans index the line's bytes as given to `scan` (trailing newline excluded);
/// an absent field is `PostfixSpan.none`.
public struct PostfixLineScan: Sendable, Hashable {
    public var timestamp: Double
    public var host: PostfixSpan
    /// The service (the last element of the syslog tag: `postfix/submission/smtpd` → smtpd);
    /// `other` for services the tracking does not read (the name is in `serviceName`).
    public var service: PostfixService
    /// The service's name as logged.
    public var serviceName: PostfixSpan
    public var pid: Int?
    public var queueId: PostfixSpan
    public var kind: Kind

    /// What the line says, for the kinds the tracking needs; everything else is `other`.
    public enum Kind: Sendable, Hashable {
        /// A delivery agent's per-recipient outcome (`to=<...>, relay=..., status=...`).
        case delivery(Delivery)
        /// `cleanup`: `message-id=<...>` (angle brackets excluded; may be empty).
        case messageId(PostfixSpan)
        /// `cleanup`: `info: header NAME: VALUE from ...` (a `header_checks` INFO / WARN rule).
        case header(name: PostfixSpan, value: PostfixSpan)
        /// `qmgr`: `from=<...>, size=N, nrcpt=N (queue active)`.
        case queueActive(from: PostfixSpan, size: Int, recipients: Int)
        /// `qmgr`: `from=<...>, status=expired, returned to sender` (message-level, no recipient).
        case expired(from: PostfixSpan)
        /// `qmgr` / `postsuper`: `removed`: the end of this queue id's life.
        case removed
        /// `bounce`: `sender non-delivery notification: NEWQID` and friends.
        case notification(kind: PostfixNotificationKind, newQueueId: PostfixSpan)
        /// `smtpd`: `client=host[ip]`: the message entered over SMTP.
        case client(PostfixSpan)
        /// `pickup`: `uid=N from=<...>`: the message entered through sendmail(1).
        case pickup(from: PostfixSpan)
        /// `smtpd` / `cleanup`: `reject: ...` / `milter-reject: ...` at submission (`NOQUEUE` or a queue
        /// id): the SMTP stage or cleanup action (`RCPT`, `header`...), the reply text, `from=` and `to=`.
        case reject(stage: PostfixSpan, text: PostfixSpan, from: PostfixSpan, to: PostfixSpan)
        /// A well-formed Postfix line without tracking use (connect, warning, statistics...).
        case other
    }

    /// The fields of a delivery line (`PostfixDelivery`), as ranges.
    public struct Delivery: Sendable, Hashable {
        public var to: PostfixSpan
        public var origTo: PostfixSpan
        public var relay: PostfixSpan
        public var delay: PostfixSpan
        public var delays: PostfixSpan
        public var dsn: PostfixSpan
        public var status: PostfixDelivery.Status
        public var text: PostfixSpan
    }
}

/// A byte range of a scanned line, or none (8 bytes, so scans stay small and cheap to copy).
public struct PostfixSpan: Sendable, Hashable {
    public let start: UInt32
    public let end: UInt32

    /// No such field in the line.
    public static let none = PostfixSpan(start: .max, end: .max)

    init(start: UInt32, end: UInt32) {
        self.start = start
        self.end = end
    }

    init(_ start: Int, _ end: Int) {
        self.init(start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: max(start, end)))
    }

    public var isPresent: Bool { start != .max }

    /// The range of bytes, or nil for `none`.
    public var range: Range<Int>? { isPresent ? Int(start)..<Int(end) : nil }
}

/// What the scanner made of one line.
public enum PostfixScanResult: Sendable, Hashable {
    case line(PostfixLineScan)
    case notPostfix
    case malformed(reason: String)
}
