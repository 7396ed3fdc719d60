import TrackingModel

/// Settings of the Postfix correlation that depend on the site.
public struct PostfixCorrelatorSettings: Sendable, Hashable {
    /// Our smarthost / ESP relay(s), as in `relayhost` (`[smtp.example.net]:587`,
    /// `smtp.example.net`, an IP). A `status=sent` to one of them is only a
    /// hand-off: it gives a `sent` event, never `delivered`.
    public var smarthosts: [String]
    /// Header names whose `header_checks` INFO line carries our tracking id (case-insensitive).
    public var trackingHeaders: [String]
    /// A queue id unseen for longer than this starts a new life even without a
    /// `removed` line (lines lost to a gap); a bit more than `maximal_queue_lifetime`.
    public var maxQueueLifetime: Double

    public init(
        smarthosts: [String] = [], trackingHeaders: [String] = [trackingHeaderName, "X-Tracking-ID"],
        maxQueueLifetime: Double = 7 * 86_400
    ) {
        self.smarthosts = smarthosts
        self.trackingHeaders = trackingHeaders
        self.maxQueueLifetime = maxQueueLifetime
    }
}

/// Turns parsed Postfix lines into tracking events, linking the lines of a queue id (SOURCES.md §1.5, §1.6).
///
/// Mapping of delivery lines (`to=..., status=...`), per recipient (`orig_to` › `to`):
/// - `sent` → `delivered` (local, virtual, lmtp, remote MX); `sent` when the relay
///   is one of our smarthosts (hand-off only: the ESP reports the real delivery);
/// - `deferred` / `SOFTBOUNCE` → `deferral` (status = dsn, description = reply,
///   `errorDetails` = relay); the recipient is remembered as pending;
/// - `bounced` → `hard_bounce`, or `soft_bounce` for mailbox full (via
///   `BounceClassifier`, `permanent: true`); from the `error` transport → `reject`
///   (our own server refused it);
/// - `expired` (per recipient), and the message-level `qmgr ... status=expired,
///   returned to sender` → `soft_bounce` (reason `expired`) for every recipient
///   whose last outcome was a deferral, with that deferral's dsn and text;
/// - `deliverable` / `undeliverable` (address probes) → nothing.
/// Deliveries of our own notifications (the queue id named by a `bounce` line, or
/// any null-sender mail) give `ignored` events ("our own bounce notification").
/// Lines without tracking use (connect, warnings, `NOQUEUE` rejects, which the
/// submitting app saw synchronously) give nothing; they only update links.
///
/// Event keys (unique within source `postfix`, SOURCES.md §1.8):
/// `host/qid/queue_epoch/recipient/status/delay`, and
/// `host/qid/queue_epoch/recipient/expired` for expiries.
public final class PostfixCorrelator {
    /// The `ParsedEvent.source` of everything this produces.
    public static let source = "postfix"

    private let settings: PostfixCorrelatorSettings
    private let links: any QueueLinkStore
    private let smarthostNames: Set<String>
    private let trackingHeaders: Set<String>

    public init(settings: PostfixCorrelatorSettings = PostfixCorrelatorSettings(), links: any QueueLinkStore) {
        self.settings = settings
        self.links = links
        smarthostNames = Set(settings.smarthosts.map(PostfixCorrelator.normalizedRelayHost))
        trackingHeaders = Set(settings.trackingHeaders.map { $0.lowercased() })
    }

    /// The events one line gives (often none); updates and saves the queue-id link.
    ///
    /// Throws only what the link store throws.
    public func consume(_ line: PostfixLogLine, path: String) throws -> [ParsedEvent] {
        guard let queueId = line.queueId else { return [] }
        switch line.payload {
        case .other, .reject, .client, .pickup:
            // Only the link's life matters: a first line (smtpd client=, pickup uid=) of a reused id starts a new life.
            var link = try currentLink(line, queueId: queueId)
            link.lastSeen = max(link.lastSeen, line.timestamp)
            try links.save(link)
            return []
        case .messageId(let messageId):
            var link = try currentLink(line, queueId: queueId)
            link.messageId = messageId
            try touchAndSave(&link, line)
            return []
        case .header(let name, let value):
            var link = try currentLink(line, queueId: queueId)
            if trackingHeaders.contains(name.lowercased()) { link.trackingId = value }
            try touchAndSave(&link, line)
            return []
        case .queueActive(let from, _, _):
            var link = try currentLink(line, queueId: queueId)
            link.sender = from
            if from.isEmpty { link.system = true }
            try touchAndSave(&link, line)
            return []
        case .notification(_, let newQueueId):
            var parent = try currentLink(line, queueId: queueId)
            try touchAndSave(&parent, line)
            var child = try currentLink(line, queueId: newQueueId)
            child.system = true
            child.parentQueueId = queueId
            try touchAndSave(&child, line)
            return []
        case .removed:
            var link = try currentLink(line, queueId: queueId)
            link.removedAt = line.timestamp
            try touchAndSave(&link, line)
            return []
        case .expired:
            var link = try currentLink(line, queueId: queueId)
            let events = link.pending.sorted { $0.key < $1.key }.map { recipient, last in
                expiry(line, link: link, recipient: recipient, last: last, path: path)
            }
            link.pending = [:]
            try touchAndSave(&link, line)
            return events
        case .delivery(let delivery):
            var link = try currentLink(line, queueId: queueId)
            let events = deliveryEvents(line, delivery, link: &link, path: path)
            try touchAndSave(&link, line)
            return events
        }
    }

