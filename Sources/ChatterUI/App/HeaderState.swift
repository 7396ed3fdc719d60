// What the header line shows: the poller's state and the figures beside it.

/// The poller's state as the header shows it.
public enum PollerState: Sendable, Hashable {
    case live
    case paused
    /// Failing, with the last error (sanitised when applied).
    case failing(String)
    /// No poller report yet.
    case unknown
    /// No source configured (config.toml has none): nothing is read.
    case off
}

/// How the front hears that the store changed: told by the store as each
/// commit lands (live), or by looking at it every few tenths of a second.
public enum ChangeFeed: Sendable, Hashable {
    /// Not reported yet.
    case unknown
    /// The store tells of each commit (a server's notifications).
    case live
    /// The store is looked at every `every` seconds (SQLite's `PRAGMA data_version`).
    case polling(every: Double)
}

/// What the header line shows besides "me".
public struct HeaderInfo: Sendable, Hashable {
    public var poller: PollerState = .unknown
    /// Time of the last applied event (UTC epoch seconds).
    public var lastEventAt: Double?
    /// Errors the poller met since start.
    public var errors: Int = 0
    /// Bad inputs set aside (quarantined).
    public var quarantined: Int = 0
    /// Events that matched no tracking row.
    public var unmatched: Int = 0
    /// Receiving domains that started refusing our mail (the banner), worst first.
    public var refusals: [Refusal] = []
    /// The outbox's pending work (nil until counted).
    public var outbox: OutboxInfo?
    /// Whether anything sends the outbox.
    public var sender: SenderState = .unknown
    /// How the front hears of store changes (kept for the header; not drawn yet).
    public var changes: ChangeFeed = .unknown

    public init() {}
}

/// A poller report, as the loop sends it in `Msg.pollerStatus`.
public struct PollerInfo: Sendable, Hashable {
    public var state: PollerState
    public var lastEventAt: Double?
    public var errors: Int
    public var quarantined: Int
    public var unmatched: Int

    public init(state: PollerState, lastEventAt: Double?, errors: Int, quarantined: Int, unmatched: Int) {
        self.state = state
        self.lastEventAt = lastEventAt
        self.errors = errors
        self.quarantined = quarantined
        self.unmatched = unmatched
    }
}
