import TermGrid

/// A run of text in one semantic style. (TermGrid's `Span` carries a raw style
/// id and always ellipsises with "…"; views need semantic styles and the ASCII
/// ellipsis of `--ascii`, which non-UTF-8 terminals can show.)
struct Piece: Hashable {
    var text: String
    var style: Semantic

    init(_ text: String, _ style: Semantic = .normal) {
        self.text = text
        self.style = style
    }
}

/// One screen line of a view, before it is placed.
struct Line: Hashable {
    var spans: [Piece]
    /// Paints the whole row in this style (the cursor row); spans take it too.
    var fill: Semantic?
    /// The list item the line belongs to, for scrolling to the cursor and mouse hits.
    var item: Int?

    init(_ spans: [Piece], fill: Semantic? = nil, item: Int? = nil) {
        self.spans = spans
        self.fill = fill
        self.item = item
    }

    static let blank = Line([])

    /// Display width of the line's text.
    var width: Int { spans.reduce(0) { $0 + DisplayWidth.of($1.text) } }
}

extension Grid {
    /// Writes text clipped to `width` cells, truncated with the glyph set's ellipsis.
    @discardableResult
    mutating func text(_ s: String, x: Int, y: Int, width: Int, _ style: Semantic, _ g: Glyphs) -> Int {
        guard width > 0 else { return 0 }
        let shown = g.ascii ? DisplayWidth.truncate(s, to: width, ellipsis: g.ellipsis) : s
        return put(shown, x: x, y: y, maxWidth: width, style: style.id)
    }

    /// Draws a line at row `y` inside `[x, x + width)`.
    mutating func draw(_ line: Line, x: Int, y: Int, width: Int, _ g: Glyphs) {
        if let fill = line.fill { self.fill(Rect(x: x, y: y, width: width, height: 1), style: fill.id) }
        var col = x
        for span in line.spans {
            let left = x + width - col
            if left <= 0 { break }
            col += text(span.text, x: col, y: y, width: left, line.fill ?? span.style, g)
        }
    }

    /// Draws lines into a rectangle from line `offset` on.
    mutating func draw(_ lines: [Line], in rect: Rect, offset: Int, _ g: Glyphs) {
        guard !rect.isEmpty else { return }
        for row in 0..<rect.height {
            let i = offset + row
            guard i >= 0, i < lines.count else { break }
            draw(lines[i], x: rect.x, y: rect.y + row, width: rect.width, g)
        }
    }

    /// A frame around `rect` with a title on its top edge and an optional note at
    /// the right of it. `teeTop` draws the top edge as a divider (├ … ┤).
    mutating func box(
        _ rect: Rect, title: [Piece], note: Piece? = nil, focused: Bool, _ g: Glyphs, teeTop: Bool = false
    ) {
        guard rect.width >= 2, rect.height >= 1 else { return }
        let border = Semantic.border.id
        let b = g.box(focused: focused)
        let top = rect.y
        let bottom = rect.maxY - 1
        hline(x: rect.x, y: top, width: rect.width, glyph: b.horizontal, style: border)
        self[rect.x, top] = Cell(text: String(teeTop ? b.teeLeft : b.topLeft), style: border)
        self[rect.maxX - 1, top] = Cell(text: String(teeTop ? b.teeRight : b.topRight), style: border)
        if rect.height > 1 {
            hline(x: rect.x, y: bottom, width: rect.width, glyph: b.horizontal, style: border)
            vline(x: rect.x, y: top + 1, height: rect.height - 2, glyph: b.vertical, style: border)
            vline(x: rect.maxX - 1, y: top + 1, height: rect.height - 2, glyph: b.vertical, style: border)
            self[rect.x, bottom] = Cell(text: String(b.bottomLeft), style: border)
            self[rect.maxX - 1, bottom] = Cell(text: String(b.bottomRight), style: border)
        }
        titleBar(rect, y: top, title: title, note: note, focused: focused, g)
    }

    /// Writes a title (and a right-aligned note) over a frame's edge row.
    mutating func titleBar(_ rect: Rect, y: Int, title: [Piece], note: Piece?, focused: Bool, _ g: Glyphs) {
        let inner = rect.width - 4
        guard inner > 0 else { return }
        var noteWidth = 0
        if let note {
            noteWidth = min(DisplayWidth.of(note.text), inner / 2)
            if noteWidth > 0 {
                text(" " + note.text + " ", x: rect.maxX - 3 - noteWidth, y: y, width: noteWidth + 2, note.style, g)
            }
        }
        let titleRoom = inner - (noteWidth > 0 ? noteWidth + 3 : 0)
        guard titleRoom > 0 else { return }
        var x = rect.x + 1
        x += text(" ", x: x, y: y, width: 1, .border, g)
        let end = rect.x + 2 + titleRoom
        for span in Self.fitted(title, to: titleRoom, g) {
            let style: Semantic = focused ? (span.style == .normal ? .title : span.style) : (span.style == .normal ? .muted : span.style)
            x += text(span.text, x: x, y: y, width: end - x, style, g)
            if x >= end { break }
        }
        text(" ", x: x, y: y, width: 1, .border, g)
    }
}

extension Grid {
    /// A title cut to `width` from its first span: what follows it (a count, a
    /// position) is what changes, so it stays whole while the name is shortened.
    static func fitted(_ title: [Piece], to width: Int, _ g: Glyphs) -> [Piece] {
        let total = title.reduce(0) { $0 + DisplayWidth.of($1.text) }
        guard total > width, let first = title.first, title.count > 1 else { return title }
        let rest = total - DisplayWidth.of(first.text)
        let room = width - rest
        guard room > DisplayWidth.of(g.ellipsis) else { return title }
        return [Piece(DisplayWidth.truncate(first.text, to: room, ellipsis: g.ellipsis), first.style)] + title.dropFirst()
    }
}

/// The first line offset that shows the cursor's line with some context above it
/// (a third of the height), clamped to the content: stateless scrolling, so a
/// reload or a resize never needs a stored scroll position.
func scrollOffset(cursorLine: Int?, total: Int, height: Int) -> Int {
    guard let cursorLine, height > 0, total > height else { return 0 }
    return min(max(0, cursorLine - height / 3), total - height)
}

