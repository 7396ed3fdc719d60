import TermGrid
import TrackingModel

/// The open thread: the "Failed messages" section (collapsible), a divider,
/// then the history newest or oldest first.
enum ChatterView {
    /// The frame's title and the lines of the chatter, each tagged with its item index.
    static func lines(_ state: AppState, width: Int) -> [Line] {
        let b = MessageLines(state, width: width)
        let g = b.glyphs
        guard let view = state.chatter.view else {
            if state.chatter.requested != nil { return [Line([Piece("Loading" + g.ellipsis, .muted)])] }
            return [
                Line([Piece("No thread open.", .muted)]),
                Line([Piece("Choose one in Threads and press Enter.", .muted)]),
            ]
        }
        let items = state.chatter.items
        var lines: [Line] = []
        for (index, item) in items.enumerated() {
            let cursor = state.chatter.cursor == item
            switch item {
            case .failedHeader:
                let arrow = state.chatter.failedCollapsed ? g.collapsed : g.expanded
                var spans = [Piece(cursor ? g.cursor(focused: state.focus == .main) : " "), Piece(arrow + " Failed messages", .danger)]
                // The store carries the newest failed messages; the thread's count is all of them.
                let total = max(view.thread.failedCount, view.failed.count)
                if state.chatter.failedCollapsed {
                    spans.append(Piece(" " + g.failed + "\(total)", .badge))
                } else {
                    spans.append(Piece(" (\(total))", .danger))
                }
                lines.append(Line(spans, fill: cursor ? b.cursorStyle : nil, item: index))
            case .failedCard(let id):
                guard let m = view.failed.first(where: { $0.id == id }) else { continue }
                lines += b.failedCard(
                    m, showThread: false, cursor: cursor, recipient: state.chatter.recipient, context: .thread,
                    item: index)
            case .message(let id):
                guard let m = view.history.first(where: { $0.id == id }) else { continue }
                if index == 0 || !isHistory(items[index - 1]) {
                    lines.append(divider(state, width, g))
                }
                lines += b.historyMessage(m, cursor: cursor, recipient: state.chatter.recipient, item: index)
            }
        }
        if view.history.isEmpty { lines.append(Line([Piece("No messages in this thread.", .muted)])) }
        if state.chatter.history.moreBelow {
            let text = state.chatter.loadingOlder ? "Loading older messages" + g.ellipsis : "Older messages: move down to load them"
            lines.append(Line([Piece(text, .muted)]))
        }
        return lines
    }

    /// "12 / 340": the cursor's message in the thread's history.
    static func position(_ state: AppState) -> String? {
        guard let view = state.chatter.view, case .message(let id) = state.chatter.cursor,
            let index = view.history.firstIndex(where: { $0.id == id })
        else { return nil }
        // The window's place in the whole history: a thread of 5,000 says "4,990 / 5,000" at its end.
        let place = (state.chatter.history.offset ?? 0) + index
        let total = max(view.thread.messageCount, state.chatter.history.total ?? 0, place + 1)
        let n = state.chatter.oldestFirst ? total - place : place + 1
        return "\(ListPosition.grouped(n)) / \(ListPosition.grouped(total))"
    }

    /// The frame title: thread name and reference.
    static func title(_ state: AppState) -> [Piece] {
        guard let view = state.chatter.view else { return [Piece("Inbox")] }
        let g = Glyphs(ascii: state.display.ascii)
        return [Piece(view.thread.name), Piece(" \(g.dot) \(view.thread.ref.description)", .muted)]
    }

    private static func isHistory(_ item: ChatterItem) -> Bool {
        switch item {
        case .message: return true
        case .failedHeader, .failedCard: return false
        }
    }

    /// "── History · newest first ─────": the history's start and its order.
    private static func divider(_ state: AppState, _ width: Int, _ g: Glyphs) -> Line {
        let order = state.chatter.oldestFirst ? "oldest first" : "newest first"
        let label = " History \(g.dot) \(order) "
        let rest = max(0, width - 2 - DisplayWidth.of(label))
        return Line([
            Piece(String(repeating: g.box.horizontal, count: 2), .border), Piece(label, .muted),
            Piece(String(repeating: g.box.horizontal, count: rest), .border),
        ])
    }
}

/// The Failed mailbox: one card per failed message of mine, newest first.
enum FailedPaneView {
    static func lines(_ state: AppState, width: Int) -> [Line] {
        let b = MessageLines(state, width: width)
        if state.failed.loading && state.failed.cards.isEmpty {
            return [Line([Piece("Loading" + b.glyphs.ellipsis, .muted)])]
        }
        if state.failed.cards.isEmpty {
            return [Line([Piece("No failed messages: every mail went out or was reviewed.", .success)])]
        }
        var lines: [Line] = []
        for (index, m) in state.failed.cards.enumerated() {
            let cursor = state.failed.cursor == m.id
            lines += b.failedCard(
                m, showThread: true, cursor: cursor, recipient: state.failed.recipient, context: .failed, item: index)
            lines.append(Line([], item: index))
        }
        // The window pages on as the cursor nears its end: no dead end.
        if state.failed.list.moreBelow { lines.append(Line([Piece("Loading more" + b.glyphs.ellipsis, .muted)])) }
        return highlighted(lines, state.failed.list.query.search)
    }

    static func title(_ state: AppState) -> [Piece] {
        let list = state.failed.list
        let g = Glyphs(ascii: state.display.ascii)
        var spans = [Piece("Failed messages")]
        if let group = list.query.group { spans.append(Piece(" \(g.dot) group \(group.text)", .warning)) }
        if !list.query.search.isEmpty { spans.append(Piece(" \(g.dot) search: \(list.query.search)", .warning)) }
        let n = list.query.isWhole ? (state.counts.failed ?? list.rows.count) : (list.knownTotal ?? list.rows.count)
        // A searched list is not counted: how many are known, and that there are more.
        let more = list.query.isWhole || list.knownTotal != nil ? "" : "+"
        spans.append(Piece(" (\(n)\(more))", n > 0 ? .danger : .muted))
        return spans
    }
}
