/// A semantic style id (the view's meaning, e.g. "danger"); themes map it to colours. 0 = default.
///
/// Views speak in meanings, never colours, so a monochrome or 8-colour theme
/// can render the same grid, and snapshot tests can print one letter per meaning.
public struct StyleID: Hashable, Sendable, RawRepresentable, Comparable {
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The terminal's default look.
    public static let `default` = StyleID(rawValue: 0)

    public static func < (a: StyleID, b: StyleID) -> Bool { a.rawValue < b.rawValue }
}

/// A terminal colour as a theme names it.
public enum TerminalColor: Hashable, Sendable {
    /// The terminal's own foreground or background.
    case `default`
    /// One of the 16 ANSI colours (0-7 normal, 8-15 bright); works on 8-colour terminals (8-15 fold to 0-7).
    case ansi(UInt8)
    /// One of the 256 xterm colours; backends fold it to the nearest ANSI colour on smaller terminals.
    case indexed(UInt8)
}

/// How one semantic style looks: colours plus attributes.
///
/// Pure data so a theme (in ChatterUI) can be tested without a terminal.
public struct TerminalStyle: Hashable, Sendable {
    public var fg: TerminalColor
    public var bg: TerminalColor
    public var bold: Bool
    public var underline: Bool
    public var reverse: Bool
    public var dim: Bool

    public init(fg: TerminalColor = .default, bg: TerminalColor = .default,
                bold: Bool = false, underline: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.dim = dim
    }

    /// Default colours, no attribute.
    public static let plain = TerminalStyle()

    /// The same style without colours: what a monochrome terminal or `NO_COLOR` gets.
    public var withoutColors: TerminalStyle {
        TerminalStyle(bold: bold, underline: underline, reverse: reverse, dim: dim)
    }
}
