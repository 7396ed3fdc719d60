#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
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

/// Turns parsed Postfix lines into tracking events, linking the lines of a queue id (see `QueueLink`).
///
/// Mapping of delivery lines (`to=..., status=...`), per recipient (`orig_to` › `to`):
/// - `sent` → `delivered` (local, virtual, lmtp, remote MX); `sent` when the relay
///   is one of our smarthosts (hand-off only: the ESP reports the real delivery);
/// - `deferred` / `SOFTBOUNCE` → `deferral` with the cause of its dsn and `said:`
///   text (status = dsn, description = reply, `errorDetails` = relay); the
///   recipient is remembered as pending;
/// - `bounced` → `hard_bounce` for an address-side cause, else `soft_bounce` (via
///   `FailureClassifier`, `permanent: true`); from the `error` transport → `reject`
///   with its cause (our own server refused it);
/// - `expired` (per recipient), and the message-level `qmgr ... status=expired,
///   returned to sender` → `soft_bounce` with cause `expired` (whatever the last
///   text said: "delivery temporarily suspended", "message expired") for every recipient
///   whose last outcome was a deferral, with that deferral's dsn and text;
/// - `deliverable` / `undeliverable` (address probes) → nothing.
/// Deliveries of our own notifications (the queue id named by a `bounce` line, or
/// any null-sender mail) give `ignored` events ("our own bounce notification").
/// Lines without tracking use (connect, warnings, `NOQUEUE` rejects, which the
/// submitting app saw synchronously) give nothing; they only update links.
///
/// Event keys (unique within source `postfix`, so a line read twice is one event):
/// `host/qid/queue_epoch/recipient/status/delay`, and
/// `host/qid/queue_epoch/recipient/expired` for expiries.
public final class PostfixCorrelator {
    /// The `ParsedEvent.source` of everything this produces.
    public static let source = SignalSource.postfix

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

    /// The host field of the previous line, its bytes and hash: one host per log, so the String is made once.
    private var hostText = ""
    private var hostBytes: [UInt8] = []
    private var hostHash = PostfixLinkKey.hostHash("")

    /// The events one scanned line gives (often none); updates and saves the queue-id link(s).
    ///
    /// Works on the scan's byte ranges: text is copied out only for what a link keeps or an
    /// event carries. Throws only what the link store throws.
    func consume(_ s: PostfixLineScan, _ b: PostfixBytes, path: String) throws -> [ParsedEvent] {
        guard let queueId = s.queueId.range else { return [] }
        let line = PostfixLineFacts(host: host(b, s.host), timestamp: s.timestamp, service: s.service)
        let id = PostfixQueueRef(host: line.host, hostHash: hostHash, bytes: b.base + queueId.lowerBound, count: queueId.count)
        var events: [ParsedEvent] = []
        try withCurrentLink(line, id) { link in
            switch s.kind {
            case .other, .reject, .client, .pickup:
                // Only the link's life matters: a first line (smtpd client=, pickup uid=) of a reused id starts a new life.
                break
            case .messageId(let messageId):
                link.messageId = b.text(messageId)
            case .header(let name, let value):
                if trackingHeaders.contains(b.text(name).lowercased()) { link.trackingId = b.text(value) }
            case .queueActive(let from, _, _):
                link.sender = b.text(from)
                if from.start == from.end { link.system = true }
            case .removed:
                link.removedAt = line.timestamp
            case .expired:
                let current = link
                events = link.pending.sorted { $0.key < $1.key }.map { recipient, last in
                    expiry(line, link: current, recipient: recipient, last: last, path: path)
                }
                link.pending = [:]
            case .delivery(let delivery):
                events = deliveryEvents(line, PostfixDelivery(delivery, b), link: &link, path: path)
            case .notification:
                break  // the parent's side; the child's below
            }
            link.lastSeen = max(link.lastSeen, line.timestamp)
        }
        if case .notification(_, let newQueueId) = s.kind, let child = newQueueId.range {
            let parentQueueId = id.queueId
            let childId = PostfixQueueRef(host: line.host, hostHash: hostHash, bytes: b.base + child.lowerBound, count: child.count)
            try withCurrentLink(line, childId) { link in
                link.system = true
                link.parentQueueId = parentQueueId
                link.lastSeen = max(link.lastSeen, line.timestamp)
            }
        }
        return events
    }

    /// The host field as a String, reused while the host stays the same.
    private func host(_ b: PostfixBytes, _ span: PostfixSpan) -> String {
        guard let range = span.range else { return "" }
        let same = hostBytes.withUnsafeBufferPointer { own in
            guard let base = own.baseAddress, own.count == range.count else { return false }
            return memcmp(base, b.base + range.lowerBound, range.count) == 0
        }
        if !same {
            hostBytes = Array(UnsafeBufferPointer(start: b.base + range.lowerBound, count: range.count))
            hostText = b.text(span)
            hostHash = PostfixLinkKey.hostHash(hostText)
        }
        return hostText
    }

    // MARK: links

    /// Runs `body` on the live link of `id` at the line's time (the stored one, or a new life) and keeps it.
    private func withCurrentLink(_ line: PostfixLineFacts, _ id: PostfixQueueRef, _ body: (inout QueueLink) throws -> Void) throws {
        var older: QueueLink?
        try links.withLatestLink(id) { slot in
            if var link = slot.take() {
                let ended = link.removedAt.map { line.timestamp > $0 } ?? false
                let stale = line.timestamp - link.lastSeen > settings.maxQueueLifetime
                if !ended && !stale {
                    try body(&link)
                    slot = link
                    return
                }
                slot = link
            }
            var fresh = QueueLink(host: line.host, queueId: id.queueId, firstSeen: line.timestamp)
            try body(&fresh)
            // A new life older than the stored one (line times running backwards): the stored life stays
            // in place and the new one goes through `save`, whose rule decides, as for any link.
            if let stored = slot, stored.firstSeen > fresh.firstSeen {
                older = fresh
                return
            }
            slot = fresh
        }
        if let older { try links.save(older) }
    }