    // MARK: links

    /// The live link of `queueId` at the line's time: the stored one, or a new life.
    private func currentLink(_ line: PostfixLogLine, queueId: String) throws -> QueueLink {
        if let link = try links.latestLink(host: line.host, queueId: queueId) {
            let ended = link.removedAt.map { line.timestamp > $0 } ?? false
            let stale = line.timestamp - link.lastSeen > settings.maxQueueLifetime
            if !ended && !stale { return link }
        }
        return QueueLink(host: line.host, queueId: queueId, firstSeen: line.timestamp)
    }

    private func touchAndSave(_ link: inout QueueLink, _ line: PostfixLogLine) throws {
        link.lastSeen = max(link.lastSeen, line.timestamp)
        try links.save(link)
    }

    // MARK: events

    private func deliveryEvents(
        _ line: PostfixLogLine, _ d: PostfixDelivery, link: inout QueueLink, path: String
    ) -> [ParsedEvent] {
        let recipient = d.recipient.lowercased()
        let key = PostfixCorrelator.key(line.host, link, recipient, d.status.rawValue.lowercased(), d.delay ?? "-")
        var event = ParsedEvent(
            source: PostfixCorrelator.source, path: path, kind: .ignored(reason: ""), key: key,
            timestamp: line.timestamp, recipient: recipient, status: d.dsn, description: d.text,
            tieBack: tieBack(link), details: EventDetails(recipient: recipient))
        switch d.status {
        case .deliverable, .undeliverable:
            return []
        case .sent:
            link.pending[recipient] = nil
            if isSmarthost(d.relay) {
                event.kind = .event(.sent)
                event.details.smtpServer = d.relay
            } else {
                event.kind = .event(.delivered)
                event.details.smtpServer = d.relay
                event.details.errorDetails = d.text
            }
        case .deferred, .softbounce:
            link.pending[recipient] = PendingDeferral(
                dsn: d.dsn, text: d.text, relay: d.relay, timestamp: line.timestamp)
            let c = BounceClassifier.classify(status: d.dsn, text: d.text)
            event.kind = .event(.deferral)
            event.reason = c.reason
            event.details.errorType = d.dsn
            event.details.errorDescription = d.text
            event.details.errorDetails = d.relay
        case .bounced:
            link.pending[recipient] = nil
            let c = BounceClassifier.classify(status: d.dsn, text: d.text, permanent: true)
            event.reason = c.reason
            if line.service == .error {
                event.kind = .event(.reject)
                event.details.errorType = d.dsn
                event.details.errorDescription = d.text
            } else {
                event.kind = .event(c.eventType)
                event.bounceType = c.bounceType
                event.details.bounceType = c.bounceType
                event.details.bounceDescription = d.text
                event.details.errorDetails = d.relay
            }
        case .expired:
            let last = link.pending.removeValue(forKey: recipient)
                ?? PendingDeferral(dsn: d.dsn, text: d.text, relay: d.relay, timestamp: line.timestamp)
            event = expiry(line, link: link, recipient: recipient, last: last, path: path)
        }
        if link.system { event.kind = .ignored(reason: "our own bounce notification") }
        return [event]
    }

    /// The soft bounce of one recipient still deferred when its message expired.
    private func expiry(
        _ line: PostfixLogLine, link: QueueLink, recipient: String, last: PendingDeferral, path: String
    ) -> ParsedEvent {
        ParsedEvent(
            source: PostfixCorrelator.source, path: path,
            kind: link.system ? .ignored(reason: "our own bounce notification") : .event(.softBounce),
            key: PostfixCorrelator.key(line.host, link, recipient, "expired", nil), timestamp: line.timestamp,
            recipient: recipient, status: last.dsn, bounceType: "soft", reason: "expired", description: last.text,
            tieBack: tieBack(link),
            details: EventDetails(
                recipient: recipient, errorDetails: last.relay, bounceType: "soft", bounceDescription: last.text))
    }

    private func tieBack(_ link: QueueLink) -> TieBack {
        TieBack(trackingId: link.trackingId, queueId: link.queueId, messageId: link.messageId)
    }

    /// `host/qid/epoch/recipient/status[/delay]`.
    static func key(_ host: String, _ link: QueueLink, _ recipient: String, _ status: String, _ delay: String?) -> String {
        var key = host + "/" + link.queueId + "/" + String(link.epoch) + "/" + recipient + "/" + status
        if let delay { key += "/" + delay }
        return key
    }

    private func isSmarthost(_ relay: String?) -> Bool {
        guard let relay, !smarthostNames.isEmpty else { return false }
        let lowered = relay.lowercased()
        let hostEnd = lowered.firstIndex(of: "[") ?? lowered.endIndex
        if smarthostNames.contains(String(lowered[..<hostEnd])) { return true }
        if hostEnd < lowered.endIndex, let close = lowered[hostEnd...].firstIndex(of: "]") {
            let ip = lowered[lowered.index(after: hostEnd)..<close]
            return smarthostNames.contains(String(ip))
        }
        return false
    }

    /// `[smtp.example.net]:587` → `smtp.example.net` (lower-cased).
    static func normalizedRelayHost(_ relayhost: String) -> String {
        var host = Substring(relayhost.lowercased())
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.firstIndex(of: ":"), host.filter({ $0 == ":" }).count == 1 {
            host = host[..<colon]
        }
        return String(host)
    }
}
