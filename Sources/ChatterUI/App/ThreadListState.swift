import TrackingModel

/// The thread list: newest activity first, filtered by `F` and `/`.
public typealias ThreadListState = ListState<ThreadSummary, ThreadQuery>

/// What the thread list asks of the store.
public struct ThreadQuery: Sendable, Hashable {
    /// The "Failed sent messages" filter (`F`).
    public var failedOnly = false
    /// Thread-name search; empty for none.
    public var search = ""
    /// How many rows to load (grows by a page when the cursor nears the end).
    public var limit = pageSize

    public init(failedOnly: Bool = false, search: String = "", limit: Int = pageSize) {
        self.failedOnly = failedOnly
        self.search = search
        self.limit = limit
    }
}
