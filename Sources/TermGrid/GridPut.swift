extension Grid {
    /// Writes text at (x, y) clipped to `maxWidth` display cells and to the grid's right edge.
    ///
    /// Too long, the text is truncated with "…" (never splitting a grapheme or a
    /// wide character); when a wide character is what did not fit, the cell it
    /// leaves is padded with a space in `style`. Clusters of width 0 (controls,
    /// a mark with no base) are dropped: nothing that is not a visible cell
    /// reaches the terminal. A negative `x` clips the text's start (a wide
    /// character cut by column 0 shows as a space). A row outside the grid
    /// writes nothing.
    ///
    /// Returns the cells used from `x`: the text's width after truncation, plus
    /// the padding; the caller's next column is `x` plus this. 0 when nothing fits.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, maxWidth: Int, style: StyleID) -> Int {
        guard y >= 0, y < size.height else { return 0 }
        let limit = min(maxWidth, size.width - x)
        guard limit > 0 else { return 0 }
        let shown = DisplayWidth.truncate(text, to: limit)
        var col = x
        for c in shown {
            let w = DisplayWidth.of(c)
            if w == 0 { continue }
            if col >= 0 {
                if w == 2 {
                    setRaw(col, y, Cell(text: String(c), style: style))
                    setRaw(col + 1, y, Cell(text: "", style: style))
                } else {
                    setRaw(col, y, Cell(text: String(c), style: style))
                }
            } else if col + w > 0 {
                // A wide character straddling column 0: its visible half cannot be drawn alone.
                setRaw(0, y, .blank(style))
            }
            col += w
        }
        var used = col - x
        if shown != text, used < limit {
            // The ellipsis replaced a wide character and left one cell: blank it so old content cannot show.
            if col >= 0 { setRaw(col, y, .blank(style)) }
            used += 1
        }
        return used
    }

    /// Writes `text` centred in `rect`'s first row (truncated with "…"): titles and notices.
    @discardableResult
    public mutating func putCentered(_ text: String, in rect: Rect, style: StyleID) -> Int {
        guard !rect.isEmpty else { return 0 }
        let w = min(DisplayWidth.of(text), rect.width)
        return put(text, x: rect.x + (rect.width - w) / 2, y: rect.y, maxWidth: rect.width, style: style)
    }
}
