/// Which page of a newest-first list to read: from either end, or beside a
/// keyset position. Every paged listing of the store takes one, so a list can be
/// read from its top, from its very end (without reading what lies between) or
/// a page above or below the rows already shown. The rows always come back
/// newest first, whatever the direction they were read in.
public struct PageRequest: Sendable, Hashable {
    /// Where the page starts.
    public enum Start: Sendable, Hashable {
        /// The newest rows.
        case top
        /// The oldest rows (the end of the list).
        case bottom
        /// Rows strictly older than this position (the page below).
        case after(PageCursor)
        /// Rows strictly newer than this position (the page above).
        case before(PageCursor)
    }

    public var start: Start
    /// Rows to read at most.
    public var limit: Int

    public init(_ start: Start, limit: Int) {
        self.start = start
        self.limit = limit
    }

    /// The page starting at a row (inclusive) and going down: how a window
    /// away from the top is read again after a change.
    /// (A list in name order goes up by id within a name, so its row is
    /// included by starting just before its id.)
    public static func from(_ cursor: PageCursor, limit: Int) -> PageRequest {
        var start = cursor
        start.id += cursor.text == nil ? 1 : -1
        return PageRequest(.after(start), limit: limit)
    }

    /// True when a full page came back: more rows may lie beyond it in its direction.
    public func mayHaveMore(_ count: Int) -> Bool { count >= limit }
}

extension PageRequest {
    /// True when the page is read oldest first along its index (a page above, or
    /// the end of the list): its rows must then be turned back to newest first.
    public var readsUpward: Bool {
        switch start {
        case .top, .after: return false
        case .bottom, .before: return true
        }
    }

    /// Rows read in this page's direction, newest first.
    public func newestFirst<T>(_ rows: [T]) -> [T] { readsUpward ? rows.reversed() : rows }

    /// The cursor of the next page down: after the last of `keys` (time, id), for a
    /// full page read downwards; nil otherwise.
    public func nextCursor(_ keys: [(Double, Int64)]) -> PageCursor? {
        guard !readsUpward, keys.count >= limit, let last = keys.last else { return nil }
        return PageCursor(time: last.0, id: last.1)
    }
}
