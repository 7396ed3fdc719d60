import TrackingModel

/// One review `u` can undo: the messages and where they were, to put them back.
public struct UndoEntry: Sendable, Hashable {
    public var messageIds: [Int64]
    /// The Failed pane cards removed, with their former index.
    public var failedCards: [PlacedMessage]
    /// The open thread's failed cards removed, with their former index.
    public var threadCards: [PlacedMessage]
    /// needs_action of history messages before the review.
    public var historyNeedsAction: [Int64: Bool]
    /// Failed badges of the thread list before the review (thread id → count).
    public var threadBadges: [Int64: Int]
    /// The Failed counter before the review.
    public var failedCount: Int?
    /// Where the cursors stood.
    public var failedCursor: Int64?
    public var chatterCursor: ChatterItem?

    public init(
        messageIds: [Int64], failedCards: [PlacedMessage], threadCards: [PlacedMessage],
        historyNeedsAction: [Int64: Bool], threadBadges: [Int64: Int], failedCount: Int?, failedCursor: Int64?,
        chatterCursor: ChatterItem?
    ) {
        self.messageIds = messageIds
        self.failedCards = failedCards
        self.threadCards = threadCards
        self.historyNeedsAction = historyNeedsAction
        self.threadBadges = threadBadges
        self.failedCount = failedCount
        self.failedCursor = failedCursor
        self.chatterCursor = chatterCursor
    }
}

/// A message and the index it had in its list.
public struct PlacedMessage: Sendable, Hashable {
    public var index: Int
    public var message: MessageView

    public init(index: Int, message: MessageView) {
        self.index = index
        self.message = message
    }
}
