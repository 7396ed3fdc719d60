import TermGrid
import TrackingModel

/// The Groups view of the Failed pane: one line per (cause, receiving domain),
/// newest activity first: side, cause in words, domain, count, first and last
/// time, the newest reply.
enum GroupsView {
    static func lines(_ state: AppState, width: Int) -> [Line] {
        let g = Glyphs(ascii: state.display.ascii)
        let list = state.failed.groups
        if list.loading && list.rows.isEmpty { return [Line([Piece("Loading" + g.ellipsis, .muted)])] }
        if list.rows.isEmpty { return [Line([Piece("No failed messages: no failure groups.", .success)])] }
        let offset = state.display.utcOffset
        // One entry per group: its figures, then its newest reply below them.
        var lines = [
            Line([
                Piece(" "), column("Side", 9, .title, g), column("Cause", 26, .title, g), column("Domain", 20, .title, g),
                column("Count", 6, .title, g), column("Since", 11, .title, g), Piece("Last", .title),
            ])
        ]
        for (index, row) in list.rows.enumerated() {
            let cursor = list.cursor == row.id
            let side = row.key.cause?.side
            let style: Semantic = side == .sender ? .warning : .danger
            let fill: Semantic? = cursor ? cursorStyle(state) : nil
            lines.append(
                Line(
                    [
                        Piece(cursor ? g.cursor(focused: state.focus == .main) : " "),
                        column(sideWord(side), 9, style, g),
                        column(row.key.cause?.words ?? "unknown cause", 26, .normal, g),
                        column(row.key.domain.isEmpty ? "(no address)" : row.key.domain, 20, .normal, g),
                        column(ListPosition.grouped(row.count), 6, .danger, g),
                        column(String(TimeText.stamp(row.first, utcOffset: offset).suffix(11)), 11, .muted, g),
                        Piece(TimeText.relative(row.last, now: state.now, utcOffset: offset), .muted),
                    ], fill: fill, item: index))
            lines.append(Line([Piece("  "), Piece(row.sample ?? "", .muted)], fill: fill, item: index))
        }
        return lines
    }

    /// The side in one word for the column.
    static func sideWord(_ side: FailureSide?) -> String {
        switch side {
        case .sender?: return "receiver"
        case .address?: return "address"
        case .mailbox?: return "mailbox"
        case .transport?: return "transport"
        case nil: return "?"
        }
    }

    static func title(_ state: AppState) -> [Piece] {
        let n = state.failed.groups.rows.count
        return [Piece("Failure groups"), Piece(" (\(n))", n > 0 ? .danger : .muted)]
    }
}

/// The bulk popup: what the action applies to, the dry run's counts, then Enter.
enum BulkPreviewView {
    static func lines(_ state: AppState, _ p: BulkPreview) -> [Line] {
        let g = Glyphs(ascii: state.display.ascii)
        let verb = p.action == .review ? "Set as reviewed" : "Retry"
        var lines = [Line([Piece(verb + ": ", .title), Piece(p.label, .normal)]), .blank]
        if let summary = p.summary {
            lines.append(Line([Piece(summary.text(p.action, g), summary.messages > 0 ? .warning : .muted)]))
            lines.append(.blank)
            let undo = p.action == .review ? " (u undoes it whole)" : ""
            lines.append(Line([Piece("Enter: do it in one step" + undo + "  Esc: cancel", .muted)]))
        } else {
            lines.append(Line([Piece("Counting" + g.ellipsis, .muted)]))
        }
        return lines
    }

    static func draw(_ state: AppState, _ preview: BulkPreview, into grid: inout Grid) {
        let g = Glyphs(ascii: state.display.ascii)
        let content = lines(state, preview)
        let width = min(grid.size.width, max(50, content.map(\.width).max() ?? 0) + 6)
        let p = Popup(screen: grid.size, width: width, height: content.count + 2)
        p.draw(title: [Piece(preview.action == .review ? "Bulk review" : "Group retry")], into: &grid, g)
        grid.draw(content, in: p.inner, offset: 0, g)
    }
}
