import CNCursesW
import TermGrid

extension CursesTerminal {
    /// Sets how each semantic style looks. Styles not in `styles` draw plain.
    ///
    /// Colours fold to what the terminal has (256, 16, 8); without colour only
    /// the attributes (bold, underline, reverse, dim) remain. Colour pairs are
    /// shared between styles with the same colours.
    public func setPalette(_ styles: [StyleID: TerminalStyle]) {
        guard !restored else { return }
        var table: [(attrs: attr_t, pair: Int16)] = Array(repeating: (0, 0), count: 256)
        var pairs: [PairColors: Int16] = [:]
        var nextPair: Int16 = 1
        let maxPairs = colorCount > 0 ? Int(cnc_color_pairs()) : 0
        for (id, style) in styles.sorted(by: { $0.key < $1.key }) {
            let s = colorCount > 0 ? style : style.withoutColors
            var attrs = cnc_a_normal()
            if s.bold { attrs |= cnc_a_bold() }
            if s.underline { attrs |= cnc_a_underline() }
            if s.reverse { attrs |= cnc_a_reverse() }
            if s.dim { attrs |= cnc_a_dim() }
            let colors = pairColors(s)
            var pair: Int16 = 0
            if colorCount > 0, colors != PairColors(fg: -1, bg: -1) || !hasDefaultColors {
                if let existing = pairs[colors] {
                    pair = existing
                } else if Int(nextPair) < maxPairs {
                    init_pair(nextPair, colors.fg, colors.bg)
                    pairs[colors] = nextPair
                    pair = nextPair
                    nextPair += 1
                }
            }
            table[Int(id.rawValue)] = (attrs, pair)
        }
        styleTable = table
        glyphCache.removeAll(keepingCapacity: true)
    }

    /// Foreground and background numbers for init_pair (-1 = the terminal's default).
    struct PairColors: Hashable {
        var fg: Int16
        var bg: Int16
    }

    func pairColors(_ s: TerminalStyle) -> PairColors {
        // Without default-colour support (-1), fall back to white on black.
        let fg = s.fg.index(forColorCount: colorCount) ?? (hasDefaultColors ? -1 : 7)
        let bg = s.bg.index(forColorCount: colorCount) ?? (hasDefaultColors ? -1 : 0)
        return PairColors(fg: Int16(fg), bg: Int16(bg))
    }
}
