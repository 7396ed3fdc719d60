import TermGrid
import TrackingModel

/// The header line: who "me" is, and the poller's state, last event time and counters.
enum HeaderView {
    static func draw(_ state: AppState, into grid: inout Grid, rect: Rect) {
        let g = Glyphs(ascii: state.display.ascii)
        grid.fill(rect, style: Semantic.header.id)
        let h = state.header
        let dot = " \(g.dot) "
        // Segments by priority: the poller state first, then what needs attention.
        var segments: [(order: Int, spans: [Piece])] = []
        switch h.poller {
        case .live: segments.append((0, [Piece("poller ", .header), Piece(g.liveDot + " live", .header)]))
        case .paused: segments.append((0, [Piece("poller ", .header), Piece("paused", .warning)]))
        case .failing: segments.append((0, [Piece("poller ", .header), Piece("failing", .danger)]))
        case .unknown: segments.append((0, [Piece("poller starting", .header)]))
        case .off: segments.append((0, [Piece("poller ", .header), Piece("off", .muted)]))
        }
        if let last = h.lastEventAt {
            segments.append((2, [Piece(TimeText.relative(last, now: state.now, utcOffset: state.display.utcOffset), .header)]))
        }
        if let outbox = outboxSegment(h, g) { segments.append((3, outbox)) }
        if h.quarantined > 0 { segments.append((6, [Piece("\(h.quarantined) quarantined", .warning)])) }
        if h.errors > 0 || h.quarantined == 0 {
            segments.append((4, [Piece(plural(h.errors, "error"), h.errors > 0 ? .danger : .header)]))
        }
        if h.unmatched > 0 { segments.append((5, [Piece("\(h.unmatched) unmatched", .warning)])) }
        // How store changes reach the screen, beside the poller; the first to go when the line is short.
        if let feed = feedSegment(h.changes) { segments.append((1, feed)) }
        // A receiver refusing our mail matters more than who "me" is: the banner takes the place.
        let left = bannerPieces(state).map { Line($0) }
            ?? Line([Piece(" chatter \(g.dot) me: ", .header), Piece(state.me.name, .header)])
        let minLeft = bannerPieces(state) == nil ? min(left.width, 16) : left.width
        var chosen: [(order: Int, spans: [Piece])] = []
        var used = 1
        for segment in segments {
            let w = Line(segment.spans).width + (chosen.isEmpty ? 0 : DisplayWidth.of(dot))
            if used + w + minLeft + 1 > rect.width { break }
            chosen.append(segment)
            used += w
        }
        var spans: [Piece] = []
        for segment in chosen.sorted(by: { $0.order < $1.order }) {
            if !spans.isEmpty { spans.append(Piece(dot, .header)) }
            spans += segment.spans
        }
        spans.append(Piece(" ", .header))
        let right = Line(spans)
        let rightWidth = min(right.width, rect.width)
        grid.draw(left, x: rect.x, y: rect.y, width: max(0, rect.width - rightWidth - 1), g)
        grid.draw(right, x: rect.maxX - rightWidth, y: rect.y, width: rightWidth, g)
    }
}

extension HeaderView {
    /// "changes live" while the store notifies each commit, "changes polled every 1 s"
    /// while the front looks at it on an interval (a file store always; a server's
    /// feed while its notification connection is down); nothing before it is known.
    static func feedSegment(_ feed: ChangeFeed) -> [Piece]? {
        switch feed {
        case .unknown: return nil
        case .live: return [Piece("changes live", .header)]
        case .polling(let every): return [Piece("changes polled every \(seconds(every)) s", .header)]
        }
    }

    /// Seconds as the header says them: whole ones bare, others to a tenth ("0.2").
    static func seconds(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        if tenths.truncatingRemainder(dividingBy: 10) == 0 { return String(Int(tenths / 10)) }
        return String(Int(tenths) / 10) + "." + String(Int(tenths) % 10)
    }
}

/// The bottom line: the prompt while typing, else the last notice, else key hints
/// for the view in focus (generated from the keymap).
enum FooterView {
    static func draw(_ state: AppState, into grid: inout Grid, rect: Rect) {
        let g = Glyphs(ascii: state.display.ascii)
        if let prompt = state.prompt {
            grid.fill(rect, style: Semantic.prompt.id)
            let label: String
            var hint: [Piece] = []
            switch prompt.purpose {
            case .search(let context): label = "Search \(searchTarget(context)): "
            case .fixAddress(let fix):
                label = "Address of \(fix.name): "
                hint = AddressPromptHint.pieces(prompt, g)
            }
            let line = Line([Piece(label, .prompt), Piece(prompt.text, .prompt), Piece("_", .prompt)] + hint)
            // Keep the end of a long query visible.
            let overflow = max(0, line.width - rect.width)
            grid.draw(line, x: rect.x - overflow, y: rect.y, width: rect.width + overflow, g)
            return
        }
        if let status = state.status {
            grid.draw(Line([Piece(" " + status.text, status.isError ? .danger : .info)]), x: rect.x, y: rect.y, width: rect.width, g)
            return
        }
        grid.draw(hints(state, width: rect.width), x: rect.x, y: rect.y, width: rect.width, g)
    }

