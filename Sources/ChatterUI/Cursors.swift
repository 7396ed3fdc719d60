import TrackingModel

// Each list's cursor, kept by id through reloads (see `IdentityCursor`), and
// moved by the movement actions.

func reconcileThreads(_ state: inout AppState) {
    let c = IdentityCursor.reconcile(
        state.threads.rows.map(\.id), id: state.threads.cursor, index: state.threads.cursorIndex)
    state.threads.cursor = c.id
    state.threads.cursorIndex = c.index
}

func reconcileChatter(_ state: inout AppState) {
    let c = IdentityCursor.reconcile(state.chatter.items, id: state.chatter.cursor, index: state.chatter.cursorIndex)
    if c.id != state.chatter.cursor { state.chatter.recipient = 0 }
    state.chatter.cursor = c.id
    state.chatter.cursorIndex = c.index
    clampRecipient(&state)
}

func reconcileFailed(_ state: inout AppState) {
    let c = IdentityCursor.reconcile(state.failed.cards.map(\.id), id: state.failed.cursor, index: state.failed.cursorIndex)
    if c.id != state.failed.cursor { state.failed.recipient = 0 }
    state.failed.cursor = c.id
    state.failed.cursorIndex = c.index
    clampRecipient(&state)
}

func reconcileTracking(_ state: inout AppState) {
    let c = IdentityCursor.reconcile(
        state.tracking.rows.map(\.id), id: state.tracking.cursor, index: state.tracking.cursorIndex)
    state.tracking.cursor = c.id
    state.tracking.cursorIndex = c.index
}

func reconcileEvents(_ state: inout AppState) {
    let c = IdentityCursor.reconcile(
        state.tracking.visibleEvents.map(\.id), id: state.tracking.eventCursor, index: state.tracking.eventCursorIndex)
    state.tracking.eventCursor = c.id
    state.tracking.eventCursorIndex = c.index
}

func reconcilePartners(_ state: inout AppState) {
    let c = IdentityCursor.reconcile(
        state.partners.visible.map(\.id), id: state.partners.cursor, index: state.partners.cursorIndex)
    state.partners.cursor = c.id
    state.partners.cursorIndex = c.index
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
        let c = IdentityCursor.moved(
            state.threads.rows.map(\.id), id: state.threads.cursor, index: state.threads.cursorIndex, movement)
        state.threads.cursor = c.id
        state.threads.cursorIndex = c.index
        if state.threads.hasMore && c.index >= state.threads.rows.count - pageStep(state) {
            var query = state.threads.query
            query.limit = state.threads.rows.count + pageSize
            if query != state.threads.query {
                state.threads.query = query
                return [.loadThreads(query)]
            }
        }
        return []
    case .main:
        return moveMain(&state, movement)
    }
}

private func moveMain(_ state: inout AppState, _ movement: Movement) -> [Effect] {
    switch state.mailbox {
    case .inbox:
        let c = IdentityCursor.moved(
            state.chatter.items, id: state.chatter.cursor, index: state.chatter.cursorIndex, movement)
        if c.id != state.chatter.cursor { state.chatter.recipient = 0 }
        state.chatter.cursor = c.id
        state.chatter.cursorIndex = c.index
        return loadOlderIfNeeded(&state)
    case .failed:
        let c = IdentityCursor.moved(
            state.failed.cards.map(\.id), id: state.failed.cursor, index: state.failed.cursorIndex, movement)
        if c.id != state.failed.cursor { state.failed.recipient = 0 }
        state.failed.cursor = c.id
        state.failed.cursorIndex = c.index
        return []
    case .tracking:
        switch state.tracking.tab {
        case .emails:
            let c = IdentityCursor.moved(
                state.tracking.rows.map(\.id), id: state.tracking.cursor, index: state.tracking.cursorIndex,
                movement)
            state.tracking.cursor = c.id
            state.tracking.cursorIndex = c.index
            if state.tracking.hasMore && c.index >= state.tracking.rows.count - pageStep(state) {
                var query = state.tracking.query
                query.limit = state.tracking.rows.count + pageSize
                if query != state.tracking.query {
                    state.tracking.query = query
                    return [.loadTrackings(query)]
                }
            }
            return []
        case .events:
            let c = IdentityCursor.moved(
                state.tracking.visibleEvents.map(\.id), id: state.tracking.eventCursor,
                index: state.tracking.eventCursorIndex, movement)
            state.tracking.eventCursor = c.id
            state.tracking.eventCursorIndex = c.index
            return []
        }
    case .partners:
        let c = IdentityCursor.moved(
            state.partners.visible.map(\.id), id: state.partners.cursor, index: state.partners.cursorIndex, movement)
        state.partners.cursor = c.id
        state.partners.cursorIndex = c.index
        return []
    }
}

/// Asks for the next older history page when the cursor reaches one of the
/// three oldest loaded messages (in either order).
private func loadOlderIfNeeded(_ state: inout AppState) -> [Effect] {
    guard let view = state.chatter.view, let next = view.nextCursor, !state.chatter.loadingOlder,
        case .message(let id) = state.chatter.cursor, view.history.suffix(3).contains(where: { $0.id == id })
    else { return [] }
    state.chatter.loadingOlder = true
    return [.loadOlderMessages(threadId: view.thread.id, after: next)]
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
