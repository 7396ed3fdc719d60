/// The cause part of a failure group: a cause word, or `unknown` for failed rows
/// that carry no cause (old rows, or a failure no rule could name). `unknown` is
/// kept apart from the cause `other` (a failure that was read but fits no cause).
public enum GroupCause: Sendable, Hashable {
    case cause(FailureCause)
    case unknown

    /// The word used in `CAUSE/DOMAIN` keys and in `--json` (`cause`).
    public var word: String {
        switch self {
        case .cause(let c): return c.rawValue
        case .unknown: return "unknown"
        }
    }

    /// The cause word, or `unknown`; nil for any other text.
    public init?(word: String) {
        let w = word.lowercased()
        if w == "unknown" {
            self = .unknown
        } else if let c = FailureCause(rawValue: w) {
            self = .cause(c)
        } else {
            return nil
        }
    }

    /// The cause, nil for `unknown`.
    public var failureCause: FailureCause? {
        switch self {
        case .cause(let c): return c
        case .unknown: return nil
        }
    }
}

/// Which failed recipients of the Failed mailbox a command is about: by cause,
/// by receiving domain, or both (a failure group `CAUSE/DOMAIN`). The domain of a
/// recipient without an address is the empty text.
public struct FailureFilter: Sendable, Hashable, CustomStringConvertible {
    public var cause: GroupCause?
    public var domain: String?

    public init(cause: GroupCause? = nil, domain: String? = nil) {
        self.cause = cause
        self.domain = domain?.lowercased()
    }

    /// `CAUSE/DOMAIN` (a missing part is `*`).
    public var description: String { "\(cause?.word ?? "*")/\(domain ?? "*")" }
}

/// One failure group of the Failed mailbox: failed recipients of one cause at one
/// receiving domain.
public struct FailureGroup: Sendable, Hashable {
    public var cause: GroupCause
    /// The receiving domain; empty for recipients without an address.
    public var domain: String
    /// Failed recipients (tracking rows) in the group.
    public var count: Int
    /// Oldest and newest failure time (the rows' last event).
    public var first: Double
    public var last: Double
    /// The error or bounce text of the newest failure.
    public var sample: String?

    public init(cause: GroupCause, domain: String, count: Int, first: Double, last: Double, sample: String?) {
        self.cause = cause
        self.domain = domain
        self.count = count
        self.first = first
        self.last = last
        self.sample = sample
    }

    /// `CAUSE/DOMAIN`, the key `review --group` and `retry --group` take.
    public var key: String { "\(cause.word)/\(domain)" }
}
