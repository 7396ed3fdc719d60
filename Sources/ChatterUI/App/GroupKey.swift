import TrackingModel

/// A failure group: one cause (nil = no known cause) at one receiving domain
/// (empty for recipients without an address).
public struct GroupKey: Sendable, Hashable {
    public var cause: FailureCause?
    public var domain: String

    public init(cause: FailureCause?, domain: String) {
        self.cause = cause
        self.domain = domain
    }

    /// `CAUSE/DOMAIN` as the CLI takes it.
    public var text: String { "\(cause?.rawValue ?? "unknown")/\(domain)" }
}
