import TrackingModel

/// The one place the state changes: applies a message and returns the effects
/// the loop must perform (Elm architecture). Pure: no I/O, no clock.
public func update(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    switch msg {
    case .key(let key):
        return handleKey(&state, key)
    case .resize(let size):
        state.size = size
        return []
    case .tick(let now):
        state.now = now
        return []
    case .countsLoaded(let counts):
        // The Inbox count is counted apart and may arrive first: an answer without one keeps it.
        if let inbox = counts.inbox { state.counts.inbox = inbox }
        if let failed = counts.failed { applyFailedTally(&state, FailedTally(count: failed)) }
        return []
    case .failedCounted(let tally):
        applyFailedTally(&state, tally)
        return []
    case .threadsLoaded(let query, let page):
        applyThreads(&state, query, page)
        return []
    case .threadLoaded(let view):
        applyThread(&state, view)
        return []
    case .failedLoaded(let cards, let count):
        applyFailed(&state, cards, count: count)
        return []
    case .trackingsLoaded(let query, let page):
        applyTrackings(&state, query, page)
        return []
    case .eventsLoaded(let trackingId, let events):
        applyEvents(&state, trackingId, events)
        return []
    case .pageLoaded(let source, let request, let rows, let total):
        applyPage(&state, source, request, rows, total: total)
        return []
    case .refusalsLoaded(let refusals):
        state.header.refusals = refusals.map { r in
            var r = r
            r.domain = clean(r.domain)
            return r
        }
        return []
    case .groupsLoaded(let rows):
        applyGroups(&state, rows)
        return []
    case .bulkPreviewed(let action, let target, let summary):
        applyBulkPreview(&state, action, target, summary)
        return []
    case .bulkDone(let action, _, let ids, let summary):
        applyBulkDone(&state, action, ids, summary)
        return []
    case .listTotal(let source, let total):
        applyTotal(&state, source, total)
        return []
    case .partnersLoaded(let cards):
        // The first page of the whole list; a search's answer comes as a page.
        guard state.partners.list.query.isEmpty else { return [] }
        state.partners.list.applyTop(cards.map(\.cleaned), moreBelow: cards.count >= pageSize)
        return []
    case .trackingDetailLoaded(let row, let events):
        applyDetail(&state, row, events)
        return []
    case .storeChanged:
        return reloadEffects(state)
    case .changeFeed(let feed):
        state.header.changes = feed
        return []
    case .pollerStatus(let info):
        state.header.poller = info.state.cleaned
        state.header.lastEventAt = info.lastEventAt
        state.header.errors = info.errors
        state.header.quarantined = info.quarantined
        state.header.unmatched = info.unmatched
        return []
    case .effectFailed(let text):
        state.status = StatusLine(clean(text), isError: true)
        // An optimistic change may not have reached the store: show the truth again.
        state.pendingReview = []
        applyFailedCounter(&state)
        return reloadEffects(state)
    case .reviewDone(let ids):
        state.pendingReview.subtract(ids)
        return []
    case .retryPlansLoaded(let plans):
        applyRetryPlans(&state, plans)
        return []
    case .retryQueued(let messageId, let trackingIds, let leftFailed):
        state.pendingReview.remove(messageId)
        state.status = StatusLine(retryOutcomeText(state, resent: trackingIds.count, leftFailed: leftFailed))
        return []
    case .outboxLoaded(let info):
        state.header.outbox = info
        return []
    case .senderStatus(let sender):
        state.header.sender = sender.cleaned
        return []
    case .messagePosted(let queued):
        state.status = StatusLine(
            "Posted" + (state.header.sender.nothingSends ? "; \(noSenderText)" : "; sending to \(plural(queued, "recipient"))"),
            isError: state.header.sender.nothingSends)
        return []
    case .addressFixed(let fix, let card):
        return applyAddressFixed(&state, fix, card)
    case .keymapErrors(let errors):
        state.keymapErrors = errors.map { KeymapError(line: $0.line, message: clean($0.message)) }
        guard let first = state.keymapErrors.first else { return [] }
        let more = errors.count > 1 ? " (and \(errors.count - 1) more: help lists them)" : ""
        state.status = StatusLine(first.description + more, isError: true)
        return []
    }
}

/// The loads that fill a fresh state: the loop performs them at start.
public func startEffects(_ state: AppState) -> [Effect] {
    reloadEffects(state)
}

/// Everything on screen, loaded again (after a store change, an error, or `refresh`).
func reloadEffects(_ state: AppState) -> [Effect] {
    var effects: [Effect] = [
        .loadCounts(pending: state.pendingReview.sorted()),
        reloadEffect(state.threads, source: .threads(state.threads.query), firstPage: .loadThreads(state.threads.query)),
    ]
    switch state.mailbox {
    case .inbox:
        if let id = state.chatter.requested {
            let history = state.chatter.history
            if history.query == id && !history.atTop {
                // A window away from the newest messages is read again where it lies (one keyset page).
                effects.append(.loadThread(id: id, around: nil))
                effects.append(.loadPage(.history(threadId: id), history.reloadRequest))
            } else {
                // Reach down to the cursor's message so a reload keeps it in the first pages.
                var around: Int64?
                if case .message(let m) = state.chatter.cursor { around = m }
                effects.append(.loadThread(id: id, around: around))
            }
        }
    case .failed:
        if state.failed.showGroups { effects.append(.loadGroups) }
        effects.append(failedReload(state))
    case .tracking:
        effects.append(trackingReload(state))
    case .partners:
        effects.append(partnersReload(state))
    }
    switch state.overlay {
    case .markerDetail(let detail):
        if let id = detail.trackingId { effects.append(.loadTrackingDetail(id)) }
    case .retry(let dialog):
        // The checks follow the store (a resend queued elsewhere, a new bounce).
        effects.append(.loadRetryPlans(messageIds: dialog.messageIds))
    case .bulk(let preview):
        // The counts follow the store until the action is confirmed.
        effects.append(.previewBulk(preview.action, preview.target))
    case .help, nil:
        break
    }
    return effects
}

