/// The state of a tracking row and the fields the events write on it, derived
/// from the row's events.
///
/// **State precedence (beyond the reference).** Events are folded in
/// `EventOrder` (timestamp, then type rank, then unique key), never in arrival
/// order, so any arrival order yields the state that in-order arrival yields.
/// The fold step is the reference's "the event sets its state", with three
/// refinements:
/// 1. a progress event (`sent`, `deferral`, `delivered`, `open`, `click`) never
///    moves a row back to an earlier stage of a successful delivery
///    (waiting < sent = deferred < delivered < opened < unsub);
/// 2. a machine open (proxy prefetch) is kept in the log but moves nothing;
/// 3. `retry` brings the row back to waiting and clears its error and bounce fields.
///
/// The row's `cause` is the cause of the event that decided its current state:
/// every event that moves the state writes its cause (nil for `sent`,
/// `delivered`, opens, clicks, `unsub`), an event that moves nothing leaves it.
/// Failures (`hard_bounce`, `soft_bounce`, `reject`, `spam`, `error`) and
/// `unsub` always apply.
public struct TrackingStatus: Sendable, Hashable {
    public var state: TrackingState?
    public var errorSmtpServer: String?
    public var errorType: String?
    public var errorDescription: String?
    public var bounceType: String?
    public var bounceDescription: String?
    /// Why the row is failed or deferred: the cause of the event that decided its state.
    public var cause: FailureCause?
    /// Order of the last event folded in; an event ordered after it can be
    /// applied incrementally, an earlier one needs a full re-fold.
    public var last: EventOrder?

    public init(
        state: TrackingState? = nil, errorSmtpServer: String? = nil, errorType: String? = nil,
        errorDescription: String? = nil, bounceType: String? = nil, bounceDescription: String? = nil,
        cause: FailureCause? = nil, last: EventOrder? = nil
    ) {
        self.state = state
        self.errorSmtpServer = errorSmtpServer
        self.errorType = errorType
        self.errorDescription = errorDescription
        self.bounceType = bounceType
        self.bounceDescription = bounceDescription
        self.cause = cause
        self.last = last
    }

    /// Stage of a successful delivery, used by rule 1; nil for failed states.
    static func stage(_ state: TrackingState?) -> Int? {
        guard let state else { return 0 }
        switch state {
        case .sent, .deferred: return 1
        case .delivered: return 2
        case .opened: return 3
        case .unsub: return 4
        case .error, .rejected, .spam, .bounced, .softBounced: return nil
        }
    }

    /// Folds one event in. Callers must fold in `EventOrder`.
    public mutating func fold(_ e: EventFacts) {
        defer { last = max(last ?? e.order, e.order) }
        switch e.type {
        case .retry:
            self = TrackingStatus(last: last)
        case .sent, .deferral, .delivered, .open, .click:
            if e.machine { return }
            let target = e.type.targetState
            if let current = Self.stage(state), let next = Self.stage(target), next < current { return }
            state = target
            cause = e.cause
        case .hardBounce, .softBounce:
            state = e.type.targetState
            cause = e.cause
            bounceType = e.bounceType
            bounceDescription = e.bounceDescription ?? e.errorDescription
        case .error:
            state = .error
            cause = e.cause
            errorSmtpServer = e.smtpServer
            errorType = e.errorType
            errorDescription = e.errorDescription
        case .reject, .spam:
            state = e.type.targetState
            cause = e.cause
            if e.errorType != nil || e.errorDescription != nil {
                errorType = e.errorType
                errorDescription = e.errorDescription
            }
        case .unsub:
            state = .unsub
            cause = nil
        }
    }

    /// The status of a row with exactly these events, in any order.
    public static func derive<S: Sequence>(from events: S) -> TrackingStatus where S.Element == EventFacts {
        var status = TrackingStatus()
        for e in events.sorted(by: { $0.order < $1.order }) { status.fold(e) }
        return status
    }

    /// The error text to show for a row: the bounce description, else the error description.
    public var failureText: String? {
        bounceDescription ?? errorDescription
    }
}

/// Duplicate suppression of the reference: an open within ±10 s of another open
/// of the same row, or a click within ±5 s of a click on the same url, is dropped.
public enum DuplicateWindow {
    public static let open: Double = 10
    public static let click: Double = 5

    /// The window for a type, or nil when that type is never suppressed.
    public static func seconds(for type: EventType) -> Double? {
        switch type {
        case .open: return open
        case .click: return click
        case .sent, .delivered, .deferral, .hardBounce, .softBounce, .spam, .unsub, .reject, .error, .retry:
            return nil
        }
    }
}
