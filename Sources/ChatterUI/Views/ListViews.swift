import TermGrid
import TrackingModel

/// A table cell: text padded or truncated to a column width.
func column(_ text: String, _ width: Int, _ style: Semantic, _ g: Glyphs) -> Piece {
    guard width > 0 else { return Piece("", style) }
    let cut = DisplayWidth.truncate(text, to: width, ellipsis: g.ellipsis)
    return Piece(DisplayWidth.pad(cut, to: width) + " ", style)
}

/// The tracking emails list: time, state (glyph and word), recipient, subject, sender.
enum TrackingListView {
    static func lines(_ state: AppState, width: Int) -> [Line] {
        let g = Glyphs(ascii: state.display.ascii)
        let t = state.tracking.emails
        if t.loading && t.rows.isEmpty { return [Line([Piece("Loading" + g.ellipsis, .muted)])] }
        let recipientWidth = max(8, (width - 36) / 2)
        let rest = max(0, width - 1 - 17 - 15 - recipientWidth - 1)
        var lines = [
            Line([
                Piece(" "), column("Time", 16, .title, g), column("State", 13, .title, g),
                column("Recipient", recipientWidth, .title, g), Piece("Subject", .title),
            ])
        ]
        if t.rows.isEmpty {
            lines.append(Line([Piece("No tracking emails match.", .muted)]))
            return lines
        }
        for (index, row) in t.rows.enumerated() {
            let cursor = t.cursor == row.id
            let style = rowStyle(row.state)
            let recipient = row.address.map { row.recipient.contains($0) ? row.recipient : "\(row.recipient) <\($0)>" }
                ?? row.recipient
            var spans = [
                Piece(cursor ? g.cursor(focused: state.focus == .main) : " "),
                column(TimeText.stamp(row.createdAt, utcOffset: state.display.utcOffset), 16, .muted, g),
                Piece(g.marker(row.marker, refused: row.refused), Semantic.marker(row.marker, refused: row.refused)),
                column(
                    " " + humanStateName(row.state), 13 - DisplayWidth.of(g.marker(row.marker, refused: row.refused)),
                    style, g),
                column(recipient + (row.cc ? " cc" : ""), recipientWidth, .normal, g),
            ]
            if rest > 0 { spans.append(Piece(row.subject, style == .danger ? .danger : .normal)) }
            lines.append(Line(spans, fill: cursor ? cursorStyle(state) : nil, item: index))
        }
        if t.hasMore { lines.append(Line([Piece("More below: move down to load", .muted)])) }
        return [lines[0]] + highlighted(Array(lines.dropFirst()), t.query.search)
    }

    /// Row colours of the reference: muted waiting and deferred, green opened,
    /// red failed states, info for unsubscribed.
    static func rowStyle(_ state: TrackingState?) -> Semantic {
        guard let state else { return .muted }
        switch state {
        case .deferred: return .muted
        case .opened: return .success
        case .unsub: return .info
        case .error, .rejected, .spam, .bounced, .softBounced: return .danger
        case .sent, .delivered: return .normal
        }
    }

    static func title(_ state: AppState) -> [Piece] {
        let g = Glyphs(ascii: state.display.ascii)
        let q = state.tracking.query
        switch state.tracking.tab {
        case .emails:
            var spans = [Piece("Tracking emails"), Piece(" \(g.dot) state: \(q.state.title)", .muted)]
            if !q.search.isEmpty { spans.append(Piece(" \(g.dot) search: \(q.search)", .muted)) }
            return spans
        case .events:
            let type = state.tracking.eventType.map { $0.rawValue } ?? "all types"
            return [
                Piece("Tracking events"), Piece(state.tracking.events.query.map { " of #\($0)" } ?? "", .muted),
                Piece(" \(g.dot) type: \(type)", .muted),
            ]
        }
    }
}

/// The tracking events list: time, type, recipient, details.
enum EventsListView {
    static func lines(_ state: AppState, width: Int) -> [Line] {
        let g = Glyphs(ascii: state.display.ascii)
        let t = state.tracking
        if t.events.loading && t.events.rows.isEmpty { return [Line([Piece("Loading" + g.ellipsis, .muted)])] }
        var lines = [
            Line([
                Piece(" "), column("Time", 16, .title, g), column("Type", 12, .title, g), column("Recipient", 24, .title, g),
                Piece("Details", .title),
            ])
        ]
        let events = t.visibleEvents
        if events.isEmpty {
            lines.append(Line([Piece(t.eventType == nil ? "No events yet." : "No event of this type.", .muted)]))
            return lines
        }
        for (index, e) in events.enumerated() {
            let cursor = t.events.cursor == e.id
            let style = eventStyle(e.type)
            let spans = [
                Piece(cursor ? g.cursor(focused: state.focus == .main) : " "),
                column(TimeText.stamp(e.timestamp, utcOffset: state.display.utcOffset), 16, .muted, g),
                column(e.type.rawValue + (e.machine ? "*" : ""), 12, style, g),
                column(e.details.recipient ?? "#\(e.trackingId)", 24, .normal, g),
                Piece(EventText.details(e, g), style == .danger ? .danger : .muted),
            ]
            lines.append(Line(spans, fill: cursor ? cursorStyle(state) : nil, item: index))
        }
        return lines
    }

