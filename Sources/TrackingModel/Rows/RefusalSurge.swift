/// A receiving domain that started refusing our mail: many failures of one
/// sender-side cause (blocked, policy, auth, spam content...) there within a short time.
public struct RefusalSurge: Sendable, Hashable {
    public var domain: String
    public var cause: FailureCause
    /// Failures within the window.
    public var count: Int
    /// The first of them (UTC epoch seconds).
    public var since: Double

    public init(domain: String, cause: FailureCause, count: Int, since: Double) {
        self.domain = domain
        self.cause = cause
        self.count = count
        self.since = since
    }
}

extension FailureCause {
    /// The causes where the receiver refuses *us* (`FailureSide.sender`): the
    /// ones a refusal surge is made of.
    public static let senderSide = allCases.filter { $0.side == .sender }
}
