/// One thread's chatter: its failed messages, then a page of its history.
public struct ThreadView: Sendable, Hashable {
    public var thread: ThreadSummary
    /// Failed messages (needs action and a failed tracking), newest first.
    public var failed: [MessageView]
    /// History page, newest first.
    public var history: [MessageView]
    /// Cursor for the next (older) page, nil at the end.
    public var nextCursor: PageCursor?

    public init(thread: ThreadSummary, failed: [MessageView], history: [MessageView], nextCursor: PageCursor?) {
        self.thread = thread
        self.failed = failed
        self.history = history
        self.nextCursor = nextCursor
    }
}
