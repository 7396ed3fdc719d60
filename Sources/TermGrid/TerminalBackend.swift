/// Where frames go: a real terminal (CursesTerminal) or a grid in memory (HeadlessBackend).
public protocol TerminalBackend: AnyObject {
    /// The terminal's current size in cells.
    var size: Size { get }
    /// Writes the runs (from `diff`) and places the cursor; `nil` hides it. Nothing shows before `flush`.
    func draw(_ runs: [CellRun], cursor: (x: Int, y: Int)?)
    /// Makes everything drawn so far visible.
    func flush()
    /// Makes the next flush repaint the whole screen (Ctrl-L, or after a child process drew on it).
    func redrawAll()
    /// Hands the screen to a child process (an `$EDITOR`) until `resume`.
    func suspend()
    /// Takes the screen back after `suspend`; the next frame must be presented whole.
    func resume()
}

/// Where keys come from: a real terminal, or a script in tests.
///
/// The front's loop waits in poll(2) on `pollFDs` beside its own wake pipe,
/// then drains `readKey(timeoutMs: 0)` until it returns nil.
public protocol KeySource: AnyObject {
    /// Descriptors that turn readable when a key may be waiting.
    var pollFDs: [Int32] { get }
    /// The next key, waiting at most `timeoutMs` milliseconds; nil when none came.
    func readKey(timeoutMs: Int) -> Key?
}

/// Presents frames on a backend, writing only what changed since the last frame.
///
/// The event loop renders a fresh grid per wake-up and hands it here; after a
/// resize (or anything that may have disturbed the screen) it calls `invalidate`
/// so the next frame is written whole.
public final class FramePresenter {
    public let backend: any TerminalBackend
    /// The last frame written; nil until the first one or after `invalidate`.
    public private(set) var lastFrame: Grid?

    public init(backend: any TerminalBackend) {
        self.backend = backend
    }

    /// Writes the cells of `frame` that differ from the last frame, then flushes. Returns the runs written.
    @discardableResult
    public func present(_ frame: Grid, cursor: (x: Int, y: Int)? = nil) -> [CellRun] {
        let runs = diff(from: lastFrame, to: frame)
        backend.draw(runs, cursor: cursor)
        backend.flush()
        lastFrame = frame
        return runs
    }

    /// Forgets the last frame so the next one is written whole.
    public func invalidate() {
        lastFrame = nil
    }
}
