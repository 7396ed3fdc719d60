/// One thread's chatter: its failed messages, then a page of its history.
public struct ThreadView: Sendable, Hashable {
    public var thread: ThreadSummary
    /// Failed messages (needs action and a failed tracking), newest first.
    public var failed: [MessageView]
    /// History page, newest first.
    public var history: [MessageView]
    /// Cursor for the next (older) page, nil at the end.
    public var nextCursor: PageCursor?

    /// How many failed messages a thread view carries (the newest); the thread's
    /// `failedCount` says how many there are in all. The same in every store.
    public static let failedSectionLimit = 50

    public init(thread: ThreadSummary, failed: [MessageView], history: [MessageView], nextCursor: PageCursor?) {
        self.thread = thread
        self.failed = failed
        self.history = history
        self.nextCursor = nextCursor
    }
}
