import TrackingModel

/// One line of the Groups view: the failed recipients of one cause at one
/// receiving domain in my Failed mailbox.
public struct GroupRow: ListRow {
    public var key: GroupKey
    /// Failed recipients in the group.
    public var count: Int
    /// Oldest and newest failure time (UTC epoch seconds).
    public var first: Double
    public var last: Double
    /// The newest failure's reply (cleaned when applied).
    public var sample: String?

    public init(key: GroupKey, count: Int, first: Double, last: Double, sample: String?) {
        self.key = key
        self.count = count
        self.first = first
        self.last = last
        self.sample = sample
    }

    /// A stable id from the key (FNV-1a), so the cursor stays on its group across reloads.
    public var id: Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return Int64(bitPattern: h)
    }
}

/// Opens or closes the Groups view of the Failed pane (the `groups` key).
func toggleGroups(_ state: inout AppState) -> [Effect] {
    guard state.mailbox == .failed, state.overlay == nil else {
        state.status = StatusLine("Groups are a view of the Failed mailbox (2 opens it)")
        return []
    }
    state.focus = .main
    state.failed.showGroups.toggle()
    if state.failed.showGroups {
        state.failed.groups.loading = state.failed.groups.rows.isEmpty
        return [.loadGroups]
    }
    return [failedReload(state)]
}

/// Enter on a group: the Failed list filtered to the group's messages.
func openGroup(_ state: inout AppState) -> [Effect] {
    guard let group = state.failed.groups.current else { return [] }
    state.failed.showGroups = false
    state.failed.list = ListState(query: FailedQuery(group: group.key))
    state.failed.recipient = 0
    state.selectAll = false
    return [failedReload(state)]
}

/// Esc in a filtered Failed list: clears the search first, then leaves the
/// group for the Groups view. Nil when there is nothing to clear.
func leaveFailedFilter(_ state: inout AppState) -> [Effect]? {
    guard state.mailbox == .failed, state.focus == .main, !state.failed.showGroups else { return nil }
    let query = state.failed.list.query
    if !query.search.isEmpty {
        state.failed.list = ListState(query: FailedQuery(group: query.group))
        state.selectAll = false
        return [failedReload(state)]
    }
    guard query.group != nil else { return nil }
    state.failed.list = ListState(query: FailedQuery())
    state.failed.showGroups = true
    state.selectAll = false
    return [.loadGroups, failedReload(state)]
}

/// The Groups view's answer.
func applyGroups(_ state: inout AppState, _ rows: [GroupRow]) {
    let cleaned = rows.map { r -> GroupRow in
        var r = r
        r.sample = r.sample.map { clean($0) }
        r.key.domain = clean(r.key.domain)
        return r
    }
    state.failed.groups.applyTop(cleaned, moreBelow: false)
}