    /// Event colours of the reference: muted deferral, red bounces / spam /
    /// reject / errors, info open / click / unsub.
    static func eventStyle(_ type: EventType) -> Semantic {
        switch type {
        case .deferral, .retry: return .muted
        case .hardBounce, .softBounce, .spam, .reject, .error: return .danger
        case .open, .click, .unsub: return .info
        case .sent, .delivered: return .normal
        }
    }
}

/// Event details in one line: server, ip, client, error.
enum EventText {
    static func details(_ e: EventRow, _ g: Glyphs) -> String {
        let d = e.details
        var parts: [String] = []
        if let s = d.smtpServer { parts.append("smtp " + s) }
        if let ip = d.ip { parts.append("ip " + ip) }
        let client = [d.uaFamily, d.osFamily].compactMap { $0 }.joined(separator: "/")
        if !client.isEmpty { parts.append(client + (d.mobile == true ? " (mobile)" : "")) }
        if let c = d.country { parts.append(c) }
        if let url = d.url { parts.append(url) }
        if let cause = d.cause { parts.append(cause.phrase) }
        if let text = d.bounceDescription ?? d.errorDescription { parts.append(text) }
        if let text = d.errorDetails {
            parts.append(text == EventDetails.sharedPixel ? "shared pixel (any recipient)" : text)
        }
        if e.machine { parts.append("machine open (not counted)") }
        return parts.joined(separator: " \(g.dot) ")
    }
}

/// The partners list: name, address, score and verdict, bounced flag, trackings;
/// the cursor partner's score breakdown below.
enum PartnersView {
    static func lines(_ state: AppState, width: Int) -> [Line] {
        let g = Glyphs(ascii: state.display.ascii)
        let p = state.partners.list
        if p.loading && p.rows.isEmpty { return [Line([Piece("Loading" + g.ellipsis, .muted)])] }
        // Fixed columns: cursor 1, score 12, bounced 9, count 6; the rest is shared.
        let shared = max(16, width - 28)
        let nameWidth = shared * 11 / 20
        let mailWidth = shared - nameWidth - 2
        var lines = [
            Line([
                Piece(" "), column("Name", nameWidth, .title, g), column("Email", mailWidth, .title, g),
                column("Score", 11, .title, g), column("Bounced", 8, .title, g), Piece("Mails", .title),
            ])
        ]
        let rows = state.partners.visible
        if rows.isEmpty {
            lines.append(Line([Piece(p.query.isEmpty ? "No partners." : "No partner matches \"\(p.query)\".", .muted)]))
            return lines
        }
        for (index, card) in rows.enumerated() {
            let cursor = p.cursor == card.id
            let score = Int(card.emailScore.rounded())
            // A bounced address shows its score without "good": the flag says the newest mail failed.
            let verdict = card.emailBounced ? "" : EmailScore.verdict(card.emailScore)
            let scoreStyle: Semantic =
                card.emailBounced ? .warning : (verdict == "bad" ? .danger : (verdict == "good" ? .success : .muted))
            let spans = [
                Piece(cursor ? g.cursor(focused: state.focus == .main) : " "), column(card.name, nameWidth, .normal, g),
                column(card.email ?? "(no email)", mailWidth, card.email == nil ? .muted : .normal, g),
                column(verdict.isEmpty ? "\(score)" : "\(score) \(verdict)", 11, scoreStyle, g),
                column(card.emailBounced ? "bounced" : "-", 8, card.emailBounced ? .danger : .muted, g),
                Piece("\(card.trackingCount)", .normal),
            ]
            lines.append(Line(spans, fill: cursor ? cursorStyle(state) : nil, item: index))
        }
        return lines
    }

    /// The score breakdown of the cursor partner, wrapped by terms:
    /// "start 50 + 3 delivered × 1 − 1 bounced × 25 = 28".
    static func breakdown(_ state: AppState, width: Int) -> [Line] {
        guard let card = state.partners.list.current else { return [] }
        let b = card.breakdown
        let g = Glyphs(ascii: state.display.ascii)
        var terms: [[Piece]] = [[Piece("Score of \(card.name): ", .title), Piece("start 50", .muted)]]
        for line in b.lines where line.weight != 0 {
            let sign = line.weight < 0 ? (g.ascii ? "- " : "− ") : "+ "
            let times = g.ascii ? "x" : "×"
            terms.append([
                Piece(sign, .muted),
                Piece(
                    "\(line.count) \(humanStateName(line.state).lowercased()) \(times) \(Int(abs(line.weight)))",
                    line.weight < 0 ? .danger : .success),
            ])
        }
        var total = [Piece("= \(Int(b.unclamped.rounded()))", .muted)]
        if b.unclamped != b.score { total.append(Piece(" \(g.arrow) \(Int(b.score.rounded())) (clamped to 0-100)", .muted)) }
        terms.append(total)
        var lines: [Line] = []
        var current = Line([])
        for term in terms {
            let w = Line(term).width + 1
            if current.width > 0 && current.width + w > width {
                lines.append(current)
                current = Line([Piece("  ")])
            }
            if current.width > 2 || (current.width > 0 && lines.isEmpty) { current.spans.append(Piece(" ")) }
            current.spans += term
        }
        lines.append(current)
        return lines
    }
}

/// The cursor row's style in the right pane.
func cursorStyle(_ state: AppState) -> Semantic {
    state.focus == .main ? .selected : .selectedInactive
}
