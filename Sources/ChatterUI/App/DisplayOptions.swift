/// How the front draws glyphs and dates; chosen by the loop from flags and locale.
public struct DisplayOptions: Sendable, Hashable {
    /// ASCII markers and borders (`--ascii`, non-UTF-8 locale).
    public var ascii: Bool
    /// The colour mode the loop picked; views use semantic styles only, but the
    /// help screen names the mode.
    public var colorMode: ColorMode
    /// Offset of local time from UTC in seconds, for absolute dates (the UI has no clock or zone).
    public var utcOffset: Int

    public init(ascii: Bool = false, colorMode: ColorMode = .color256, utcOffset: Int = 0) {
        self.ascii = ascii
        self.colorMode = colorMode
        self.utcOffset = utcOffset
    }
}

/// The colour capability in use.
public enum ColorMode: String, Sendable, Hashable, CaseIterable {
    case color256 = "256 colours"
    case color8 = "8 colours"
    case mono = "monochrome"

    /// The mode for a terminal with `colors` colours (curses' COLORS), unless
    /// `NO_COLOR` is set (any value) or `--mono` was given: then monochrome.
    public static func choose(terminalColors colors: Int, noColor: Bool, mono: Bool) -> ColorMode {
        if noColor || mono { return .mono }
        if colors >= 256 { return .color256 }
        if colors >= 8 { return .color8 }
        return .mono
    }
}
