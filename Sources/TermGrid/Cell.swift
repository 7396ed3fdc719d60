/// One terminal cell: a grapheme cluster and its semantic style.
public struct Cell: Hashable, Sendable {
    /// One grapheme cluster of display width 1 or 2; "" for the right half of a wide character.
    public var text: String
    public var style: StyleID

    public init(text: String, style: StyleID = .default) {
        self.text = text
        self.style = style
    }

    /// A space in `style`.
    public static func blank(_ style: StyleID = .default) -> Cell {
        Cell(text: " ", style: style)
    }

    /// Whether this is the right half of the wide character on its left.
    public var isContinuation: Bool { text.isEmpty }
}
