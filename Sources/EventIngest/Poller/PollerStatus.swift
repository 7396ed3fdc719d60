import TrackingModel

/// What the poller is doing, for the front's header and `chatter poll`'s log.
public struct PollerStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// Running, every source read fine on the last round.
        case live
        /// Not running (not started, or stopped).
        case paused
        /// Running, but at least one source failed on the last round (retried with backoff).
        case failing
    }

    public var state: State
    /// The latest timestamp of an applied event since the poller started.
    public var lastEventTime: Double?
    /// The latest error of a failing source (`source: reason`).
    public var error: String?
    /// Counts since the poller was made.
    public var totals: PollReport

    public init(state: State, lastEventTime: Double? = nil, error: String? = nil, totals: PollReport = PollReport()) {
        self.state = state
        self.lastEventTime = lastEventTime
        self.error = error
        self.totals = totals
    }
}
