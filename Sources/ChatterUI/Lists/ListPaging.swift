import TrackingModel

/// A paged list and the query it is read with: what `Effect.loadPage` reads
/// and what its answer names (an answer for another query is dropped).
public enum ListSource: Sendable, Hashable {
    case threads(ThreadQuery)
    case failed(FailedQuery)
    case trackings(TrackingQuery)
    /// The events of one tracking row, or all (nil).
    case events(trackingId: Int64?)
    /// The partners by name, searched (empty: all).
    case partners(search: String)
    /// The history of one thread (all its messages).
    case history(threadId: Int64)
}

/// The rows of a page, typed by list.
public enum ListRows: Sendable, Hashable {
    case threads([ThreadSummary])
    case failed([MessageView])
    case trackings([TrackingRow])
    case events([EventRow])
    case partners([PartnerCard])
    case history([MessageView])
}

/// Applies a page answer to its list (dropped when the list's query changed).
func applyPage(_ state: inout AppState, _ source: ListSource, _ request: PageRequest, _ rows: ListRows, total: Int?) {
    switch (source, rows) {
    case (.threads(let q), .threads(let r)):
        guard q == state.threads.query else { return }
        state.threads.apply(request, r.map(\.cleaned), total: total)
    case (.failed(let q), .failed(let r)):
        guard q == state.failed.list.query else { return }
        let before = state.failed.cursor
        state.failed.list.apply(
            request, r.map(\.cleaned).filter { !state.pendingReview.contains($0.id) },
            total: failedListTotal(state, q, storeTotal: total))
        if state.failed.cursor != before { state.failed.recipient = 0 }
        clampRecipient(&state)
    case (.trackings(let q), .trackings(let r)):
        guard q == state.tracking.query else { return }
        state.tracking.emails.apply(request, r.map(\.cleaned), total: total)
    case (.events(let id), .events(let r)):
        guard id == state.tracking.events.query else { return }
        state.tracking.events.apply(request, r.map(\.cleaned), total: total, state.tracking.eventFilter)
    case (.partners(let q), .partners(let r)):
        guard q == state.partners.list.query else { return }
        state.partners.list.apply(request, r.map(\.cleaned), total: total)
    case (.history(let id), .history(let r)):
        applyHistoryPage(&state, id, request, r.map(\.cleaned), total: total)
    case (.threads, _), (.failed, _), (.trackings, _), (.events, _), (.partners, _), (.history, _):
        return
    }
}

/// Applies a list's count (dropped when the list's query changed).
func applyTotal(_ state: inout AppState, _ source: ListSource, _ total: Int?) {
    switch source {
    case .threads(let q) where q == state.threads.query: state.threads.total = total
    case .failed(let q) where q == state.failed.list.query:
        state.failed.list.total = failedListTotal(state, q, storeTotal: total)
    case .trackings(let q) where q == state.tracking.query: state.tracking.emails.total = total
    case .events(let id) where id == state.tracking.events.query: state.tracking.events.total = total
    case .partners(let q) where q == state.partners.list.query: state.partners.list.total = total
    // A history's count is its thread's kept counter, which comes with the thread.
    case .threads, .failed, .trackings, .events, .partners, .history: return
    }
}

/// The load that reads a list again as it stands (after a store change): the
/// first page's own effect while the window is that page, else the window read
/// again from its top or its first row.
func reloadEffect<Row: KeysetRow, Query>(
    _ list: ListState<Row, Query>, source: ListSource, firstPage: Effect?
) -> Effect {
    if let firstPage, list.atTop, list.rows.count <= pageSize { return firstPage }
    return .loadPage(source, list.reloadRequest)
}
