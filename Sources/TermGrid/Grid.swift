/// A frame: a rectangle of cells that views draw into and backends show.
///
/// Pure value: render functions fill a fresh grid, `diff` compares it with the
/// last one. Coordinates outside the grid are ignored on write and read as a
/// blank, so a view can never crash the front by drawing off-screen.
///
/// Invariant: a wide (two-cell) cluster at column x is always followed by a
/// continuation cell ("") at x + 1, and a continuation cell always follows a
/// wide cluster. Every mutation keeps it, repairing the other half of a wide
/// character it overwrites.
public struct Grid: Sendable, Hashable {
    /// The grid's size; never negative.
    public private(set) var size: Size
    /// Row-major cells, `size.width * size.height` of them.
    public private(set) var cells: [Cell]

    /// A grid of blanks in `style`.
    public init(size: Size, style: StyleID = StyleID(rawValue: 0)) {
        let clamped = Size(width: max(0, size.width), height: max(0, size.height))
        self.size = clamped
        self.cells = Array(repeating: .blank(style), count: clamped.width * clamped.height)
    }

    /// The whole grid as a rectangle.
    public var bounds: Rect { Rect(size: size) }

    @inline(__always)
    func inBounds(_ x: Int, _ y: Int) -> Bool {
        x >= 0 && y >= 0 && x < size.width && y < size.height
    }

    /// The cell at (x, y); a blank outside the grid. Setting outside the grid is ignored.
    ///
    /// Setting a cell writes its first grapheme cluster; a cluster of width 0
    /// (control, lone mark) or "" becomes a space, a wide cluster also claims
    /// the next column (or becomes a space at the right edge).
    public subscript(x: Int, y: Int) -> Cell {
        get { self[x: x, y: y] }
        set { self[x: x, y: y] = newValue }
    }

    /// The cell at (x, y), with labels: `grid[x: 3, y: 1]`. Same rules as `grid[3, 1]`.
    public subscript(x x: Int, y y: Int) -> Cell {
        get { inBounds(x, y) ? cells[y * size.width + x] : .blank() }
        set {
            guard inBounds(x, y) else { return }
            let c = newValue.text.first
            let w = c.map(DisplayWidth.of) ?? 0
            switch w {
            case 2 where x + 1 < size.width:
                setRaw(x, y, Cell(text: String(c ?? " "), style: newValue.style))
                setRaw(x + 1, y, Cell(text: "", style: newValue.style))
            case 1:
                setRaw(x, y, Cell(text: String(c ?? " "), style: newValue.style))
            default:
                setRaw(x, y, .blank(newValue.style))
            }
        }
    }

    /// Stores one cell (in bounds) and repairs any wide character it breaks.
    mutating func setRaw(_ x: Int, _ y: Int, _ cell: Cell) {
        let i = y * size.width + x
        let old = cells[i]
        if old.isContinuation, !cell.isContinuation, x > 0 {
            // Overwriting the right half of a wide character: its left half can no longer show.
            cells[i - 1] = .blank(cells[i - 1].style)
        }
        if !old.isContinuation, x + 1 < size.width, cells[i + 1].isContinuation, !(DisplayWidth.of(cell.text) == 2) {
            // Overwriting the left half of a wide character with something narrow: its right half is orphaned.
            cells[i + 1] = .blank(cells[i + 1].style)
        }
        cells[i] = cell
    }

    /// Blanks every cell of `rect` (clipped to the grid) in `style`.
    public mutating func fill(_ rect: Rect, style: StyleID) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { setRaw(x, y, .blank(style)) }
        }
    }

    /// Restyles every cell of `rect` (clipped to the grid), keeping the text: selection bars.
    ///
    /// A wide character cut by the rectangle's edge gets the style on both halves,
    /// so a terminal never shows it half highlighted.
    public mutating func style(_ rect: Rect, _ style: StyleID) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            let row = y * size.width
            var x0 = r.x, x1 = r.maxX
            if cells[row + x0].isContinuation, x0 > 0 { x0 -= 1 }
            if x1 < size.width, cells[row + x1].isContinuation { x1 += 1 }
            for x in x0..<x1 { cells[row + x].style = style }
        }
    }

    /// Resizes in place, keeping the top-left content that still fits (wide characters cut at the edge become blanks).
    public mutating func resize(to newSize: Size, style: StyleID = .default) {
        var g = Grid(size: newSize, style: style)
        for y in 0..<min(size.height, g.size.height) {
            for x in 0..<min(size.width, g.size.width) {
                let c = self[x: x, y: y]
                if c.isContinuation {
                    if x == 0 { continue }
                    g.cells[y * g.size.width + x] = c
                } else if DisplayWidth.of(c.text) == 2, x + 1 >= g.size.width {
                    g.cells[y * g.size.width + x] = .blank(c.style)
                } else {
                    g.cells[y * g.size.width + x] = c
                }
            }
        }
        self = g
    }
}
