/// What a delivery outcome means for tracking: the event, its cause (nil when
/// delivered) and hard / soft.
public struct FailureClassification: Sendable, Hashable {
    /// `delivered`, `deferral`, `soft_bounce` or `hard_bounce`.
    public var eventType: EventType
    /// Why it failed or was deferred; nil for `delivered`.
    public var cause: FailureCause?
    /// The enhanced status code read (`5.1.1`), from the status given or found in the text.
    public var status: String?

    public init(eventType: EventType, cause: FailureCause?, status: String? = nil) {
        self.eventType = eventType
        self.cause = cause
        self.status = status
    }

    /// `hard` / `soft` for bounces, nil otherwise (the store's `bounce_type`).
    public var bounceType: BounceType? { BounceType(of: eventType) }

    /// The side of the cause, nil when delivered.
    public var side: FailureSide? { cause?.side }
}

/// RFC 3463 enhanced status codes and the wording of real replies turned into
/// tracking events with a cause (README, "Why it failed: causes").
///
/// Shared by every source that sees an SMTP outcome: the Postfix log, DSN mail,
/// provider bounce records without their own classification, our JSON lines and
/// our own SMTP sending. Pure, byte-level, no state.
///
/// Rules:
/// - class 2 → `delivered`;
/// - class 4 while the MTA still retries → `deferral` with its cause;
/// - permanent (class 5, or the MTA gave up: DSN `Action: failed`, Postfix
///   `bounced` / expiry) → `hard_bounce` only for an address-side cause
///   (`not_accept` only on a 5xx), `soft_bounce` for every other cause; a
///   transport cause of a class-4 code given up on becomes `expired`, and an
///   `expired` cause is always a `soft_bounce`;
/// - the cause: a specific code decides (`x.1.1` unknown user, `x.2.2` mailbox
///   full, `x.4.7` expired ...); an unspecific one (`x.0.0`, `5.7.1`, `x.5.x` ...)
///   is read by its wording first (block list, SPF, spam, rate limit, relaying ...)
///   and falls back to the code's subject; with no code at all the wording alone
///   decides (else `other`).
public enum FailureClassifier {
    /// Classifies an outcome from its enhanced status (`5.1.1`) and / or its reply text.
    ///
    /// - Parameters:
    ///   - status: the enhanced status code, if the signal has one (`Status:`, `dsn=`).
    ///   - text: the remote reply or diagnostic text.
    ///   - permanent: the sender's MTA gave up: a class-4 code then means a bounce,
    ///     not a `deferral`.
    public static func classify(status: String?, text: String?, permanent: Bool = false) -> FailureClassification {
        let lowered = text.map(FailureWording.lowered) ?? []
        let code = status.flatMap(EnhancedStatus.init(parsing:)) ?? EnhancedStatus(searching: lowered)
        let basic = basicReplyClass(lowered)
        let replyClass = code?.klass ?? basic
        if replyClass == 2 { return FailureClassification(eventType: .delivered, cause: nil, status: code?.text) }
        var cause = self.cause(code: code, lowered: lowered)
        if permanent, replyClass == 4, cause.side == .transport, cause != .onHold { cause = .expired }
        // Expired means the MTA gave up, whatever the class; a 550 reply with a 4.x.x code is permanent too.
        let gaveUp = permanent || replyClass == 5 || basic == 5 || cause == .expired
        let type = outcome(of: cause, permanent: gaveUp, replyClass: replyClass)
        return FailureClassification(eventType: type, cause: cause, status: code?.text)
    }

    /// Only the cause of a reply (what `classify` would name), for sources that know the outcome.
    public static func cause(status: String?, text: String?) -> FailureCause {
        let lowered = text.map(FailureWording.lowered) ?? []
        return cause(code: status.flatMap(EnhancedStatus.init(parsing:)) ?? EnhancedStatus(searching: lowered), lowered: lowered)
    }

    /// The event of a failure whose cause is known (a provider's own classification):
    /// `deferral` while retried, else hard only for an address-side cause
    /// (`not_accept` only on a 5xx or when no reply class is known).
    public static func outcome(of cause: FailureCause, permanent: Bool, replyClass: Int? = nil) -> EventType {
        guard permanent else { return .deferral }
        if cause == .notAccept { return replyClass == 4 ? .softBounce : .hardBounce }
        return cause.isHard ? .hardBounce : .softBounce
    }

    /// The enhanced status code found in a free text (`... said: 550 5.1.1 <x>: ...`), as `c.s.d`.
    public static func enhancedStatus(in text: String) -> String? {
        EnhancedStatus(searching: text)?.text
    }

    /// The cause from the code and the lower-cased wording.
    static func cause(code: EnhancedStatus?, lowered: [UInt8]) -> FailureCause {
        let wording = FailureWording.cause(in: lowered)
        guard let code else { return wording ?? .other }
        if let specific = specificCause(code, wording: wording) { return specific }
        return wording ?? generalCause(code)
    }

    /// Codes that say what happened whatever the text (RFC 3463, RFC 7505, RFC 7372).
    private static func specificCause(_ code: EnhancedStatus, wording: FailureCause?) -> FailureCause? {
        switch (code.subject, code.detail) {
        case (1, 1), (1, 3): return wording == .senderRejected ? .senderRejected : .userUnknown
        case (1, 2): return .hostUnknown
        case (1, 6), (7, 17), (7, 18): return .hasMoved
        case (1, 7), (1, 8): return .senderRejected
        // Exchange says 5.1.10 for an unknown recipient; RFC 7505 for a null MX.
        case (1, 10): return wording == .userUnknown ? .userUnknown : .notAccept
        case (2, 1), (7, 13): return wording == .userUnknown || wording == .mailboxFull ? wording : .suspended
        case (2, 2): return .mailboxFull
        case (2, 3), (3, 4), (7, 16): return wording == .mailboxFull ? .mailboxFull : .tooLarge
        case (3, 1): return wording == .mailboxFull ? .mailboxFull : .systemError
        case (4, 4): return .hostUnknown
        case (4, 6): return .network
        case (4, 7): return .expired
        case (5, 3): return .rateLimited
        case (7, 20), (7, 21), (7, 22), (7, 23), (7, 24), (7, 26): return .auth
        case (7, 25): return .blocked
        case (7, 27): return .notAccept
        default: return nil
        }
    }

    /// What an unspecific code means when the wording says nothing.
    private static func generalCause(_ code: EnhancedStatus) -> FailureCause {
        switch code.subject {
        case 1: return .userUnknown
        case 2: return .filtered
        case 3: return code.detail == 2 ? .notAccept : .systemError
        case 4: return .network
        case 5: return .syntaxError
        case 6: return .contentError
        case 7: return .policy
        default: return .other
        }
    }
}
