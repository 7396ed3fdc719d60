import TermGrid
import TrackingModel

/// A failure as drawn: the cause in words (coloured by its side), then the
/// receiver's reply; the reply alone (in the danger colour) when the cause is unknown.
enum FailurePieces {
    static func why(cause: FailureCause?, text: String?, _ g: Glyphs) -> [Piece] {
        let reply = text.flatMap { $0.isEmpty ? nil : $0 }
        guard let cause else { return reply.map { [Piece($0, .danger)] } ?? [] }
        var pieces = [Piece(cause.phrase, Semantic.cause(cause))]
        if let reply { pieces.append(Piece(" \(g.dot) " + reply, .muted)) }
        return pieces
    }
}

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
    func recipient(_ r: RecipientEntry, selected: Bool) -> [Piece] {
        let markerStyle = selected ? Semantic.selected : Semantic.marker(r.marker, refused: r.refused)
        var spans = [
            Piece(glyphs.marker(r.marker, refused: r.refused), markerStyle),
            Piece(" " + r.name, selected ? .selected : .normal),
        ]
        if r.cc && r.marker != .cc { spans.append(Piece(" cc", .markerCc)) }
        return spans
    }

    /// Recipients in the reference's order, wrapped by whole entries after a lead.
    func recipients(
        _ list: [RecipientEntry], lead: [Piece], indent: Int, selected: Int?, item: Int?
    ) -> [Line] {
        var lines: [Line] = []
        var current = lead
        var used = Line(lead).width
        let pad = String(repeating: " ", count: indent)
        for (i, r) in list.enumerated() {
            let entry = recipient(r, selected: selected == i)
            let entryWidth = Line(entry).width
            let sep = Piece(" \(glyphs.dot) ", .muted)
            let first = current.count == lead.count
            let needed = (first ? 0 : DisplayWidth.of(sep.text)) + entryWidth
            if !first && used + needed > width {
                lines.append(Line(current, item: item))
                current = [Piece(pad)]
                used = indent
            } else if !first {
                current.append(sep)
                used += DisplayWidth.of(sep.text)
            }
            current += entry
            used += entryWidth
        }
        if list.isEmpty { current.append(Piece("no recipients", .muted)) }
        lines.append(Line(current, item: item))
        return lines
    }

    /// Wrapped text lines with an indent.
    func paragraph(_ text: String, indent: Int, style: Semantic, item: Int?, maxLines: Int = Int.max) -> [Line] {
        let pad = String(repeating: " ", count: indent)
        let wrapped = DisplayWidth.wrap(text, width: max(1, width - indent))
        var lines = wrapped.prefix(maxLines).map { Line([Piece(pad + $0, style)], item: item) }
        if wrapped.count > maxLines, var last = lines.popLast() {
            last.spans.append(Piece(glyphs.ellipsis, .muted))
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
            var spans: [Piece] = [Piece("  ")]
            for (action, long, brief) in entries {
                guard let key = state.keymap.keys(for: action, in: context).first else { continue }
                spans.append(Piece("[" + key.label(ascii: glyphs.ascii) + "]", .key))
                spans.append(Piece(" " + (short ? brief : long) + " ", .muted))
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
        var head: [Piece] = gutter(m.id, cursor: cursor) + [Piece(glyphs.marker(.error) + " ", .danger)]
        if showThread { head += [Piece(m.threadName, .accent), Piece(" \(glyphs.dot) ", .muted)] }
        head += [
            Piece(m.author.name, showThread ? .normal : .accent), Piece(" \(glyphs.dot) ", .muted),
            Piece(TimeText.relative(m.date, now: state.now, utcOffset: state.display.utcOffset), .muted),
        ]
        var lines = [Line(head, fill: cursor ? cursorStyle : nil, item: item)]
        if !m.subject.isEmpty {
            lines += paragraph(m.subject, indent: 4, style: .normal, item: item, maxLines: 1)
        }
        lines += recipients(
            m.failedRecipients, lead: [Piece("    Failed recipients: ", .danger)], indent: 6,
            selected: cursor ? recipient : nil, item: item)
        for r in m.failedRecipients { lines += failure(r, item: item) }
        lines.append(cardHints(context: context, item: item, goTo: true))
        return lines
    }

    /// A failed recipient's lines on its card: the cause in words (wrapped, never
    /// cut: it says whose problem it is), then the reply, which the pane edge
    /// truncates with an ellipsis; the reply alone when the cause is unknown.
    func failure(_ r: RecipientEntry, item: Int) -> [Line] {
        let text = r.errorDescription ?? (r.marker == .noEmail ? noRecipientDescription : nil)
        let lead = Piece("      " + r.name + ": ", .muted)
        guard let cause = r.cause else {
            return text.map { [Line([lead, Piece($0, .danger)], item: item)] } ?? []
        }
        let style = Semantic.cause(cause)
        let room = max(1, width - DisplayWidth.of(lead.text))
        let first = DisplayWidth.wrap(cause.phrase, width: room)
        var lines = [Line([lead, Piece(first.first ?? "", style)], item: item)]
        let rest = first.dropFirst().joined(separator: " ")
        if !rest.isEmpty {
            for part in DisplayWidth.wrap(rest, width: max(1, width - 8)) {
                lines.append(Line([Piece("        "), Piece(part, style)], item: item))
            }
        }
        if let text, !text.isEmpty, var last = lines.popLast() {
            last.spans.append(Piece(" \(glyphs.dot) " + text, .muted))
            lines.append(last)
        }
        return lines
    }

    /// A history message: author and date, subject, recipient markers, wrapped body.
    func historyMessage(_ m: MessageView, cursor: Bool, recipient: Int?, item: Int) -> [Line] {
        var head: [Piece] =
            gutter(m.id, cursor: cursor) + [
                Piece(m.author.name, .accent), Piece(" \(glyphs.dot) ", .muted),
                Piece(TimeText.date(m.date, now: state.now, utcOffset: state.display.utcOffset), .muted),
            ]
        if m.isFailed { head.append(Piece("  " + glyphs.failed + " needs action", .danger)) }
        var lines = [Line(head, fill: cursor ? cursorStyle : nil, item: item)]
        if !m.subject.isEmpty { lines += paragraph(m.subject, indent: 3, style: .title, item: item, maxLines: 2) }
        lines += recipients(m.recipients, lead: [Piece("   ")], indent: 3, selected: cursor ? recipient : nil, item: item)
        if m.sharedMail { lines += paragraph(SharedMailText.caveat(glyphs), indent: 3, style: .muted, item: item) }
        if !m.body.isEmpty { lines += paragraph(m.body, indent: 3, style: .normal, item: item) }
        lines.append(Line([], item: item))
        return lines
    }

    /// The cursor row's style: bright in the focused pane, dim elsewhere.
    var cursorStyle: Semantic { state.focus == .main ? .selected : .selectedInactive }

    /// Two-cell gutter: the cursor arrow, or a mark for messages selected with space.
    func gutter(_ id: Int64, cursor: Bool) -> [Piece] {
        [Piece(cursor ? glyphs.cursor(focused: state.focus == .main) : " "), Piece(state.selection.contains(id) || (state.selectAll && state.mailbox == .failed) ? "*" : " ", .marked)]
    }
}
