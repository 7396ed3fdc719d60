import TermGrid
import TrackingModel

/// Line builders shared by the chatter and the Failed pane: recipient lines,
/// failed cards and history messages.
struct MessageLines {
    var state: AppState
    var glyphs: Glyphs
    var width: Int

    init(_ state: AppState, width: Int) {
        self.state = state
        self.glyphs = Glyphs(ascii: state.display.ascii)
        self.width = width
    }

    /// One recipient as spans: marker glyph, name, and a `cc` badge for a Cc
    /// recipient that has its own tracking (its status is known).
    func recipient(_ r: RecipientEntry, selected: Bool) -> [Span] {
        var spans = [
            Span(glyphs.marker(r.marker), selected ? .selected : Semantic.marker(r.marker)),
            Span(" " + r.name, selected ? .selected : .normal),
        ]
        if r.cc && r.marker != .cc { spans.append(Span(" cc", .markerCc)) }
        return spans
    }

    /// Recipients in the reference's order, wrapped by whole entries after a lead.
    func recipients(
        _ list: [RecipientEntry], lead: [Span], indent: Int, selected: Int?, item: Int?
    ) -> [Line] {
        var lines: [Line] = []
        var current = lead
        var used = Line(lead).width
        let pad = String(repeating: " ", count: indent)
        for (i, r) in list.enumerated() {
            let entry = recipient(r, selected: selected == i)
            let entryWidth = Line(entry).width
            let sep = Span(" \(glyphs.dot) ", .muted)
            let first = current.count == lead.count
            let needed = (first ? 0 : DisplayWidth.of(sep.text)) + entryWidth
            if !first && used + needed > width {
                lines.append(Line(current, item: item))
                current = [Span(pad)]
                used = indent
            } else if !first {
                current.append(sep)
                used += DisplayWidth.of(sep.text)
            }
            current += entry
            used += entryWidth
        }
        if list.isEmpty { current.append(Span("no recipients", .muted)) }
        lines.append(Line(current, item: item))
        return lines
    }

    /// Wrapped text lines with an indent.
    func paragraph(_ text: String, indent: Int, style: Semantic, item: Int?, maxLines: Int = Int.max) -> [Line] {
        let pad = String(repeating: " ", count: indent)
        let wrapped = DisplayWidth.wrap(text, width: max(1, width - indent))
        var lines = wrapped.prefix(maxLines).map { Line([Span(pad + $0, style)], item: item) }
        if wrapped.count > maxLines, var last = lines.popLast() {
            last.spans.append(Span(glyphs.ellipsis, .muted))
            lines.append(last)
        }
        return lines
    }

    /// The action hints of a failed card, with the keys actually bound; short
    /// labels when the long ones do not fit.
    func cardHints(context: KeyContext, item: Int?, goTo: Bool) -> Line {
        var entries: [(Action, String, String)] = [(.review, "Set as reviewed", "reviewed"), (.retry, "Retry", "retry")]
        if goTo { entries.append((.open, "Go to message", "go to")) }
        entries.append((.detail, "info", "info"))
        func build(short: Bool) -> Line {
            var spans: [Span] = [Span("  ")]
            for (action, long, brief) in entries {
                guard let key = state.keymap.keys(for: action, in: context).first else { continue }
                spans.append(Span("[" + key + "]", .key))
                spans.append(Span(" " + (short ? brief : long) + " ", .muted))
            }
            return Line(spans, item: item)
        }
        let long = build(short: false)
        return long.width <= width ? long : build(short: true)
    }

    /// A failed card: marker, (thread,) author and relative date, subject, the
    /// failed recipients with markers, their error texts, the actions.
    func failedCard(
        _ m: MessageView, showThread: Bool, cursor: Bool, recipient: Int?, context: KeyContext, item: Int
    ) -> [Line] {
        var head: [Span] = gutter(m.id, cursor: cursor) + [Span(glyphs.marker(.error) + " ", .danger)]
        if showThread { head += [Span(m.threadName, .accent), Span(" \(glyphs.dot) ", .muted)] }
        head += [
            Span(m.author.name, showThread ? .normal : .accent), Span(" \(glyphs.dot) ", .muted),
            Span(TimeText.relative(m.date, now: state.now, utcOffset: state.display.utcOffset), .muted),
        ]
        var lines = [Line(head, fill: cursor ? cursorStyle : nil, item: item)]
        if !m.subject.isEmpty {
            lines += paragraph(m.subject, indent: 4, style: .normal, item: item, maxLines: 1)
        }
        lines += recipients(
            m.failedRecipients, lead: [Span("    Failed recipients: ", .danger)], indent: 6,
            selected: cursor ? recipient : nil, item: item)
        for r in m.failedRecipients {
            guard let text = r.errorDescription ?? (r.marker == .noEmail ? noRecipientDescription : nil) else {
                continue
            }
            // One line per recipient; the pane edge truncates it with an ellipsis.
            lines.append(Line([Span("      " + r.name + ": ", .muted), Span(text, .danger)], item: item))
        }
        lines.append(cardHints(context: context, item: item, goTo: true))
        return lines
    }

    /// A history message: author and date, subject, recipient markers, wrapped body.
    func historyMessage(_ m: MessageView, cursor: Bool, recipient: Int?, item: Int) -> [Line] {
        var head: [Span] =
            gutter(m.id, cursor: cursor) + [
                Span(m.author.name, .accent), Span(" \(glyphs.dot) ", .muted),
                Span(TimeText.date(m.date, now: state.now, utcOffset: state.display.utcOffset), .muted),
            ]
        if m.isFailed { head.append(Span("  " + glyphs.failed + " needs action", .danger)) }
        var lines = [Line(head, fill: cursor ? cursorStyle : nil, item: item)]
        if !m.subject.isEmpty { lines += paragraph(m.subject, indent: 3, style: .title, item: item, maxLines: 2) }
        lines += recipients(m.recipients, lead: [Span("   ")], indent: 3, selected: cursor ? recipient : nil, item: item)
        if !m.body.isEmpty { lines += paragraph(m.body, indent: 3, style: .normal, item: item) }
        lines.append(Line([], item: item))
        return lines
    }

    /// The cursor row's style: bright in the focused pane, dim elsewhere.
    var cursorStyle: Semantic { state.focus == .main ? .selected : .selectedInactive }

    /// Two-cell gutter: the cursor arrow, or a mark for messages selected with space.
    func gutter(_ id: Int64, cursor: Bool) -> [Span] {
        [Span(cursor ? glyphs.cursor : " "), Span(state.selection.contains(id) ? "*" : " ", .marked)]
    }
}
