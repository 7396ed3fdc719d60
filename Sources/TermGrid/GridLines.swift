/// The characters of a box and its lines: Unicode box drawing, or ASCII for `--ascii` and non-UTF-8 locales.
public struct BoxGlyphs: Hashable, Sendable {
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    /// Where a horizontal line meets a vertical border from the left (├) and from the right (┤).
    public var teeLeft: Character
    public var teeRight: Character

    public init(horizontal: Character, vertical: Character, topLeft: Character, topRight: Character,
                bottomLeft: Character, bottomRight: Character, teeLeft: Character, teeRight: Character) {
        self.horizontal = horizontal
        self.vertical = vertical
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomLeft = bottomLeft
        self.bottomRight = bottomRight
        self.teeLeft = teeLeft
        self.teeRight = teeRight
    }

    /// ┌─┐│└┘├┤
    public static let unicode = BoxGlyphs(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐",
                                          bottomLeft: "└", bottomRight: "┘", teeLeft: "├", teeRight: "┤")
    /// +-+|++++
    public static let ascii = BoxGlyphs(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+",
                                        bottomLeft: "+", bottomRight: "+", teeLeft: "+", teeRight: "+")
}

extension Grid {
    /// Draws a horizontal line of `glyph` over `width` cells from (x, y), clipped to the grid.
    public mutating func hline(x: Int, y: Int, width: Int, glyph: Character = "─", style: StyleID) {
        guard width > 0 else { return }
        let cell = Cell(text: String(glyph), style: style)
        for cx in max(0, x)..<max(max(0, x), min(size.width, x + width)) { self[cx, y] = cell }
    }

    /// Draws a vertical line of `glyph` over `height` cells from (x, y), clipped to the grid.
    public mutating func vline(x: Int, y: Int, height: Int, glyph: Character = "│", style: StyleID) {
        guard height > 0 else { return }
        let cell = Cell(text: String(glyph), style: style)
        for cy in max(0, y)..<max(max(0, y), min(size.height, y + height)) { self[x, cy] = cell }
    }

    /// Draws a border around `rect` with an optional title in the top edge ("┌ Title ───┐"); returns the inside.
    ///
    /// The title is truncated with "…" to fit between the corners. A rectangle
    /// smaller than 2x2 gets no border and is returned empty.
    @discardableResult
    public mutating func box(_ rect: Rect, title: String = "", glyphs: BoxGlyphs = .unicode,
                             style: StyleID, titleStyle: StyleID? = nil) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        hline(x: rect.x + 1, y: rect.y, width: rect.width - 2, glyph: glyphs.horizontal, style: style)
        hline(x: rect.x + 1, y: bottom, width: rect.width - 2, glyph: glyphs.horizontal, style: style)
        vline(x: rect.x, y: rect.y + 1, height: rect.height - 2, glyph: glyphs.vertical, style: style)
        vline(x: right, y: rect.y + 1, height: rect.height - 2, glyph: glyphs.vertical, style: style)
        self[rect.x, rect.y] = Cell(text: String(glyphs.topLeft), style: style)
        self[right, rect.y] = Cell(text: String(glyphs.topRight), style: style)
        self[rect.x, bottom] = Cell(text: String(glyphs.bottomLeft), style: style)
        self[right, bottom] = Cell(text: String(glyphs.bottomRight), style: style)
        if !title.isEmpty, rect.width > 4 {
            put(" " + title + " ", x: rect.x + 1, y: rect.y, maxWidth: rect.width - 2, style: titleStyle ?? style)
        }
        return rect.inset(by: 1)
    }
}