    private static func searchTarget(_ context: KeyContext) -> String {
        switch context {
        case .generic, .threads: return "thread names"
        case .thread: return "in thread"
        case .failed: return "failed messages"
        case .tracking: return "tracking emails"
        case .partners: return "partners"
        }
    }

    /// The hint entries of each view: actions and their short label.
    static func entries(_ state: AppState) -> [([Action], String)] {
        switch state.overlay {
        case .help: return [([.moveDown, .moveUp], "scroll"), ([.back], "close")]
        case .markerDetail: return [([.moveDown, .moveUp], "scroll"), ([.back], "close")]
        case .bulk: return [([.open], "confirm"), ([.back], "cancel")]
        case .retry: return [([.moveDown, .moveUp], "move"), ([.select], "tick"), ([.open], "resend"), ([.back], "cancel"), ([.fixAddress], "fix address")]
        case nil: break
        }
        let common: [([Action], String)] = [([.search], "search"), ([.help], "help")]
        switch state.keyContext {
        case .generic:
            return [([.moveDown, .moveUp], "move"), ([.open], "open"), ([.nextPane], "pane"), ([.toggleFailedFilter], "failed filter")] + common
        case .threads:
            return [([.moveDown, .moveUp], "move"), ([.open], "open"), ([.nextPane], "pane"), ([.toggleFailedFilter], "failed filter"), ([.compose], "compose")] + common
        case .thread:
            return [([.moveDown, .moveUp], "move"), ([.prevRecipient, .nextRecipient], "recipient"), ([.detail], "detail"), ([.review], "reviewed"), ([.retry], "retry"), ([.undo], "undo"), ([.toggleFailedSection], "fold"), ([.toggleOrder], "order"), ([.back], "back")] + common
        case .failed where state.failed.showGroups:
            return [([.moveDown, .moveUp], "move"), ([.open], "open group"), ([.review], "review group"), ([.retry], "retry group"), ([.groups], "cards"), ([.undo], "undo")] + common
        case .failed:
            return [([.moveDown, .moveUp], "move"), ([.open], "go to"), ([.review], "reviewed"), ([.retry], "retry"), ([.undo], "undo"), ([.select], "select"), ([.detail], "detail")] + common
        case .tracking:
            switch state.tracking.tab {
            case .emails:
                return [([.moveDown, .moveUp], "move"), ([.open], "detail"), ([.cycleStateFilter], "state"), ([.toggleEvents], "events")] + common
            case .events:
                return [([.moveDown, .moveUp], "move"), ([.open], "detail"), ([.cycleStateFilter], "type"), ([.toggleEvents], "emails")] + common
            }
        case .partners:
            return [([.moveDown, .moveUp], "move"), ([.open], "trackings")] + common
        }
    }

    static func hints(_ state: AppState, width: Int) -> Line {
        let g = Glyphs(ascii: state.display.ascii)
        let context = state.overlay == nil ? state.keyContext : .generic
        var line = Line([Piece(" ")])
        func entry(_ actions: [Action], _ label: String, first: Bool) -> [Piece]? {
            let keys = actions.compactMap { state.keymap.keys(for: $0, in: context).first }
            guard !keys.isEmpty else { return nil }
            return (first ? [] : [Piece(" \(g.dot) ", .muted)])
                + [Piece(keys.map { $0.label(ascii: g.ascii) }.joined(separator: "/"), .key), Piece(" " + label, .muted)]
        }
        var all = entries(state)
        // Help stays in reach: its entry is kept last and room is left for it.
        let help = all.firstIndex { $0.0 == [.help] }.map { all.remove(at: $0) }
        let helpWidth = help.flatMap { entry($0.0, $0.1, first: false) }.map { Line($0).width } ?? 0
        for (actions, label) in all {
            guard let piece = entry(actions, label, first: line.spans.count == 1) else { continue }
            // Whole entries only: a hint cut in half helps no one.
            if line.width + Line(piece).width + helpWidth > width { break }
            line.spans += piece
        }
        if let help, let piece = entry(help.0, help.1, first: line.spans.count == 1), line.width + Line(piece).width <= width {
            line.spans += piece
        }
        return line
    }
}

