import TrackingModel

/// One item the chatter cursor can stand on.
public enum ChatterItem: Sendable, Hashable {
    /// The "Failed messages (n)" section header (collapses with Enter or `z`).
    case failedHeader
    /// A card of the failed section, by message id.
    case failedCard(Int64)
    /// A message of the history, by message id.
    case message(Int64)
}

/// The open thread and how it is shown.
public struct ChatterState: Sendable, Hashable {
    /// The thread (nil until one is opened).
    public var view: ThreadView?
    /// The thread asked for; a `threadLoaded` for another thread is dropped.
    public var requested: Int64?
    /// The failed section is collapsed to its header with a count badge.
    public var failedCollapsed = false
    /// History oldest first instead of newest first (`o`).
    public var oldestFirst = false
    /// The item under the cursor.
    public var cursor: ChatterItem?
    public var cursorIndex = 0
    /// Index of the recipient under the cursor within the current message (h/l).
    public var recipient = 0
    /// Local find in the thread (`/`); n/N jump between matching messages.
    public var find = ""
    /// The history's window onto the whole thread, paged like every list
    /// (keyset pages, `G`/`g` read an end in one query); `view.history` shows its rows.
    public var history = ListState<MessageView, Int64>(query: 0)

    /// A history page has been asked for and not yet answered.
    public var loadingOlder: Bool { history.pending != nil }

    public init() {}

    /// The items of the chatter in display order.
    public var items: [ChatterItem] {
        guard let view else { return [] }
        var out: [ChatterItem] = []
        if !view.failed.isEmpty {
            out.append(.failedHeader)
            if !failedCollapsed { out += view.failed.map { .failedCard($0.id) } }
        }
        let history = oldestFirst ? view.history.reversed() : view.history
        out += history.map { .message($0.id) }
        return out
    }

    /// The message an item shows.
    public func message(for item: ChatterItem) -> MessageView? {
        guard let view else { return nil }
        switch item {
        case .failedHeader: return nil
        case .failedCard(let id): return view.failed.first { $0.id == id }
        case .message(let id): return view.history.first { $0.id == id }
        }
    }
}
