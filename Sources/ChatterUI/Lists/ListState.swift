import TrackingModel

/// A row of a list on screen, known by its id.
public protocol ListRow: Sendable, Hashable {
    var id: Int64 { get }
}

/// A row of a list the store pages by keyset: its (time, id) in the list's
/// newest-first order.
public protocol KeysetRow: ListRow {
    var pageKey: PageCursor { get }
}

extension ThreadSummary: KeysetRow {
    public var pageKey: PageCursor { PageCursor(time: lastActivity, id: id) }
}

extension MessageView: KeysetRow {
    public var pageKey: PageCursor { PageCursor(time: date, id: id) }
}

extension TrackingRow: KeysetRow {
    public var pageKey: PageCursor { PageCursor(time: createdAt, id: id) }
}

extension EventRow: KeysetRow {
    public var pageKey: PageCursor { PageCursor(time: timestamp, id: id) }
}

extension PartnerCard: KeysetRow {
    /// Partners are listed by name (A to Z), then id.
    public var pageKey: PageCursor { PageCursor(text: name, id: id) }
}

/// Rows one list keeps at most: a window onto a list that may hold millions.
/// Paging past it drops rows at the other end, so memory stays flat.
public let listWindow = 3 * pageSize

/// One list on screen, the same for every list (threads, Failed, tracking
/// emails, events, partners): the rows in a window onto the whole list, the
/// query that produced them, the cursor kept by identity, where the window lies
/// in the whole list and how long the list is.
///
/// The window pages on demand: moving near one of its edges asks the store for
/// the page beyond it (keyset, never an offset); `G` and `g` read the very end
/// or start of the list in one query instead of paging through it.
public struct ListState<Row: ListRow, Query: Sendable & Hashable>: Sendable, Hashable {
    /// The window's rows, in list order.
    public var rows: [Row] = []
    /// What the rows answer (filters, search); answers for another query are dropped.
    public var query: Query
    /// The row under the cursor.
    public var cursor: Int64?
    /// Position of the cursor in `rows`, remembered so a vanished row leaves the cursor nearby.
    public var cursorIndex = 0
    /// True until the first answer arrives.
    public var loading = true
    /// Position in the whole list of `rows[0]`; nil when unknown (the end was
    /// read and the list is not counted).
    public var offset: Int? = 0
    /// Rows exist before the window (newer ones, for newest-first lists).
    public var moreAbove = false
    /// Rows exist after the window.
    public var moreBelow = false
    /// Rows in the whole list, when counted.
    public var total: Int?
    /// The page asked for and not yet answered (one at a time).
    public var pending: PageRequest?

    public init(query: Query) {
        self.query = query
    }

    /// More rows exist beyond the loaded ones (below the window).
    public var hasMore: Bool {
        get { moreBelow }
        set { moreBelow = newValue }
    }

    /// The window holds the whole list's start.
    public var atTop: Bool { offset == 0 && !moreAbove }

    /// The cursor's position in the whole list (1-based), when known.
    public var position: Int? {
        guard cursor != nil, let offset else { return nil }
        return offset + cursorIndex + 1
    }

    /// The whole list's length: counted, or known because the window holds both ends.
    public var knownTotal: Int? {
        if let total { return total }
        if atTop && !moreBelow { return rows.count }
        return nil
    }

    /// Takes a new query: the next answer fills the list from its top. The old
    /// rows stay on screen (marked loading) and the cursor keeps its row if the
    /// answer still holds it.
    mutating func requery(_ query: Query) {
        self.query = query
        loading = true
        pending = nil
        offset = 0
        moreAbove = false
        total = nil
    }

    /// The rows a local filter keeps (the events' type);
    /// the cursor moves over these. Without a filter, every row.
    public func shown(_ keep: Filter? = nil) -> [Row] {
        guard let keep else { return rows }
        return rows.filter(keep.keeps)
    }

    /// Puts the cursor back on its row after the rows changed (see `IdentityCursor`).
    mutating func reconcile(_ keep: Filter? = nil) {
        let c = IdentityCursor.reconcile(shown(keep).map(\.id), id: cursor, index: cursorIndex)
        cursor = c.id
        cursorIndex = c.index
    }

    /// Moves the cursor within the window (no paging: for lists held whole).
    mutating func moveInWindow(_ movement: Movement, _ keep: Filter? = nil) {
        let c = IdentityCursor.moved(shown(keep).map(\.id), id: cursor, index: cursorIndex, movement)
        cursor = c.id
        cursorIndex = c.index
    }

    /// Puts the cursor on a row of the window, if it is there.
    mutating func select(_ id: Int64) {
        guard let index = rows.firstIndex(where: { $0.id == id }) else { return }
        cursor = id
        cursorIndex = index
    }

    /// The row under the cursor.
    public var current: Row? {
        guard let cursor else { return nil }
        if rows.indices.contains(cursorIndex), rows[cursorIndex].id == cursor { return rows[cursorIndex] }
        return rows.first { $0.id == cursor }
    }

