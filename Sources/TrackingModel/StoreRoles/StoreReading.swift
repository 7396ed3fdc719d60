/// The store's read side: every list, count and lookup the front and the CLI
/// listings read. Both stores conform (the SQLite file and the PostgreSQL server),
/// with the same rows for the same data: lists are newest first (partners A to Z)
/// and paged by keyset along the same indexes, so a page from either end, or beside
/// a row, costs one indexed step whatever the list's length.
///
/// Synchronous and untyped `throws`: the front's effect runner and the CLI run these
/// on threads of their own; a store's own error types pass through unchanged.
public protocol StoreReading: UserLookup {
    // MARK: Failed mailbox

    /// A page of the Failed mailbox of `user`: failed messages (needs action, a
    /// failed tracking) that the user wrote or was notified of, newest first;
    /// `filter` keeps a failure group's, `search` those with a failed row matching.
    func failedMessages(for user: Int64, filter: FailureFilter?, search: String?, page: PageRequest) throws
        -> Page<MessageView>
    /// The ids of the whole (filtered, searched) mailbox, newest first: what a bulk action applies to.
    func failedMessageIds(for user: Int64, filter: FailureFilter?, search: String?) throws -> [Int64]
    /// The mailbox's kept counter (one row).
    func failedCount(for user: Int64) throws -> Int
    /// The mailbox's count of one failure group (the kept counter without a filter).
    func failedCount(for user: Int64, filter: FailureFilter?) throws -> Int
    /// The kept counter and which of `pending` (reviews not yet confirmed) are still
    /// failed, read together so the front subtracts exactly the reviews still counted.
    func failedTally(for user: Int64, pending: [Int64]) throws -> (count: Int, stillFailed: Set<Int64>)
    /// The mailbox as failure groups (cause, receiving domain), newest failure first.
    func failureGroups(for user: Int64, filter: FailureFilter) throws -> [FailureGroup]
    /// Receiving domains refusing our mail: (cause, domain) pairs with at least
    /// `threshold` failures of `causes` in the last `window` seconds, most first.
    func refusalSurges(causes: [FailureCause], threshold: Int, window: Double) throws -> [RefusalSurge]

    // MARK: Threads and messages

    /// A page of threads, newest activity first; `failedOnly`: threads with failed messages.
    func threads(failedOnly: Bool, search: String?, page: PageRequest) throws -> Page<ThreadSummary>
    /// How many threads the list holds; nil with a search (a count would read every name).
    func threadCount(failedOnly: Bool, search: String?) throws -> Int?
    /// One thread's chatter by reference: its newest failed messages, then a history page.
    func thread(_ ref: ThreadRef, after: PageCursor?, limit: Int) throws -> ThreadView
    /// One thread's chatter by id.
    func thread(id: Int64, after: PageCursor?, limit: Int) throws -> ThreadView
    /// A page of one thread's history (every message, newest first), from either end.
    func threadHistory(id: Int64, page: PageRequest) throws -> Page<MessageView>
    /// One message with its recipients.
    func message(id: Int64) throws -> MessageView
    /// The Inbox count of `user` among messages with an id in `afterId+1...throughId`.
    func inboxCount(for user: Int64, afterId: Int64, throughId: Int64) throws -> Int
    /// The highest message id (0 for an empty store).
    func latestMessageId() throws -> Int64

    // MARK: Trackings and events

    /// A page of tracking emails, newest first, filtered.
    func trackings(_ filter: TrackingFilter, page: PageRequest) throws -> Page<TrackingRow>
    /// How many tracking emails a filter keeps; nil with a search or a recipient.
    func trackingCount(_ filter: TrackingFilter) throws -> Int?
    /// One tracking email.
    func tracking(id: Int64) throws -> TrackingRow
    /// A page of events, newest first, filtered.
    func events(_ filter: EventFilter, page: PageRequest) throws -> Page<EventRow>
    /// How many events: of one tracking row, or all.
    func eventCount(trackingId: Int64?) throws -> Int
    /// How many items the poller quarantined and how many events matched no tracking row.
    func ingestCounts() throws -> (quarantined: Int, unmatched: Int)

    // MARK: Partners and settings

    /// A page of partners in name order (A to Z, then id); `search` matches name or address.
    func partners(search: String?, page: PageRequest) throws -> Page<PartnerCard>
    /// Partners in name order after (`after`, `afterId`), at most `limit`; `bouncedOnly`: flagged addresses.
    func partners(bouncedOnly: Bool, after: String?, afterId: Int64?, limit: Int) throws -> [PartnerCard]
    /// How many partners; nil with a search.
    func partnerCount(search: String?) throws -> Int?
}

extension StoreReading {
    /// The first page after `after` (the top without one): how the CLI pages with `--after`.
    public func failedMessages(
        for user: Int64, filter: FailureFilter? = nil, search: String? = nil, after: PageCursor? = nil, limit: Int = 50
    ) throws -> Page<MessageView> {
        try failedMessages(for: user, filter: filter, search: search, page: .below(after, limit: limit))
    }

    /// Threads below `after` (the top without one).
    public func threads(failedOnly: Bool = false, search: String? = nil, after: PageCursor? = nil, limit: Int = 100)
        throws -> Page<ThreadSummary>
    {
        try threads(failedOnly: failedOnly, search: search, page: .below(after, limit: limit))
    }

    /// Tracking emails below `after` (the top without one).
    public func trackings(_ filter: TrackingFilter = TrackingFilter(), after: PageCursor? = nil, limit: Int = 100)
        throws -> Page<TrackingRow>
    {
        try trackings(filter, page: .below(after, limit: limit))
    }

    /// Events below `after` (the top without one).
    public func events(_ filter: EventFilter = EventFilter(), after: PageCursor? = nil, limit: Int = 100) throws
        -> Page<EventRow>
    {
        try events(filter, page: .below(after, limit: limit))
    }
}

extension PageRequest {
    /// The page below `cursor`, or the top page without one.
    public static func below(_ cursor: PageCursor?, limit: Int) -> PageRequest {
        PageRequest(cursor.map { .after($0) } ?? .top, limit: limit)
    }
}
