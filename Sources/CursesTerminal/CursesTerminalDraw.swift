import CNCursesW
import TermGrid

extension CursesTerminal {
    /// Writes the runs into curses' screen image (shown on `flush`) and places or hides the cursor.
    public func draw(_ runs: [CellRun], cursor: (x: Int, y: Int)?) {
        guard !restored, !suspended else { return }
        for run in runs where run.y >= 0 && run.y < size.height {
            var x = run.x
            for cell in run.cells {
                defer { x += 1 }
                // The right half of a wide character is drawn with its left half.
                if cell.isContinuation || x < 0 || x >= size.width { continue }
                put(cell, x: x, y: run.y)
            }
        }
        placeCursor(cursor)
    }

    /// Makes everything drawn visible.
    public func flush() {
        guard !restored, !suspended else { return }
        wrefresh(window)
    }

    func put(_ cell: Cell, x: Int, y: Int) {
        let style = styleTable[Int(cell.style.rawValue)]
        let y32 = Int32(y), x32 = Int32(x)
        if let a = cell.text.utf8.first, cell.text.utf8.count == 1, a >= 0x20, a < 0x7F {
            var chars: [wchar_t] = [wchar_t(a), 0]
            _ = cnc_put_cell(window, y32, x32, &chars, style.attrs, style.pair)
            return
        }
        let cells = max(1, DisplayWidth.of(cell.text))
        let glyph = glyph(for: cell.text, cells: cells)
        var chars = glyph.chars
        _ = cnc_put_cell(window, y32, x32, &chars, style.attrs, style.pair)
        if glyph.padding > 0 {
            var space: [wchar_t] = [wchar_t(UInt8(ascii: " ")), 0]
            let after = x + glyph.width(inCells: cells)
            for px in after..<(x + cells) where px < size.width {
                _ = cnc_put_cell(window, y32, Int32(px), &space, style.attrs, style.pair)
            }
        }
    }

    func glyph(for cluster: String, cells: Int) -> Glyph {
        if let g = glyphCache[cluster] { return g }
        let g = Glyph.make(cluster, cells: cells, utf8: isUTF8Locale)
        if glyphCache.count > 4096 { glyphCache.removeAll(keepingCapacity: true) }
        glyphCache[cluster] = g
        return g
    }

    func placeCursor(_ cursor: (x: Int, y: Int)?) {
        if let c = cursor, c.x >= 0, c.y >= 0, c.x < size.width, c.y < size.height {
            if cursorShown != true { curs_set(1); leaveok(window, false); cursorShown = true }
            wmove(window, Int32(c.y), Int32(c.x))
        } else if cursorShown != false {
            curs_set(0)
            leaveok(window, true)
            cursorShown = false
        }
    }
}