    /// A filter applied to the loaded rows only (no store query).
    public struct Filter {
        let keeps: (Row) -> Bool

        init(_ keeps: @escaping (Row) -> Bool) {
            self.keeps = keeps
        }
    }

    /// Rows replaced by an answer that starts the list (the first page, or a reload at the top).
    mutating func applyTop(_ incoming: [Row], moreBelow more: Bool, _ keep: Filter? = nil) {
        rows = incoming
        offset = 0
        moreAbove = false
        moreBelow = more
        loading = false
        reconcile(keep)
    }
}

extension ListState where Row: KeysetRow {
    /// Moves the cursor; returns the page the window needs, if any: `G` / `g`
    /// read the end / start of the list when the window does not hold it, and a
    /// cursor within `prefetch` rows of an edge asks for the page beyond it.
    mutating func move(_ movement: Movement, prefetch: Int, _ keep: Filter? = nil) -> PageRequest? {
        switch movement {
        case .bottom where moreBelow:
            return ask(PageRequest(.bottom, limit: pageSize))
        case .top where moreAbove:
            return ask(PageRequest(.top, limit: pageSize))
        case .by, .top, .bottom:
            moveInWindow(movement, keep)
        }
        let count = shown(keep).count
        guard pending == nil, count > 0 else { return nil }
        if moreBelow && cursorIndex >= count - 1 - prefetch, let last = rows.last {
            return ask(PageRequest(.after(last.pageKey), limit: pageSize))
        }
        if moreAbove && cursorIndex <= prefetch, let first = rows.first {
            return ask(PageRequest(.before(first.pageKey), limit: pageSize))
        }
        return nil
    }

    private mutating func ask(_ request: PageRequest) -> PageRequest? {
        guard pending != request else { return nil }
        pending = request
        return request
    }

    /// The page that reads the window again after a store change: from the
    /// top when the window holds it (new rows come in above), else from the
    /// window's first row down.
    var reloadRequest: PageRequest {
        let limit = max(pageSize, rows.count)
        guard !atTop, let first = rows.first else { return PageRequest(.top, limit: limit) }
        return .from(first.pageKey, limit: limit)
    }

    /// Applies a page the store answered. Returns false when it was dropped:
    /// a page for a window that has moved on since (its edge is no longer where
    /// the page starts) or a jump the user no longer waits for.
    @discardableResult
    mutating func apply(_ request: PageRequest, _ incoming: [Row], total counted: Int?, _ keep: Filter? = nil) -> Bool {
        let asked = pending == request
        if asked { pending = nil }
        if let counted { total = counted }
        let more = request.mayHaveMore(incoming.count)
        switch request.start {
        case .top:
            guard asked || atTop else { return false }
            applyTop(incoming, moreBelow: more, keep)
            // `g` lands on the first row; a reload keeps the cursor on its row.
            if asked { moveInWindow(.top, keep) }
        case .bottom:
            guard asked else { return false }
            rows = incoming
            moreBelow = false
            moreAbove = more
            offset = more ? total.map { max(0, $0 - incoming.count) } : 0
            loading = false
            moveInWindow(.bottom, keep)
        case .after(let c):
            if let last = rows.last, c == last.pageKey {
                append(incoming, more: more, keep)
            } else if let first = rows.first, c == PageRequest.from(first.pageKey, limit: 0).startCursor {
                rows = incoming
                moreBelow = more
                loading = false
                reconcile(keep)
            } else {
                return false
            }
        case .before(let c):
            guard let first = rows.first, c == first.pageKey else { return false }
            prepend(incoming, more: more, keep)
        }
        return true
    }

    private mutating func append(_ incoming: [Row], more: Bool, _ keep: Filter?) {
        let known = Set(rows.map(\.id))
        rows += incoming.filter { !known.contains($0.id) }
        moreBelow = more
        let excess = rows.count - listWindow
        if excess > 0 {
            rows.removeFirst(excess)
            offset = offset.map { $0 + excess }
            moreAbove = true
        }
        reconcile(keep)
    }

    private mutating func prepend(_ incoming: [Row], more: Bool, _ keep: Filter?) {
        let known = Set(rows.map(\.id))
        let fresh = incoming.filter { !known.contains($0.id) }
        rows = fresh + rows
        offset = offset.map { max(0, $0 - fresh.count) }
        moreAbove = more
        if !more { offset = 0 }
        let excess = rows.count - listWindow
        if excess > 0 {
            rows.removeLast(excess)
            moreBelow = true
        }
        reconcile(keep)
    }
}

extension PageRequest {
    /// The keyset position a page starts beside (nil for an end).
    var startCursor: PageCursor? {
        switch start {
        case .top, .bottom: return nil
        case .after(let c), .before(let c): return c
        }
    }
}
