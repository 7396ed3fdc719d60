/// Whether anything sends the outbox while the front runs, as the runtime found at start.
public enum SenderState: Sendable, Hashable {
    /// Not reported yet.
    case unknown
    /// The front's own background sender sends it.
    case running
    /// Another process (`chatter send` or `serve`) holds the send lock and sends it.
    case elsewhere
    /// No `[smtp]` in config.toml and no transport given: entries wait for `chatter send`.
    case notConfigured
    /// The configuration could not be used (why).
    case unusable(String)

    /// Nothing sends the queued mail: compose and Retry say so at once.
    var nothingSends: Bool {
        switch self {
        case .notConfigured, .unusable: return true
        case .unknown, .running, .elsewhere: return false
        }
    }
}

/// The outbox's pending work, for the header (answer to `.loadCounts`).
public struct OutboxInfo: Sendable, Hashable {
    public var queued: Int
    public var sending: Int
    /// Queued again after a failed attempt (unreachable server, 4xx).
    public var failing: Int

    public init(queued: Int, sending: Int, failing: Int) {
        self.queued = queued
        self.sending = sending
        self.failing = failing
    }
}

/// What the front says about queued mail when nothing sends it.
let noSenderText = "queued: no sender configured; run `chatter send` or set [smtp]"

/// The header's outbox segment: "outbox 2 queued · 1 sending · 1 failing",
/// "(no sender)" when nothing sends; nil when there is nothing to say.
func outboxSegment(_ header: HeaderInfo, _ g: Glyphs) -> [Piece]? {
    let o = header.outbox ?? OutboxInfo(queued: 0, sending: 0, failing: 0)
    var parts: [Piece] = []
    if o.queued > 0 { parts.append(Piece("\(o.queued) queued", header.sender.nothingSends ? .warning : .header)) }
    if o.sending > 0 { parts.append(Piece("\(o.sending) sending", .header)) }
    if o.failing > 0 { parts.append(Piece("\(o.failing) failing", .danger)) }
    var spans: [Piece] = []
    for part in parts {
        spans.append(Piece(spans.isEmpty ? "outbox " : " \(g.dot) ", .header))
        spans.append(part)
    }
    if header.sender.nothingSends {
        spans.append(Piece(spans.isEmpty ? "outbox: no sender" : " (no sender)", .warning))
    }
    return spans.isEmpty ? nil : spans
}

extension SenderState {
    /// The reason text cleaned for the screen.
    var cleaned: SenderState {
        switch self {
        case .unknown, .running, .elsewhere, .notConfigured: return self
        case .unusable(let why): return .unusable(clean(why))
        }
    }
}
