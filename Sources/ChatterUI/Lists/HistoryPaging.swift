import TrackingModel

/// A thread's history pages like every other list: the chatter cursor moves
/// over the items on screen (failed section, then the history window), and the
/// history's `ListState` says which page the window needs. In oldest-first
/// order the history is shown reversed, so a movement is turned around before
/// it reaches the (newest-first) window.

/// The history page the chatter needs after the cursor moved by `movement`:
/// `G` / `g` read the thread's very end or start in one query when the window
/// does not hold it; a cursor near a window edge asks for the page beyond.
func historyPage(_ state: inout AppState, _ movement: Movement, prefetch: Int) -> [Effect] {
    guard state.chatter.view != nil else { return [] }
    let own = state.chatter.oldestFirst ? reversed(movement) : movement
    let request: PageRequest?
    switch own {
    case .top, .bottom:
        request = state.chatter.history.move(own, prefetch: prefetch)
    case .by:
        guard case .message(let id) = state.chatter.cursor else { return [] }
        state.chatter.history.select(id)
        request = state.chatter.history.move(.by(0), prefetch: prefetch)
    }
    return request.map { [.loadPage(.history(threadId: state.chatter.history.query), $0)] } ?? []
}

/// Applies a history page (dropped when another thread is open or the window moved on).
func applyHistoryPage(
    _ state: inout AppState, _ threadId: Int64, _ request: PageRequest, _ rows: [MessageView], total: Int?
) {
    guard threadId == state.chatter.history.query, state.chatter.view?.thread.id == threadId else { return }
    let jump = state.chatter.history.pending == request
    guard state.chatter.history.apply(request, rows, total: total) else { return }
    showHistory(&state)
    let toOldest: Bool
    switch request.start {
    case .top: toOldest = false
    case .bottom: toOldest = true
    case .after, .before: return reconcileChatter(&state)
    }
    guard jump else { return reconcileChatter(&state) }
    // `G` / `g` land on the end they were sent to, in the order shown.
    let movement: Movement = toOldest != state.chatter.oldestFirst ? .bottom : .top
    let c = IdentityCursor.moved(state.chatter.items, id: state.chatter.cursor, index: state.chatter.cursorIndex, movement)
    state.chatter.cursor = c.id
    state.chatter.cursorIndex = c.index
    state.chatter.recipient = 0
    clampRecipient(&state)
}

/// Shows the history window's rows (a message whose review is pending shows reviewed).
func showHistory(_ state: inout AppState) {
    guard var view = state.chatter.view else { return }
    view.history = state.chatter.history.rows.map { m in
        var m = m
        if state.pendingReview.contains(m.id) { m.needsAction = false }
        return m
    }
    view.nextCursor = state.chatter.history.moreBelow ? state.chatter.history.rows.last?.pageKey : nil
    state.chatter.view = view
}

private func reversed(_ movement: Movement) -> Movement {
    switch movement {
    case .by(let delta): return .by(-delta)
    case .top: return .bottom
    case .bottom: return .top
    }
}
