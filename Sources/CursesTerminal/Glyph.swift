import CTerminalSupport
import Glibc
import TermGrid

/// What to send to curses for one cell's cluster so the terminal's idea of its
/// width matches the grid's.
///
/// curses and the terminal measure each scalar with the C library's wcwidth
/// and keep at most one spacing character plus four combining ones per cell,
/// so a ZWJ sequence, a flag or a VS16 emoji would otherwise push the rest of
/// the line sideways. We send the base scalar and the combining marks that
/// wcwidth agrees are zero-width, then pad with spaces up to the grid's width;
/// what wcwidth cannot show at all becomes a replacement character.
struct Glyph: Equatable {
    /// NUL-terminated wide characters for setcchar: one spacing character, then combining ones.
    var chars: [wchar_t]
    /// Spaces to write after it so the cell takes the grid's width.
    var padding: Int

    /// Cells the glyph itself takes on the terminal (before padding).
    func width(inCells cells: Int) -> Int { cells - padding }

    static func make(_ cluster: String, cells: Int, utf8: Bool) -> Glyph {
        let cells = max(1, min(2, cells))
        guard let base = cluster.unicodeScalars.first else { return .space(cells) }
        guard utf8 || base.isASCII else { return Glyph(chars: [wchar_t(UInt8(ascii: "?")), 0], padding: cells - 1) }
        let baseWidth = Int(ctr_wcwidth(base.value))
        guard baseWidth >= 1, baseWidth <= cells else {
            let fallback: UInt32 = utf8 ? 0xFFFD : UInt32(UInt8(ascii: "?"))
            return Glyph(chars: [wchar_t(bitPattern: fallback), 0], padding: cells - 1)
        }
        var chars: [wchar_t] = [wchar_t(bitPattern: base.value)]
        for s in cluster.unicodeScalars.dropFirst() {
            if chars.count == 5 || s.value == 0x200D { break }
            // VS16 asks for a two-cell picture: only keep it where the base already is two cells.
            if s.value == 0xFE0F, baseWidth < 2 { continue }
            guard ctr_wcwidth(s.value) == 0 else { break }
            chars.append(wchar_t(bitPattern: s.value))
        }
        chars.append(0)
        return Glyph(chars: chars, padding: cells - baseWidth)
    }

    static func space(_ cells: Int) -> Glyph {
        Glyph(chars: [wchar_t(UInt8(ascii: " ")), 0], padding: cells - 1)
    }
}
