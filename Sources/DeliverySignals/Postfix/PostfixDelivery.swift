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

    /// Copies a scanned delivery's fields out of its line (the correlator keeps them in its links).
    init(_ d: PostfixLineScan.Delivery, _ b: PostfixBytes) {
        self.init(
            to: b.string(Int(d.to.start), Int(d.to.end)), origTo: b.optionalText(d.origTo), relay: b.optionalText(d.relay),
            delay: b.optionalText(d.delay), delays: b.optionalText(d.delays), dsn: b.optionalText(d.dsn), status: d.status,
            text: b.optionalText(d.text))
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
