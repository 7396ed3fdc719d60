/// A piece of text in one style; a line of them is how views draw mixed styles
/// (a recipient line with one coloured marker per recipient).
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: StyleID

    public init(_ text: String, _ style: StyleID = .default) {
        self.text = text
        self.style = style
    }
}

extension DisplayWidth {
    /// The cells a line of spans takes.
    public static func of(_ spans: [Span]) -> Int {
        spans.reduce(0) { $0 + of($1.text) }
    }
}

extension Grid {
    /// Writes spans one after another from (x, y), as one line clipped to `maxWidth` cells and the grid's edge.
    ///
    /// Too long, the line is cut as a whole with "…" (in the style of the span
    /// that was cut), never splitting a cluster; the same rules as `put` for
    /// clipping, dropped controls and padding. Returns the cells used from `x`.
    @discardableResult
    public mutating func put(_ spans: [Span], x: Int, y: Int, maxWidth: Int) -> Int {
        let limit = min(maxWidth, size.width - x)
        guard y >= 0, y < size.height, limit > 0 else { return 0 }
        if DisplayWidth.of(spans) <= limit {
            var col = x
            for span in spans { col += put(span.text, x: col, y: y, maxWidth: x + limit - col, style: span.style) }
            return col - x
        }
        // Keep whole clusters up to one cell short of the limit, then the ellipsis.
        let room = limit - 1
        var col = x
        var cutStyle = spans.first?.style ?? .default
        outer: for span in spans {
            cutStyle = span.style
            var kept = ""
            var keptWidth = 0
            for c in span.text {
                let w = DisplayWidth.of(c)
                if col - x + keptWidth + w > room {
                    put(kept, x: col, y: y, maxWidth: keptWidth, style: span.style)
                    col += keptWidth
                    break outer
                }
                kept.append(c)
                keptWidth += w
            }
            col += put(kept, x: col, y: y, maxWidth: keptWidth, style: span.style)
        }
        col += put("…", x: col, y: y, maxWidth: 1, style: cutStyle)
        if col - x < limit {
            // A wide cluster did not fit before the ellipsis: blank the cell it leaves.
            col += put(" ", x: col, y: y, maxWidth: 1, style: cutStyle)
        }
        return col - x
    }
}
