import ChatterUI
import TrackingModel

/// Reads the pages and counts of the front's lists (`Effect.loadPage`) from
/// the store: each list's keyset listing, and its count from the kept counter
/// or one indexed count (nil where only a scan could count, e.g. a search).
enum ListPages {
    /// One page of a list, with the list's count when the page is one of its ends.
    static func page(_ store: any StoreReading, user: Int64, _ source: ListSource, _ request: PageRequest) throws -> Msg {
        let counted: Int?
        switch request.start {
        case .top, .bottom: counted = try total(store, user: user, source)
        case .after, .before: counted = nil
        }
        let rows: ListRows
        switch source {
        case .threads(let q):
            rows = .threads(
                try store.threads(failedOnly: q.failedOnly, search: q.search.isEmpty ? nil : q.search, page: request).rows)
        case .failed(let q):
            rows = .failed(
                try store.failedMessages(
                    for: user, filter: q.group.map(filter), search: q.search.isEmpty ? nil : q.search, page: request
                ).rows)
        case .trackings(let q):
            rows = .trackings(try store.trackings(EffectRunner.filter(q), page: request).rows)
        case .events(let trackingId):
            rows = .events(try store.events(EventFilter(trackingId: trackingId), page: request).rows)
        case .partners(let search):
            rows = .partners(try store.partners(search: search, page: request).rows)
        case .history(let threadId):
            rows = .history(try store.threadHistory(id: threadId, page: request).rows)
        }
        return .pageLoaded(source, request, rows, total: counted)
    }

    /// A list's count: nil when the list is searched (a count would read every row).
    static func total(_ store: any StoreReading, user: Int64, _ source: ListSource) throws -> Int? {
        switch source {
        case .threads(let q):
            return try store.threadCount(failedOnly: q.failedOnly, search: q.search)
        case .failed(let q):
            // The whole mailbox's count is the front's Failed counter (one count per reload).
            guard q.search.isEmpty, let group = q.group else { return nil }
            return try store.failedCount(for: user, filter: filter(group))
        case .trackings(let q):
            return try store.trackingCount(EffectRunner.filter(q))
        case .events(let trackingId):
            return try store.eventCount(trackingId: trackingId)
        case .partners(let search):
            return try store.partnerCount(search: search)
        case .history:
            // The thread's kept counter comes with the thread (`ThreadSummary.messageCount`).
            return nil
        }
    }

    /// The store's filter of a failure group.
    static func filter(_ key: GroupKey) -> FailureFilter {
        FailureFilter(cause: key.cause.map(GroupCause.cause) ?? .unknown, domain: key.domain)
    }
}