/// The left column: the Mailboxes with their counters over the thread list.
enum LeftColumnView {
    static func draw(_ state: AppState, into grid: inout Grid, layout: Layout) {
        guard let frame = layout.left, let boxes = layout.mailboxes, let titleRow = layout.threadsTitle,
            let list = layout.threads
        else { return }
        let g = Glyphs(ascii: state.display.ascii)
        grid.box(frame, title: [Piece("Mailboxes")], focused: state.focus == .mailboxes, g)
        for (i, mailbox) in Mailbox.allCases.enumerated() where i < boxes.height {
            grid.draw(mailboxLine(state, mailbox, width: boxes.width, g), x: boxes.x, y: boxes.y + i, width: boxes.width, g)
        }
        // The divider row doubles as the Threads title; the filter state shows
        // here when the right pane is hidden.
        let note: Piece? = layout.main == nil ? filterNote(state) : nil
        grid.box(Rect(x: titleRow.x, y: titleRow.y, width: titleRow.width, height: frame.maxY - titleRow.y), title: [Piece("Threads")], note: note, focused: state.focus == .threads, g, teeTop: true)
        grid.bottomNote(frame, ListPosition.text(state.threads), g)
        let window = threadWindow(state, width: list.width, height: list.height, g)
        grid.draw(window.lines, in: list, offset: 0, g)
    }

    private static func mailboxLine(_ state: AppState, _ mailbox: Mailbox, width: Int, _ g: Glyphs) -> Line {
        let cursor = state.mailboxCursor == mailbox
        let active = state.mailbox == mailbox
        var count = ""
        var countStyle = Semantic.muted
        switch mailbox {
        case .inbox: count = state.counts.inbox.map(String.init) ?? ""
        case .failed:
            count = state.counts.failed.map(String.init) ?? ""
            if (state.counts.failed ?? 0) > 0 { countStyle = .danger }
        case .tracking, .partners: break
        }
        let name = DisplayWidth.pad(mailbox.title, to: max(0, width - 1 - DisplayWidth.of(count)))
        let fill: Semantic? = cursor && state.focus == .mailboxes ? .selected : nil
        return Line([Piece(active ? g.cursor(focused: state.focus == .mailboxes) : " "), Piece(name, active ? .accent : .normal), Piece(count, countStyle)], fill: fill)
    }

    /// The visible window of the thread list: its first row's index and its lines.
    /// One line per thread, so only the rows on screen are built (the list may
    /// hold thousands after paging).
    static func threadWindow(_ state: AppState, width: Int, height: Int, _ g: Glyphs) -> (offset: Int, lines: [Line]) {
        let t = state.threads
        if t.loading && t.rows.isEmpty { return (0, [Line([Piece("Loading" + g.ellipsis, .muted)])]) }
        if t.rows.isEmpty {
            if t.query.failedOnly { return (0, [Line([Piece("No thread with failed messages", .muted)])]) }
            if !t.query.search.isEmpty { return (0, [Line([Piece("No thread matches", .muted)])]) }
            return (0, [Line([Piece("No threads yet", .muted)])])
        }
        let total = t.rows.count + (t.hasMore ? 1 : 0)
        let offset = scrollOffset(cursorLine: t.cursor == nil ? nil : t.cursorIndex, total: total, height: height)
        var lines: [Line] = []
        for index in offset..<min(t.rows.count, offset + max(0, height)) {
            let row = t.rows[index]
            let cursor = t.cursor == row.id
            let badge = row.failedCount > 0 ? g.failed + "\(row.failedCount)" : ""
            let nameWidth = max(0, width - 1 - (badge.isEmpty ? 0 : DisplayWidth.of(badge) + 1))
            let name = DisplayWidth.pad(DisplayWidth.truncate(row.name, to: nameWidth, ellipsis: g.ellipsis), to: nameWidth)
            let selected = state.threadSelection.contains(row.id)
            var spans = [
                Piece(cursor ? g.cursor(focused: state.focus == .threads) : (selected ? "*" : " "), selected ? .marked : .normal),
                Piece(name, state.chatter.requested == row.id ? .accent : .normal),
            ]
            if !badge.isEmpty { spans += [Piece(" "), Piece(badge, .badge)] }
            let fill: Semantic? = cursor ? (state.focus == .threads ? .selected : .selectedInactive) : nil
            lines.append(Line(spans, fill: fill, item: index))
        }
        if t.hasMore && offset + height > t.rows.count { lines.append(Line([Piece(g.ellipsis, .muted)])) }
        return (offset, highlighted(lines, t.query.search))
    }

    /// "[F] failed only" when the filter is on, "[F] all threads" otherwise.
    static func filterNote(_ state: AppState) -> Piece {
        let key = state.keymap.keys(for: .toggleFailedFilter, in: .threads).first?.label(ascii: state.display.ascii) ?? "-"
        return state.threads.query.failedOnly ? Piece("[\(key)] failed only", .warning) : Piece("[\(key)] all threads", .muted)
    }
}
