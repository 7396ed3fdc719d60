import TermGrid

/// "37 / 4,340": where the cursor is in a whole list, drawn on the bottom edge
/// of the list's frame. The count is the list's kept or indexed count; a list
/// that is not counted (a search) shows how far it is known ("37 / 600+").
enum ListPosition {
    /// The text for a list, nil when it has no cursor or no known position.
    /// `shown` is the count of rows a local filter keeps (the store's count is
    /// then not the list's).
    static func text<Row, Query>(_ list: ListState<Row, Query>, shown: Int? = nil) -> String? {
        guard let position = list.position else { return nil }
        let whole = list.atTop && !list.moreBelow
        let total = shown != nil ? (whole ? shown : nil) : (list.total ?? (whole ? list.rows.count : nil))
        if let total {
            return "\(grouped(position)) / \(grouped(max(total, position)))"
        }
        let known = (list.offset ?? 0) + (shown ?? list.rows.count)
        return "\(grouped(position)) / \(grouped(known))+"
    }

    /// A number with thousands separators: 4,340.
    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}

extension Grid {
    /// Writes a note on a frame's bottom edge, right-aligned ("─ 37 / 4,340 ─┘").
    mutating func bottomNote(_ rect: Rect, _ text: String?, _ g: Glyphs) {
        guard let text, rect.height >= 2 else { return }
        let label = " " + text + " "
        let width = DisplayWidth.of(label)
        guard width + 4 <= rect.width else { return }
        self.text(label, x: rect.maxX - 2 - width, y: rect.maxY - 1, width: width, .muted, g)
    }
}
