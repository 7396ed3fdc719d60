/// What is known about one life of one Postfix queue id: the facts later lines need.
///
/// The cleanup line (Message-ID), the header_checks line (tracking id) and the
/// deferrals of a recipient may sit days and a rotated file before the final
/// outcome, so the poller persists these in the same transaction
/// as the events and the file cursor.
public struct QueueLink: Sendable, Hashable, Codable {
    /// The MTA host field of the lines.
    public var host: String
    public var queueId: String
    /// Time of the first line seen for this life: the `queue_epoch` of event keys,
    /// which keeps a reused short queue id from colliding with its earlier life.
    public var firstSeen: Double
    /// Time of the latest line seen.
    public var lastSeen: Double
    /// Time of the `removed` line that ended this life; a line after it starts a new life.
    public var removedAt: Double?
    /// From `cleanup: message-id=<...>`, without angle brackets.
    public var messageId: String?
    /// From `cleanup: info: header <tracking header>: VALUE`.
    public var trackingId: String?
    /// The envelope sender (`qmgr from=<...>`).
    public var sender: String?
    /// Our own notification (bounce / delay / success DSN, or any null-sender mail):
    /// its deliveries are not deliveries of application mail.
    public var system: Bool
    /// For a notification: the queue id of the message it reports on.
    public var parentQueueId: String?
    /// Recipients whose latest outcome is `deferred`, by recipient: who a
    /// message-level expiry soft-bounces, and with which last reply.
    public var pending: [String: PendingDeferral]

    public init(
        host: String, queueId: String, firstSeen: Double, lastSeen: Double? = nil, removedAt: Double? = nil,
        messageId: String? = nil, trackingId: String? = nil, sender: String? = nil, system: Bool = false,
        parentQueueId: String? = nil, pending: [String: PendingDeferral] = [:]
    ) {
        self.host = host
        self.queueId = queueId
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen ?? firstSeen
        self.removedAt = removedAt
        self.messageId = messageId
        self.trackingId = trackingId
        self.sender = sender
        self.system = system
        self.parentQueueId = parentQueueId
        self.pending = pending
    }

    /// The `queue_epoch` used in event keys (whole seconds of `firstSeen`).
    public var epoch: Int64 { Int64(firstSeen.rounded(.down)) }
}

/// The last deferral of one recipient of a queued message.
public struct PendingDeferral: Sendable, Hashable, Codable {
    /// `dsn=` of the deferral (`4.2.2`).
    public var dsn: String?
    /// The reply text of the deferral.
    public var text: String?
    /// `relay=` of the deferral.
    public var relay: String?
    /// When it was logged.
    public var timestamp: Double

    public init(dsn: String?, text: String?, relay: String?, timestamp: Double) {
        self.dsn = dsn
        self.text = text
        self.relay = relay
        self.timestamp = timestamp
    }
}

/// Where the correlator keeps queue-id links between lines, batches and restarts.
///
/// The poller implements this on the tracking store (a table keyed by
/// `(host, queue_id)`, the link as columns or JSON), inside the batch's
/// transaction, so links, events and the cursor commit together. Keeping only
/// the latest life per `(host, queueId)` is enough.
public protocol QueueLinkStore: AnyObject {
    /// The latest life of `queueId` on `host` (the one with the greatest `firstSeen`), or nil.
    func latestLink(host: String, queueId: String) throws -> QueueLink?
    /// Inserts or replaces the life `(link.host, link.queueId, link.firstSeen)`.
    func save(_ link: QueueLink) throws
    /// Hands the latest life of `id` (or nil) to `body`, which changes it or puts a newer life in
    /// its place (never an older one: that is `save`'s rule, the caller keeps it), then keeps the result.
    ///
    /// What the correlator calls once per line. The default reads with `latestLink` and writes
    /// with `save`; the in-memory stores update in place with one hash lookup.
    func withLatestLink(_ id: PostfixQueueRef, _ body: (inout QueueLink?) throws -> Void) throws
}

extension QueueLinkStore {
    public func withLatestLink(_ id: PostfixQueueRef, _ body: (inout QueueLink?) throws -> Void) throws {
        var link = try latestLink(host: id.host, queueId: id.queueId)
        try body(&link)
        if let link { try save(link) }
    }
}

/// A `QueueLinkStore` in memory: for tests, dry runs and one-shot ingests without a store.
public final class InMemoryQueueLinkStore: QueueLinkStore {
    /// Boxed so that a line's update changes the stored link in place (no move in and out of the table).
    private var links: [PostfixLinkKey: PostfixLinkBox]

    /// - Parameter minimumCapacity: queue ids to make room for up front (a big file's dry run grows no table).
    public init(minimumCapacity: Int = 0) {
        links = Dictionary(minimumCapacity: minimumCapacity)
    }

    /// How many queue ids are known.
    public var count: Int { links.count }

    public func latestLink(host: String, queueId: String) -> QueueLink? {
        links[PostfixLinkKey(host: host, queueId: queueId)]?.link
    }

    public func save(_ link: QueueLink) {
        let key = PostfixLinkKey(host: link.host, queueId: link.queueId)
        guard let box = links[key] else {
            links[key] = PostfixLinkBox(link)
            return
        }
        if let existing = box.link, existing.firstSeen > link.firstSeen { return }
        box.link = link
    }

    public func withLatestLink(_ id: PostfixQueueRef, _ body: (inout QueueLink?) throws -> Void) throws {
        if let box = links[id.key] { return try body(&box.link) }
        var link: QueueLink?
        try body(&link)
        if let link { links[id.key] = PostfixLinkBox(link) }
    }

    /// Forgets lives that ended (or were last seen) before `time`: bounds memory in long runs.
    public func prune(before time: Double) {
        links = links.filter { entry in entry.value.link.map { ($0.removedAt ?? $0.lastSeen) >= time } ?? false }
    }
}

/// One stored link (or none) of an in-memory store, changed in place.
final class PostfixLinkBox {
    var link: QueueLink?
    /// Saved since the last flush (`CachingQueueLinkStore`).
    var dirty = false

    init(_ link: QueueLink?) {
        self.link = link
    }
}