    // MARK: events

    private func deliveryEvents(
        _ line: PostfixLineFacts, _ d: PostfixDelivery, link: inout QueueLink, path: String
    ) -> [ParsedEvent] {
        switch d.status {
        case .deliverable, .undeliverable: return []  // address probes
        case .sent, .deferred, .softbounce, .bounced, .expired: break
        }
        let recipient = d.recipient.lowercased()
        let key = PostfixCorrelator.key(line.host, link, recipient, d.status.keyWord, d.delay ?? "-")
        // Filled in the array it is returned in: a ParsedEvent is large, each copy a retain per field.
        var events = [
            ParsedEvent(
                // The kind is set by describeDelivery.
                source: PostfixCorrelator.source, path: path, kind: .event(.delivered), key: key,
                timestamp: line.timestamp, recipient: recipient, status: d.dsn, description: d.text,
                tieBack: tieBack(link))
        ]
        describeDelivery(&events[0], line, d, recipient: recipient, link: &link, path: path)
        return events
    }

    /// The kind and details of a delivery's event, and what it changes in the link's pending recipients.
    private func describeDelivery(
        _ event: inout ParsedEvent, _ line: PostfixLineFacts, _ d: PostfixDelivery, recipient: String,
        link: inout QueueLink, path: String
    ) {
        switch d.status {
        case .deliverable, .undeliverable:
            return  // no event (see deliveryEvents)
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
            event.kind = .event(.deferral)
            event.details.cause = FailureClassifier.cause(status: d.dsn, text: d.text)
            event.details.errorType = d.dsn
            event.details.errorDescription = d.text
            event.details.errorDetails = d.relay
        case .bounced:
            link.pending[recipient] = nil
            let c = FailureClassifier.classify(status: d.dsn, text: d.text, permanent: true)
            event.details.cause = c.cause
            if line.service == .error {
                event.kind = .event(.reject)
                event.details.errorType = d.dsn
                event.details.errorDescription = d.text
            } else {
                event.kind = .event(c.eventType)
                event.bounceType = c.bounceType
                event.details.bounceDescription = d.text
                event.details.errorDetails = d.relay
            }
        case .expired:
            let last = link.pending.removeValue(forKey: recipient)
                ?? PendingDeferral(dsn: d.dsn, text: d.text, relay: d.relay, timestamp: line.timestamp)
            event = expiry(line, link: link, recipient: recipient, last: last, path: path)
        }
        if link.system { event.kind = .ignored(.ownNotification) }
    }

    /// The soft bounce of one recipient still deferred when its message expired.
    private func expiry(
        _ line: PostfixLineFacts, link: QueueLink, recipient: String, last: PendingDeferral, path: String
    ) -> ParsedEvent {
        ParsedEvent(
            source: PostfixCorrelator.source, path: path,
            kind: link.system ? .ignored(.ownNotification) : .event(.softBounce),
            key: PostfixCorrelator.key(line.host, link, recipient, "expired", nil), timestamp: line.timestamp,
            recipient: recipient, status: last.dsn, bounceType: .soft, description: last.text,
            tieBack: tieBack(link),
            details: EventDetails(
                errorDetails: last.relay, bounceDescription: last.text,
                cause: .expired))
    }

    private func tieBack(_ link: QueueLink) -> TieBackKeys {
        TieBackKeys(trackingId: link.trackingId, queueId: link.queueId, messageId: link.messageId)
    }

    /// `host/qid/epoch/recipient/status[/delay]`.
    static func key(_ host: String, _ link: QueueLink, _ recipient: String, _ status: String, _ delay: String?) -> String {
        var parts = [host, link.queueId, String(link.epoch), recipient, status]
        if let delay { parts.append(delay) }
        return joinedBySlash(parts)
    }

    /// `parts` joined with `/` into one allocation (String `+` allocates for every intermediate result).
    static func joinedBySlash(_ parts: [String]) -> String {
        let total = parts.reduce(parts.count - 1) { $0 + $1.utf8.count }
        return String(unsafeUninitializedCapacity: max(total, 0)) { buffer in
            var at = 0
            for index in parts.indices {
                if index > 0 {
                    buffer[at] = UInt8(ascii: "/")
                    at += 1
                }
                var part = parts[index]
                part.withUTF8 { bytes in
                    for byte in bytes {
                        buffer[at] = byte
                        at += 1
                    }
                }
            }
            return at
        }
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

extension PostfixDelivery.Status {
    /// The status word of event keys: the raw value lower-cased (`SOFTBOUNCE` → `softbounce`), without lower-casing per line.
    var keyWord: String {
        switch self {
        case .sent: return "sent"
        case .deferred: return "deferred"
        case .bounced: return "bounced"
        case .expired: return "expired"
        case .deliverable: return "deliverable"
        case .undeliverable: return "undeliverable"
        case .softbounce: return "softbounce"
        }
    }
}

/// What the correlator uses of a line besides its payload.
struct PostfixLineFacts {
    let host: String
    let timestamp: Double
    let service: PostfixService
}
