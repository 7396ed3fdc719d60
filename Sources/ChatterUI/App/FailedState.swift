import TrackingModel

/// The Failed mailbox: one card per failed message of mine, newest first.
public struct FailedState: Sendable, Hashable {
    /// The cards, paged through the whole mailbox.
    public var list = ListState<MessageView, FailedQuery>(query: FailedQuery())
    /// Index of the failed recipient under the cursor within the card.
    public var recipient = 0
    /// The Groups view is shown instead of the cards.
    public var showGroups = false
    /// The failure groups of the mailbox (cause × receiving domain), newest activity first.
    public var groups = ListState<GroupRow, Int>(query: 0)

    public init() {}

    /// The loaded cards.
    public var cards: [MessageView] {
        get { list.rows }
        set { list.rows = newValue }
    }

    /// The card under the cursor.
    public var cursor: Int64? {
        get { list.cursor }
        set { list.cursor = newValue }
    }

    public var cursorIndex: Int {
        get { list.cursorIndex }
        set { list.cursorIndex = newValue }
    }

    public var loading: Bool {
        get { list.loading }
        set { list.loading = newValue }
    }
}

/// What the Failed mailbox asks of the store: all of it, one failure group, and/or a search.
public struct FailedQuery: Sendable, Hashable {
    /// A failure group (Enter in the Groups view); nil for the whole mailbox.
    public var group: GroupKey?
    /// Search in names, subjects, addresses, domains, status codes and error texts; empty for none.
    public var search = ""

    public init(group: GroupKey? = nil, search: String = "") {
        self.group = group
        self.search = search
    }

    /// The whole mailbox, unsearched (the kept counter is its count).
    public var isWhole: Bool { group == nil && search.isEmpty }
}
