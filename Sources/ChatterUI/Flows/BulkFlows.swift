import TrackingModel

// Where the bulk actions start: `*` selects a whole filtered list, Space in the
// thread list selects threads, `r` and `R` in the Groups view act on a whole
// group, `r` in the thread list on the thread's failed messages.

/// `*`: selects every message of the Failed list as it is filtered (the whole
/// mailbox, a group, a search), loaded or not; again: selects nothing.
func toggleSelectAll(_ state: inout AppState) -> [Effect] {
    guard state.overlay == nil, state.mailbox == .failed, state.focus == .main, !state.failed.showGroups else {
        state.status = StatusLine("Select all works in the Failed list (2)")
        return []
    }
    state.selectAll.toggle()
    state.selection = []
    if state.selectAll {
        let n = state.failed.list.knownTotal ?? state.failed.list.rows.count
        let r = state.keymap.keys(for: .review, in: .failed).first?.label(ascii: state.display.ascii) ?? "r"
        state.status = StatusLine("Selected all \(plural(n, "message")) of \(failedListLabel(state.failed.list.query)) (\(r) reviews them)")
    } else {
        state.status = StatusLine("Selection cleared")
    }
    return []
}

/// Space in the thread list: selects the thread under the cursor (or unselects it).
func toggleThreadSelection(_ state: inout AppState) {
    guard let id = state.threads.cursor else { return }
    if state.threadSelection.contains(id) { state.threadSelection.remove(id) } else { state.threadSelection.insert(id) }
}

/// "the Failed mailbox", "group blocked/outlook.com", "search \"5.1.1\"".
func failedListLabel(_ query: FailedQuery) -> String {
    var parts: [String] = []
    if let group = query.group { parts.append("group \(group.text)") }
    if !query.search.isEmpty { parts.append("search \"\(query.search)\"") }
    return parts.isEmpty ? "the Failed mailbox" : parts.joined(separator: ", ")
}

/// `r` on something larger than the loaded cards: a whole group (Groups view),
/// the whole filtered list (`*`), or threads (the thread list). Nil: the plain
/// review of the cursor's message or the selection.
func bulkReview(_ state: inout AppState) -> [Effect]? {
    guard state.overlay == nil else { return nil }
    if state.mailbox == .failed, state.focus == .main, state.failed.showGroups {
        guard let group = state.failed.groups.current else { return [] }
        return previewBulk(&state, .review, .failedList(FailedQuery(group: group.key)), label: "group \(group.key.text)")
    }
    if state.selectAll, state.mailbox == .failed, state.focus == .main {
        let query = state.failed.list.query
        return previewBulk(&state, .review, .failedList(query), label: "all of \(failedListLabel(query))")
    }
    if state.focus == .threads {
        let chosen = state.threadSelection.isEmpty ? state.threads.cursor.map { [$0] } ?? [] : Array(state.threadSelection)
        let rows = state.threads.rows.filter { chosen.contains($0.id) && $0.failedCount > 0 }
        guard !rows.isEmpty else {
            state.status = StatusLine("Nothing to review: no failed message in the chosen threads")
            return []
        }
        let n = rows.reduce(0) { $0 + $1.failedCount }
        let names = rows.count == 1 ? rows[0].name : plural(rows.count, "thread")
        state.status = StatusLine("Setting \(plural(n, "failed message")) of \(names) as reviewed" + Glyphs(ascii: state.display.ascii).ellipsis)
        return [.runBulk(.review, .threads(rows.map(\.ref)))]
    }
    return nil
}

/// `R` in the Groups view: a whole group's retry, previewed.
func groupRetry(_ state: inout AppState) -> [Effect]? {
    guard state.overlay == nil, state.mailbox == .failed, state.focus == .main, state.failed.showGroups else { return nil }
    guard let group = state.failed.groups.current else { return [] }
    return previewBulk(&state, .retry, .failedList(FailedQuery(group: group.key)), label: "group \(group.key.text)")
}
