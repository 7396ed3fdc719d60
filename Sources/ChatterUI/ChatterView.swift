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
        if view.nextCursor != nil {
            let text = state.chatter.loadingOlder ? "Loading older messages" + g.ellipsis : "Older messages: move down to load them"
            lines.append(Line([Piece(text, .muted)]))
        }
        return lines
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
        let total = state.counts.failed ?? state.failed.cards.count
        if total > state.failed.cards.count {
            lines.append(Line([Piece("\(total - state.failed.cards.count) more not shown", .muted)]))
        }
        return lines
    }

    static func title(_ state: AppState) -> [Piece] {
        let n = state.counts.failed ?? state.failed.cards.count
        return [Piece("Failed messages"), Piece(" (\(n))", n > 0 ? .danger : .muted)]
    }
}
