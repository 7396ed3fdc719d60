import TrackingModel

/// Opens the search prompt for the list in focus, pre-filled with its current query.
func startSearch(_ state: inout AppState) -> [Effect] {
    guard state.overlay == nil else { return [] }
    let context = searchContext(state)
    // A new query each time; the last ones come back with Up, as in a shell.
    state.prompt = Prompt(purpose: .search(context), text: "")
    return []
}

/// Where `/` searches: the Mailboxes pane searches the thread list.
private func searchContext(_ state: AppState) -> KeyContext {
    switch state.keyContext {
    case .generic: return .threads
    case .threads, .thread, .failed, .tracking, .partners: return state.keyContext
    }
}

private func currentQuery(_ state: AppState, _ context: KeyContext) -> String {
    switch context {
    case .generic, .threads: return state.threads.query.search
    case .thread: return state.chatter.find
    case .failed: return state.failed.list.query.search
    case .tracking: return state.tracking.query.search
    case .partners: return state.partners.list.query
    }
}

/// Applies a confirmed search. Thread names and tracking emails are searched by
/// the store (the list reloads filtered); the chatter and the Failed pane jump to
/// the first match (n/N go on); partners are searched by the store too.
func confirmPrompt(_ state: inout AppState, _ prompt: Prompt) -> [Effect] {
    switch prompt.purpose {
    case .fixAddress(let fix):
        return confirmFixAddress(&state, prompt, fix)
    case .search(let context):
        let text = prompt.text
        remember(&state, text)
        switch context {
        case .generic, .threads:
            var query = state.threads.query
            query.search = text
            state.threads.requery(query)
            return [.loadThreads(state.threads.query)]
        case .thread:
            state.chatter.find = text
            return jumpToMatch(&state, forward: true, includeCurrent: true)
        case .failed:
            // Filtered by the store: names, subjects, addresses, domains, status codes, error texts.
            state.failed.showGroups = false
            state.selectAll = false
            state.failed.list = ListState(query: FailedQuery(group: state.failed.list.query.group, search: text))
            state.failed.recipient = 0
            return [failedReload(state)]
        case .tracking:
            switch state.tracking.tab {
            case .emails:
                var query = state.tracking.query
                query.search = text
                state.tracking.emails.requery(query)
                return [.loadTrackings(state.tracking.query)]
            case .events:
                state.tracking.query.search = text
                return jumpToMatch(&state, forward: true, includeCurrent: true)
            }
        case .partners:
            state.partners.list.requery(text)
            return [partnersReload(state)]
        }
    }
}

/// Moves the cursor of the list in focus to the next (or previous) row matching
/// its query, wrapping around.
func jumpToMatch(_ state: inout AppState, forward: Bool, includeCurrent: Bool = false) -> [Effect] {
    let context = searchContext(state)
    let query = currentQuery(state, context)
    guard !query.isEmpty else {
        state.status = StatusLine("No search: press / first")
        return []
    }
    let texts: [[String]]
    let start: Int
    switch context {
    case .generic, .threads:
        texts = state.threads.rows.map { [$0.name, $0.ref.description] }
        start = state.threads.cursorIndex
    case .thread:
        texts = state.chatter.items.map { item in
            guard let m = state.chatter.message(for: item) else { return [] }
            return [m.author.name, m.subject, m.body] + m.recipients.map(\.name)
        }
        start = state.chatter.cursorIndex
    case .failed:
        texts = state.failed.cards.map { [$0.threadName, $0.author.name, $0.subject] + $0.recipients.map(\.name) }
        start = state.failed.cursorIndex
    case .tracking:
        switch state.tracking.tab {
        case .emails:
            texts = state.tracking.emails.rows.map { [$0.subject, $0.sender, $0.recipient, $0.address ?? ""] }
            start = state.tracking.emails.cursorIndex
        case .events:
            texts = state.tracking.visibleEvents.map { [$0.type.rawValue, $0.details.recipient ?? "", $0.source] }
            start = state.tracking.events.cursorIndex
        }
    case .partners:
        texts = state.partners.visible.map { [$0.name, $0.email ?? ""] }
        start = state.partners.list.cursorIndex
    }
    guard let found = findMatch(texts, query, from: start, forward: forward, includeCurrent: includeCurrent) else {
        state.status = StatusLine("No match for \"\(query)\"")
        return []
    }
    if context == .threads { state.focus = .threads }
    return move(&state, .by(found - start))
}

/// Index of the next row (wrapping) with a field containing the query.
private func findMatch(_ rows: [[String]], _ query: String, from start: Int, forward: Bool, includeCurrent: Bool)
    -> Int?
{
    guard !rows.isEmpty else { return nil }
    let n = rows.count
    let first = includeCurrent ? 0 : 1
    for step in first...n {
        let offset = forward ? step : -step
        let i = ((start + offset) % n + n) % n
        if rows[i].contains(where: { matches($0, query) }) { return i }
    }
    return nil
}

/// Searches kept for Up in the prompt.
let searchHistoryDepth = 20

/// Keeps a confirmed search in the history (once, newest last).
func remember(_ state: inout AppState, _ text: String) {
    guard !text.isEmpty else { return }
    state.searchHistory.removeAll { $0 == text }
    state.searchHistory.append(text)
    if state.searchHistory.count > searchHistoryDepth { state.searchHistory.removeFirst() }
}

/// Up / Down in the prompt: the previous / next search of the history (Down past
/// the newest comes back to an empty line), as in a shell.
func recall(_ state: inout AppState, older: Bool) {
    guard var prompt = state.prompt, case .search = prompt.purpose, !state.searchHistory.isEmpty else { return }
    let history = state.searchHistory
    let next: Int?
    if older {
        next = min((prompt.recall ?? -1) + 1, history.count - 1)
    } else if let current = prompt.recall, current > 0 {
        next = current - 1
    } else {
        next = nil
    }
    prompt.recall = next
    prompt.text = next.map { history[history.count - 1 - $0] } ?? ""
    state.prompt = prompt
}
