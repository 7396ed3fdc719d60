/// Whose problem a failure is: the four sides of "Why it failed".
///
/// Only an `address` failure says the contact's address is bad; the others say
/// the mailbox cannot take mail now (`mailbox`), the receiver refused *us*
/// (`sender`), or nobody is at fault yet (`transport`).
public enum FailureSide: String, Sendable, CaseIterable, Codable, Hashable {
    case address
    case mailbox
    case sender
    case transport

    /// The side in words, as a triager reads it next to the cause.
    public var words: String {
        switch self {
        case .address: return "bad address"
        case .mailbox: return "mailbox problem"
        case .sender: return "refused by the receiver"
        case .transport: return "delivery problem"
        }
    }
}

/// Why a delivery failed or was deferred: one word per cause, each on one side.
///
/// The raw values are the words stored in the store and printed in `--json`
/// (`cause`), and the keys of failure groups (`CAUSE/DOMAIN`).
public enum FailureCause: String, Sendable, CaseIterable, Codable, Hashable {
    // address: the address cannot receive
    case userUnknown = "user_unknown"
    case hostUnknown = "host_unknown"
    case hasMoved = "has_moved"
    case notAccept = "not_accept"
    // mailbox: the address exists but cannot take it now
    case mailboxFull = "mailbox_full"
    case suspended
    case tooLarge = "too_large"
    // sender: the receiver refused us
    case blocked
    case policy
    case auth
    case spamContent = "spam_content"
    case filtered
    case contentError = "content_error"
    case virus
    case rateLimited = "rate_limited"
    case senderRejected = "sender_rejected"
    case noRelaying = "no_relaying"
    case syntaxError = "syntax_error"
    // transport: nobody's fault yet
    case network
    case expired
    case systemError = "system_error"
    case mailerError = "mailer_error"
    case greylisted
    case onHold = "on_hold"
    case other

    /// The side the cause stands on.
    public var side: FailureSide {
        switch self {
        case .userUnknown, .hostUnknown, .hasMoved, .notAccept: return .address
        case .mailboxFull, .suspended, .tooLarge: return .mailbox
        case .blocked, .policy, .auth, .spamContent, .filtered, .contentError, .virus, .rateLimited,
            .senderRejected, .noRelaying, .syntaxError:
            return .sender
        case .network, .expired, .systemError, .mailerError, .greylisted, .onHold, .other: return .transport
        }
    }

    /// A permanent failure of this cause is a hard bounce and flags the partner
    /// (address side only). `not_accept` is hard only on a 5xx reply: the
    /// classifier decides that before it names the cause.
    public var isHard: Bool { side == .address }

    /// The cause in words, as shown on failed cards, details and the Retry dialog.
    public var words: String {
        switch self {
        case .userUnknown: return "address does not exist"
        case .hostUnknown: return "domain does not exist"
        case .hasMoved: return "address has moved"
        case .notAccept: return "domain accepts no mail"
        case .mailboxFull: return "mailbox full"
        case .suspended: return "mailbox disabled"
        case .tooLarge: return "message too large"
        case .blocked: return "our IP is on a block list"
        case .policy: return "refused by the domain's policy"
        case .auth: return "SPF / DKIM / DMARC failed"
        case .spamContent: return "content judged spam"
        case .filtered: return "refused by a filter"
        case .contentError: return "malformed message"
        case .virus: return "virus found"
        case .rateLimited: return "too many messages"
        case .senderRejected: return "our sender address refused"
        case .noRelaying: return "relaying denied"
        case .syntaxError: return "SMTP syntax error"
        case .network: return "network error"
        case .expired: return "gave up retrying"
        case .systemError: return "receiver's system error"
        case .mailerError: return "delivery program failed"
        case .greylisted: return "greylisted"
        case .onHold: return "held in the queue"
        case .other: return "unknown reason"
        }
    }

    /// Cause and side in one phrase: "refused by the receiver: our IP is on a block list".
    public var phrase: String {
        switch side {
        case .sender: return "\(side.words): \(words)"
        case .address, .mailbox, .transport: return words
        }
    }

    /// Whether the cause says more than "refused" or "failed": not `policy` (the
    /// fallback of an unspecific 5.7.x refusal) nor `other`. A provider's own
    /// classification wins over an unspecific cause read from the reply.
    public var isSpecific: Bool { self != .policy && self != .other }

    /// Parses a cause word as stored or typed (`user_unknown`, `user-unknown`).
    public init?(word: String) {
        self.init(rawValue: word.lowercased().replacingOccurrences(of: "-", with: "_"))
    }
}
