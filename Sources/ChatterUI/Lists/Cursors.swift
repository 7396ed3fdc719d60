import TrackingModel

// Each list's cursor, kept by id through reloads (see `IdentityCursor`), and
// moved by the movement actions.

func reconcileThreads(_ state: inout AppState) {
    state.threads.reconcile()
}

func reconcileChatter(_ state: inout AppState) {
    let c = IdentityCursor.reconcile(state.chatter.items, id: state.chatter.cursor, index: state.chatter.cursorIndex)
    if c.id != state.chatter.cursor { state.chatter.recipient = 0 }
    state.chatter.cursor = c.id
    state.chatter.cursorIndex = c.index
    clampRecipient(&state)
}

func reconcileFailed(_ state: inout AppState) {
    let before = state.failed.cursor
    state.failed.list.reconcile()
    if state.failed.cursor != before { state.failed.recipient = 0 }
    clampRecipient(&state)
}

func reconcileTracking(_ state: inout AppState) {
    state.tracking.emails.reconcile()
}

func reconcileEvents(_ state: inout AppState) {
    state.tracking.events.reconcile(state.tracking.eventFilter)
}

func reconcilePartners(_ state: inout AppState) {
    state.partners.list.reconcile()
}

/// Keeps the recipient cursor inside the current message's recipient list.
func clampRecipient(_ state: inout AppState) {
    let chatterCount = currentChatterRecipients(state).count
    state.chatter.recipient = min(max(0, state.chatter.recipient), max(0, chatterCount - 1))
    let failedCount = currentFailedCard(state)?.failedRecipients.count ?? 0
    state.failed.recipient = min(max(0, state.failed.recipient), max(0, failedCount - 1))
}

/// The message under the chatter cursor.
func currentChatterMessage(_ state: AppState) -> MessageView? {
    state.chatter.cursor.flatMap { state.chatter.message(for: $0) }
}

/// The recipients h/l move through in the chatter: a failed card shows only its
/// failed recipients, a history message all of them.
func currentChatterRecipients(_ state: AppState) -> [RecipientEntry] {
    guard let item = state.chatter.cursor, let message = state.chatter.message(for: item) else { return [] }
    switch item {
    case .failedHeader: return []
    case .failedCard: return message.failedRecipients
    case .message: return message.recipients
    }
}

/// The card under the Failed pane's cursor.
func currentFailedCard(_ state: AppState) -> MessageView? {
    guard let id = state.failed.cursor else { return nil }
    return state.failed.cards.first { $0.id == id }
}

/// Moves the cursor of the list that has the focus (or of the open popup).
/// Returns the loads a longer list needs when the cursor nears the end.
func move(_ state: inout AppState, _ movement: Movement) -> [Effect] {
    switch state.overlay {
    case .help(let scroll):
        let p = HelpView.popup(state.size)
        let count = HelpView.lines(state, width: p.inner.width).count
        state.overlay = .help(scroll: scrolled(scroll, movement, max: max(0, count - p.inner.height)))
        return []
    case .bulk:
        return []
    case .markerDetail(var detail):
        let width = MarkerDetailView.popup(state.size, lineCount: 0).inner.width
        let count = MarkerDetailView.lines(state, detail, width: width).count
        let p = MarkerDetailView.popup(state.size, lineCount: count)
        detail.scroll = scrolled(detail.scroll, movement, max: max(0, count - p.inner.height))
        state.overlay = .markerDetail(detail)
        return []
    case .retry(var dialog):
        dialog.cursor = IdentityCursor.moved(Array(dialog.items.indices), id: dialog.cursor, index: dialog.cursor, movement).id ?? 0
        state.overlay = .retry(dialog)
        return []
    case nil:
        break
    }
    switch state.focus {
    case .mailboxes:
        let all = Mailbox.allCases
        let index = all.firstIndex(of: state.mailboxCursor) ?? 0
        if let next = IdentityCursor.moved(all, id: state.mailboxCursor, index: index, movement).id {
            state.mailboxCursor = next
        }
        return []
    case .threads:
        let page = state.threads.move(movement, prefetch: pageStep(state))
        return page.map { [.loadPage(.threads(state.threads.query), $0)] } ?? []
    case .main:
        return moveMain(&state, movement)
    }
}

private func moveMain(_ state: inout AppState, _ movement: Movement) -> [Effect] {
    let prefetch = pageStep(state)
    switch state.mailbox {
    case .inbox:
        let c = IdentityCursor.moved(
            state.chatter.items, id: state.chatter.cursor, index: state.chatter.cursorIndex, movement)
        if c.id != state.chatter.cursor { state.chatter.recipient = 0 }
        state.chatter.cursor = c.id
        state.chatter.cursorIndex = c.index
        return historyPage(&state, movement, prefetch: prefetch)
    case .failed where state.failed.showGroups:
        state.failed.groups.moveInWindow(movement)
        return []
    case .failed:
        let before = state.failed.cursor
        let page = state.failed.list.move(movement, prefetch: prefetch)
        if state.failed.cursor != before { state.failed.recipient = 0 }
        return page.map { [.loadPage(.failed(state.failed.list.query), $0)] } ?? []
    case .tracking:
        switch state.tracking.tab {
        case .emails:
            let page = state.tracking.emails.move(movement, prefetch: prefetch)
            return page.map { [.loadPage(.trackings(state.tracking.query), $0)] } ?? []
        case .events:
            let page = state.tracking.events.move(movement, prefetch: prefetch, state.tracking.eventFilter)
            return page.map { [.loadPage(.events(trackingId: state.tracking.events.query), $0)] } ?? []
        }
    case .partners:
        let page = state.partners.list.move(movement, prefetch: prefetch)
        return page.map { [.loadPage(.partners(search: state.partners.list.query), $0)] } ?? []
    }
}

/// Rows a page key moves: the height of a list pane.
func pageStep(_ state: AppState) -> Int {
    max(1, state.size.height - 6)
}

/// A popup's scroll offset after a movement, within `0...max`.
private func scrolled(_ offset: Int, _ movement: Movement, max limit: Int) -> Int {
    switch movement {
    case .by(let delta): return min(max(0, offset + delta), limit)
    case .top: return 0
    case .bottom: return limit
    }
}
