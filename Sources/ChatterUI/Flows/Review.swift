import TrackingModel

/// How many undo entries are kept.
let undoDepth = 20

/// The messages an action on "the current message" applies to: the selection
/// when there is one, else the message under the cursor.
func targetMessages(_ state: AppState) -> [MessageView] {
    let known = knownMessages(state)
    if !state.selection.isEmpty {
        return state.selection.sorted().compactMap { known[$0] }
    }
    guard state.focus == .main else { return [] }
    switch state.mailbox {
    case .inbox: return currentChatterMessage(state).map { [$0] } ?? []
    case .failed: return currentFailedCard(state).map { [$0] } ?? []
    case .tracking, .partners: return []
    }
}

/// Every message the state holds, by id (the Failed pane's copy first).
func knownMessages(_ state: AppState) -> [Int64: MessageView] {
    var out: [Int64: MessageView] = [:]
    for m in state.chatter.view?.history ?? [] { out[m.id] = m }
    for m in state.chatter.view?.failed ?? [] { out[m.id] = m }
    for m in state.failed.cards { out[m.id] = m }
    return out
}

/// Set as reviewed, optimistically: the messages leave the Failed pane and the
/// thread's failed section at once and the counters drop; the store write is the
/// returned effect and `u` undoes it.
func review(_ state: inout AppState) -> [Effect] {
    let targets = targetMessages(state).filter(\.isFailed)
    guard !targets.isEmpty else {
        state.status = StatusLine("Nothing to review here: no failed message under the cursor or selected")
        return []
    }
    let ids = targets.map(\.id)
    let entry = removeFailed(&state, targets)
    state.undoStack.append(entry)
    if state.undoStack.count > undoDepth { state.undoStack.removeFirst(state.undoStack.count - undoDepth) }
    state.selection.subtract(ids)
    let undoKey = state.keymap.keys(for: .undo, in: state.keyContext).first?.label(ascii: state.display.ascii)
    state.status = StatusLine("Set \(plural(ids.count, "message")) as reviewed" + (undoKey.map { " (\($0) to undo)" } ?? ""))
    return [.review(ids)]
}

/// Takes messages out of every failed list and lowers the counters; returns what
/// was removed and where, so that undo can put it back.
func removeFailed(_ state: inout AppState, _ messages: [MessageView]) -> UndoEntry {
    let ids = Set(messages.map(\.id))
    var failedCards: [PlacedMessage] = []
    for (i, m) in state.failed.cards.enumerated() where ids.contains(m.id) {
        failedCards.append(PlacedMessage(index: i, message: m))
    }
    var threadCards: [PlacedMessage] = []
    var historyNeedsAction: [Int64: Bool] = [:]
    if var view = state.chatter.view {
        for (i, m) in view.failed.enumerated() where ids.contains(m.id) {
            threadCards.append(PlacedMessage(index: i, message: m))
        }
        view.failed.removeAll { ids.contains($0.id) }
        for i in view.history.indices where ids.contains(view.history[i].id) {
            historyNeedsAction[view.history[i].id] = view.history[i].needsAction
            view.history[i].needsAction = false
        }
        state.chatter.view = view
    }
    var badges: [Int64: Int] = [:]
    for m in messages { badges[m.threadId, default: 0] += 1 }
    for i in state.threads.rows.indices {
        if let n = badges[state.threads.rows[i].id] {
            state.threads.rows[i].failedCount = max(0, state.threads.rows[i].failedCount - n)
        }
    }
    if let view = state.chatter.view, let n = badges[view.thread.id] {
        state.chatter.view?.thread.failedCount = max(0, view.thread.failedCount - n)
    }
    let entry = UndoEntry(
        messageIds: messages.map(\.id), failedCards: failedCards, threadCards: threadCards,
        historyNeedsAction: historyNeedsAction, threadBadges: badges, failedCount: state.counts.failed,
        failedCursor: state.failed.cursor, chatterCursor: state.chatter.cursor)
    state.failed.cards.removeAll { ids.contains($0.id) }
    // Pending until the store confirms: reloads hide them and the counter leaves them out.
    state.pendingReview.formUnion(ids)
    applyFailedCounter(&state)
    reconcileFailed(&state)
    reconcileChatter(&state)
    return entry
}

/// Undoes the last review: the messages come back where they were, with the
/// cursor, and the store is told (`unreview`).
func undoReview(_ state: inout AppState) -> [Effect] {
    guard let entry = state.undoStack.popLast() else {
        state.status = StatusLine("Nothing to undo")
        return []
    }
    for placed in entry.failedCards.sorted(by: { $0.index < $1.index })
    where !state.failed.cards.contains(where: { $0.id == placed.message.id }) {
        state.failed.cards.insert(placed.message, at: min(placed.index, state.failed.cards.count))
    }
    if var view = state.chatter.view {
        for placed in entry.threadCards.sorted(by: { $0.index < $1.index })
        where placed.message.threadId == view.thread.id && !view.failed.contains(where: { $0.id == placed.message.id }) {
            view.failed.insert(placed.message, at: min(placed.index, view.failed.count))
        }
        for i in view.history.indices {
            if let before = entry.historyNeedsAction[view.history[i].id] { view.history[i].needsAction = before }
        }
        if let n = entry.threadBadges[view.thread.id] { view.thread.failedCount += n }
        state.chatter.view = view
    }
    for i in state.threads.rows.indices {
        if let n = entry.threadBadges[state.threads.rows[i].id] { state.threads.rows[i].failedCount += n }
    }
    state.pendingReview.subtract(entry.messageIds)
    applyFailedCounter(&state)
    state.failed.cursor = entry.failedCursor
    state.chatter.cursor = entry.chatterCursor
    reconcileFailed(&state)
    reconcileChatter(&state)
    state.status = StatusLine("Review undone for \(plural(entry.messageIds.count, "message"))")
    return [.unreview(entry.messageIds)]
}

/// Shows resent recipients as waiting before the store confirms.
func markWaiting(_ state: inout AppState, _ trackingIds: Set<Int64>) {
    func reset(_ m: inout MessageView) {
        for i in m.recipients.indices {
            guard let id = m.recipients[i].trackingId, trackingIds.contains(id) else { continue }
            m.recipients[i].state = nil
            m.recipients[i].marker = .waiting
            m.recipients[i].errorType = nil
            m.recipients[i].errorDescription = nil
        }
    }
    if var view = state.chatter.view {
        for i in view.history.indices { reset(&view.history[i]) }
        for i in view.failed.indices { reset(&view.failed[i]) }
        state.chatter.view = view
    }
    for i in state.failed.cards.indices { reset(&state.failed.cards[i]) }
}
