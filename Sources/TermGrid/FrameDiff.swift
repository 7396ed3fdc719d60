/// Runs of changed cells between two frames: what the backend must write.
///
/// A run never starts on the right half of a wide character (the backend
/// draws a wide character from its left half), and a run that contains a
/// wide character's left half also contains its right half.
public struct CellRun: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cells: [Cell]

    public init(x: Int, y: Int, cells: [Cell]) {
        self.x = x
        self.y = y
        self.cells = cells
    }
}

/// The runs of cells that differ from `old` to `new`; `nil` or a size change gives every row whole.
///
/// Only changed cells are written to the terminal, which keeps the bytes per
/// key press small (ncurses diffs again against the real screen, so this also
/// spares it most of the work).
public func diff(from old: Grid?, to new: Grid) -> [CellRun] {
    let w = new.size.width
    var runs: [CellRun] = []
    guard let old, old.size == new.size else {
        for y in 0..<new.size.height where w > 0 {
            runs.append(CellRun(x: 0, y: y, cells: Array(new.cells[(y * w)..<((y + 1) * w)])))
        }
        return runs
    }
    let a = old.cells, b = new.cells
    for y in 0..<new.size.height {
        let row = y * w
        var x = 0
        while x < w {
            if a[row + x] == b[row + x] { x += 1; continue }
            var start = x
            if b[row + start].isContinuation, start > 0 { start -= 1 }
            var end = x + 1
            while end < w, a[row + end] != b[row + end] { end += 1 }
            // Keep a wide character's right half with its left half.
            if end < w, b[row + end].isContinuation { end += 1 }
            if let last = runs.last, last.y == y, last.x + last.cells.count >= start {
                // Touching the previous run (after widening): extend it instead of overlapping.
                let from = last.x + last.cells.count
                runs[runs.count - 1].cells.append(contentsOf: b[(row + from)..<(row + end)])
            } else {
                runs.append(CellRun(x: start, y: y, cells: Array(b[(row + start)..<(row + end)])))
            }
            x = end
        }
    }
    return runs
}
