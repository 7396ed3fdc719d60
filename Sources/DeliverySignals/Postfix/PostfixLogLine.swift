/// One Postfix log line, parsed: who logged it, when, about which queue id, and what it says.
public struct PostfixLogLine: Sendable, Hashable {
    /// UTC epoch seconds (year and zone inferred for syslog timestamps).
    public var timestamp: Double
    /// The host name field of the line.
    public var host: String
    /// The service, i.e. the last element of the syslog tag (`postfix/submission/smtpd` → smtpd).
    public var service: PostfixService
    /// The process id in `[...]`, when present.
    public var pid: Int?
    /// The queue id (`18591FA0D1`, long `3Pt2mN2VXxznjll`), or nil (`NOQUEUE` and lines without one).
    public var queueId: String?
    /// What the line says.
    public var payload: PostfixPayload

    public init(
        timestamp: Double, host: String, service: PostfixService, pid: Int?, queueId: String?, payload: PostfixPayload
    ) {
        self.timestamp = timestamp
        self.host = host
        self.service = service
        self.pid = pid
        self.queueId = queueId
        self.payload = payload
    }
}

/// A Postfix daemon or command, by its master.cf service name.
public enum PostfixService: Sendable, Hashable {
    case smtp, lmtp, local, virtual, pipe, error, discard, retry
    case qmgr, cleanup, bounce, pickup, smtpd, postsuper
    /// Any other name (`master`, `postfix-script`, `anvil`, `scache`, `postlogd`, a renamed service...).
    case other(String)

    /// Whether the service delivers mail and so logs `to=..., status=...` lines.
    public var isDeliveryAgent: Bool {
        switch self {
        case .smtp, .lmtp, .local, .virtual, .pipe, .error, .discard, .retry: return true
        case .qmgr, .cleanup, .bounce, .pickup, .smtpd, .postsuper, .other: return false
        }
    }

    /// The service name as Postfix logs it.
    public var name: String {
        switch self {
        case .smtp: return "smtp"
        case .lmtp: return "lmtp"
        case .local: return "local"
        case .virtual: return "virtual"
        case .pipe: return "pipe"
        case .error: return "error"
        case .discard: return "discard"
        case .retry: return "retry"
        case .qmgr: return "qmgr"
        case .cleanup: return "cleanup"
        case .bounce: return "bounce"
        case .pickup: return "pickup"
        case .smtpd: return "smtpd"
        case .postsuper: return "postsuper"
        case .other(let name): return name
        }
    }
}

/// What a Postfix line says, for the kinds the tracking needs; everything else is `other`.
public enum PostfixPayload: Sendable, Hashable {
    /// A delivery agent's per-recipient outcome (`to=<...>, relay=..., status=...`).
    case delivery(PostfixDelivery)
    /// `cleanup`: `message-id=<...>` (angle brackets removed; may be empty).
    case messageId(String)
    /// `cleanup`: `info: header NAME: VALUE from ...` (a `header_checks` INFO / WARN rule).
    case header(name: String, value: String)
    /// `qmgr`: `from=<...>, size=N, nrcpt=N (queue active)`.
    case queueActive(from: String, size: Int, recipients: Int)
    /// `qmgr`: `from=<...>, status=expired, returned to sender` (message-level, no recipient).
    case expired(from: String)
    /// `qmgr` / `postsuper`: `removed` — the end of this queue id's life.
    case removed
    /// `bounce`: `sender non-delivery notification: NEWQID` and friends.
    case notification(kind: PostfixNotificationKind, newQueueId: String)
    /// `smtpd`: `client=host[ip]` — the message entered over SMTP.
    case client(String)
    /// `pickup`: `uid=N from=<...>` — the message entered through sendmail(1).
    case pickup(from: String)
    /// `smtpd` / `cleanup`: `reject: ...` / `milter-reject: ...` (at submission, `NOQUEUE` or a queue id).
    case reject(PostfixReject)
    /// A well-formed Postfix line without tracking use (connect, warning, statistics...).
    case other
}

/// The outcome of one delivery attempt for one recipient.
public struct PostfixDelivery: Sendable, Hashable {
    /// The `status=` word.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case sent, deferred, bounced, expired, deliverable, undeliverable
        /// `soft_bounce = yes` turns bounces into `status=SOFTBOUNCE` (mail stays queued).
        case softbounce = "SOFTBOUNCE"
    }

    /// `to=` as Postfix delivered it (after alias rewriting).
    public var to: String
    /// `orig_to=`, present when the address the sender used differed.
    public var origTo: String?
    /// `relay=`: `host[ip]:port`, `local`, `virtual`, `none`, a transport name.
    public var relay: String?
    /// `delay=` exactly as logged (kept as text so keys built from it are stable).
    public var delay: String?
    /// `delays=a/b/c/d` as logged.
    public var delays: String?
    /// `dsn=` enhanced status code.
    public var dsn: String?
    public var status: Status
    /// The parenthesised text after the status: the remote reply or local explanation.
    public var text: String?

    public init(
        to: String, origTo: String? = nil, relay: String? = nil, delay: String? = nil, delays: String? = nil,
        dsn: String? = nil, status: Status, text: String? = nil
    ) {
        self.to = to
        self.origTo = origTo
        self.relay = relay
        self.delay = delay
        self.delays = delays
        self.dsn = dsn
        self.status = status
        self.text = text
    }

    /// The recipient the sender addressed: `orig_to` when present, else `to`.
    public var recipient: String { origTo ?? to }

    /// The relay's host name without `[ip]:port` (`mx1.example.net[203.0.113.7]:25` → `mx1.example.net`).
    public var relayHost: String? {
        guard let relay else { return nil }
        if let bracket = relay.firstIndex(of: "[") { return String(relay[..<bracket]) }
        return relay
    }
}

/// Which notification the `bounce` daemon queued.
public enum PostfixNotificationKind: String, Sendable, Hashable, CaseIterable {
    /// `sender non-delivery notification` (a bounce to the sender).
    case nonDelivery = "sender non-delivery notification"
    /// `sender delay notification` (still retrying).
    case delay = "sender delay notification"
    /// `sender delivery status notification` (NOTIFY=SUCCESS report).
    case success = "sender delivery status notification"
    /// `postmaster non-delivery notification` (copy to the postmaster).
    case postmaster = "postmaster non-delivery notification"
}

/// A refusal at submission time (the submitting client got the error directly).
public struct PostfixReject: Sendable, Hashable {
    /// The SMTP stage or cleanup action: `RCPT`, `MAIL`, `DATA`, `END-OF-MESSAGE`, `header`, `body`...
    public var stage: String
    /// The reply text (`550 5.1.1 <x>: Recipient address rejected: ...`).
    public var text: String
    /// The enhanced status code in the reply, when present.
    public var dsn: String?
    /// `from=<...>` of the refused transaction.
    public var from: String?
    /// `to=<...>` of the refused transaction.
    public var to: String?

    public init(stage: String, text: String, dsn: String? = nil, from: String? = nil, to: String? = nil) {
        self.stage = stage
        self.text = text
        self.dsn = dsn
        self.from = from
        self.to = to
    }
}
