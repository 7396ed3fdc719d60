/// Whether a bounce is permanent or temporary: the `bounce_type` of events, trackings and
/// JSON output (`hard` / `soft`).
public enum BounceType: String, Sendable, Hashable, CaseIterable {
    case hard
    case soft

    /// The bounce type of a bounce event, nil for the other event types.
    public init?(of type: EventType) {
        switch type {
        case .hardBounce: self = .hard
        case .softBounce: self = .soft
        case .sent, .delivered, .deferral, .open, .click, .spam, .unsub, .reject, .error, .retry: return nil
        }
    }
}