/// The Failed pane's reload (see `reloadEffect`); `.loadFailed` reads the whole mailbox's first page.
func failedReload(_ state: AppState) -> Effect {
    let list = state.failed.list
    return reloadEffect(list, source: .failed(list.query), firstPage: list.query.isWhole ? .loadFailed : nil)
}

/// The Partners mailbox's reload: the whole list's first page, or the window read again.
func partnersReload(_ state: AppState) -> Effect {
    let list = state.partners.list
    return reloadEffect(list, source: .partners(search: list.query), firstPage: list.query.isEmpty ? .loadPartners : nil)
}

/// The Tracking mailbox's reload: the list of the open tab.
func trackingReload(_ state: AppState) -> Effect {
    let t = state.tracking
    switch t.tab {
    case .emails: return reloadEffect(t.emails, source: .trackings(t.query), firstPage: .loadTrackings(t.query))
    case .events:
        return reloadEffect(
            t.events, source: .events(trackingId: t.events.query), firstPage: .loadEvents(trackingId: t.events.query))
    }
}

private func applyThreads(_ state: inout AppState, _ query: ThreadQuery, _ page: Page<ThreadSummary>) {
    guard query == state.threads.query, state.threads.atTop else { return }
    state.threads.applyTop(page.rows.map(\.cleaned), moreBelow: page.next != nil)
}

private func applyThread(_ state: inout AppState, _ incoming: ThreadView) {
    guard incoming.thread.id == state.chatter.requested else { return }
    var view = incoming.cleaned
    view.failed.removeAll { state.pendingReview.contains($0.id) }
    let same = state.chatter.view?.thread.id == view.thread.id && state.chatter.history.query == view.thread.id
    // A window away from the newest messages stays where it is (new ones come in above it).
    if !same || state.chatter.history.atTop {
        var history = ListState<MessageView, Int64>(query: view.thread.id)
        history.total = view.thread.messageCount
        history.applyTop(view.history, moreBelow: view.nextCursor != nil)
        state.chatter.history = history
    } else {
        state.chatter.history.total = view.thread.messageCount
    }
    state.chatter.view = view
    showHistory(&state)
    reconcileChatter(&state)
}

/// The whole mailbox's first page (answer to `.loadFailed`), with the kept
/// counter when the sender counted it (the counter's rule then takes it).
private func applyFailed(_ state: inout AppState, _ cards: [MessageView], count: Int?) {
    let clean = cards.map(\.cleaned)
    let kept = clean.filter { !state.pendingReview.contains($0.id) }
    if let count {
        // A complete list is evidence: a pending review it no longer holds is gone from the count.
        let gone = clean.count >= count ? state.pendingReview.subtracting(clean.map(\.id)) : []
        applyFailedTally(&state, FailedTally(count: count, gone: gone))
    }
    guard state.failed.list.query.isWhole, state.failed.list.atTop else { return }
    let before = state.failed.cursor
    state.failed.list.applyTop(kept, moreBelow: clean.count >= pageSize)
    state.failed.list.total = state.counts.failed
    if state.failed.cursor != before { state.failed.recipient = 0 }
    clampRecipient(&state)
}

private func applyTrackings(_ state: inout AppState, _ query: TrackingQuery, _ page: Page<TrackingRow>) {
    guard query == state.tracking.query, state.tracking.emails.atTop else { return }
    state.tracking.emails.applyTop(page.rows.map(\.cleaned), moreBelow: page.next != nil)
}

private func applyEvents(_ state: inout AppState, _ trackingId: Int64?, _ events: [EventRow]) {
    guard trackingId == state.tracking.events.query, state.tracking.events.atTop else { return }
    state.tracking.events.applyTop(
        events.map(\.cleaned), moreBelow: events.count >= pageSize, state.tracking.eventFilter)
}

private func applyDetail(_ state: inout AppState, _ row: TrackingRow, _ events: [EventRow]) {
    guard case .markerDetail(var detail) = state.overlay, detail.trackingId == row.id else { return }
    let clean = row.cleaned
    detail.row = clean
    detail.events = events.map(\.cleaned).sorted { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
    detail.loading = false
    detail.marker = clean.marker
    detail.cause = clean.cause
    detail.statusText =
        clean.marker == .noEmail
        ? (clean.errorDescription ?? noRecipientDescription) : "Status: \(humanStateName(clean.state))"
    state.overlay = .markerDetail(detail)
}

/// "1 message", "3 messages".
func plural(_ n: Int, _ word: String) -> String {
    "\(n) \(word)\(n == 1 ? "" : "s")"
}
