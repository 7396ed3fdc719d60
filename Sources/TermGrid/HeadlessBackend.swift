/// A terminal in memory: applies runs to a grid and counts what was written.
///
/// Tests drive the whole front through it and assert on `grid` as text, and
/// on the counters to check that a key press writes only a few cells.
public final class HeadlessBackend: TerminalBackend {
    /// What the "screen" shows now (after the last flush).
    public private(set) var grid: Grid
    /// Drawn but not yet flushed.
    private var pending: Grid
    /// Where the cursor is after the last draw; nil when hidden.
    public private(set) var cursor: (x: Int, y: Int)?
    /// Cells written since creation (continuation cells not counted: a wide character is one write).
    public private(set) var cellsWritten = 0
    /// UTF-8 bytes of the text written since creation (a lower bound of what a real terminal receives).
    public private(set) var bytesWritten = 0
    /// Number of `flush` calls.
    public private(set) var flushes = 0
    /// Number of `redrawAll` calls (a real terminal would repaint everything at the next flush).
    public private(set) var fullRedraws = 0
    /// True between `suspend` and `resume` (a child process would own the screen).
    public private(set) var suspended = false

    public init(size: Size) {
        grid = Grid(size: size)
        pending = grid
    }

    public var size: Size { grid.size }

    /// Simulates a terminal resize: the screen keeps what fits.
    public func resize(to newSize: Size) {
        pending.resize(to: newSize)
        grid = pending
    }

    public func draw(_ runs: [CellRun], cursor: (x: Int, y: Int)?) {
        for run in runs {
            for (i, cell) in run.cells.enumerated() {
                let x = run.x + i
                // A right half is drawn by the wide character on its left (diff keeps the two together).
                if cell.isContinuation { continue }
                pending[x: x, y: run.y] = cell
                cellsWritten += 1
                bytesWritten += cell.text.utf8.count
            }
        }
        self.cursor = cursor
    }

    public func flush() {
        grid = pending
        flushes += 1
    }

    public func redrawAll() {
        fullRedraws += 1
    }

    public func suspend() {
        suspended = true
    }

    public func resume() {
        suspended = false
    }

    /// Sets the counters back to zero: measure one key press.
    public func resetCounters() {
        cellsWritten = 0
        bytesWritten = 0
        flushes = 0
        fullRedraws = 0
    }
}
