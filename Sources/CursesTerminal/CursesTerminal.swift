import CNCursesW
import CTerminalSupport
import Glibc
import TermGrid

/// Why the curses front could not start.
public enum CursesTerminalError: Error, Equatable, CustomStringConvertible {
    /// stdin or stdout is not a terminal (a pipe, a file, cron).
    case notATerminal
    /// ncurses could not set up the terminal named by `$TERM` (unknown or missing terminfo entry).
    case cannotStart(term: String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "not a terminal: the front needs stdin and stdout on a tty"
        case .cannotStart(let term):
            return "cannot start the terminal front for TERM=\(term.isEmpty ? "(unset)" : term)"
        }
    }
}

/// The real terminal, through ncursesw: the only code in the project that calls curses.
///
/// Draws the runs of a frame diff with wide-character cells, maps semantic
/// styles to colour pairs, decodes keys, mouse and resize, and always gives
/// the terminal back: `restore()` on quit, plus an atexit hook and handlers
/// for SIGINT, SIGTERM, SIGHUP, SIGQUIT and crash signals that reset the
/// terminal and re-raise.
///
/// One per process, used from one thread (the UI loop's). The loop:
///
/// ```swift
/// let term = try CursesTerminal(options: .init(monochrome: mono))
/// defer { term.restore() }
/// term.setPalette(theme.styles(colorCount: term.colorCount))
/// let presenter = FramePresenter(backend: term)
/// var fds = (term.pollFDs + [wakePipe.read]).map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
/// while running {
///     presenter.present(render(state, size: term.size))
///     _ = poll(&fds, nfds_t(fds.count), 1000)        // EINTR is fine: just go round
///     while let key = term.readKey(timeoutMs: 0) {     // drain: curses may hold several keys
///         if case .resize = key { presenter.invalidate() }
///         // ... update(state, .key(key))
///     }
///     // ... drain the wake pipe and the inbox of store/poller messages
/// }
/// ```
///
/// Anything written to stderr while curses runs lands on the screen; send
/// logs to a file for the lifetime of the terminal.
public final class CursesTerminal: TerminalBackend, KeySource {
    /// How to start.
    public struct Options: Sendable {
        /// No colour at all (`--mono`); `NO_COLOR` in the environment does the same.
        public var monochrome: Bool
        /// Ask the terminal for mouse clicks and wheel events.
        public var mouse: Bool
        /// How long a lone ESC waits for the rest of an escape sequence, in ms.
        public var escapeDelayMs: Int

        public init(monochrome: Bool = false, mouse: Bool = true, escapeDelayMs: Int = 25) {
            self.monochrome = monochrome
            self.mouse = mouse
            self.escapeDelayMs = escapeDelayMs
        }
    }

    /// Whether the locale is UTF-8; when false the front should use ASCII glyphs (non-ASCII cells show as "?").
    public let isUTF8Locale: Bool
    /// Colours in use: 256, 16, 8, or 0 (monochrome: `--mono`, `NO_COLOR`, or a terminal without colour).
    public let colorCount: Int
    /// The current size in cells (updated when a resize is read).
    public internal(set) var size: Size
    /// The descriptor keys arrive on: poll(2) it for POLLIN together with the loop's wake pipe.
    public var inputFD: Int32 { STDIN_FILENO }
    /// Becomes readable when the terminal is resized: poll(2) it too, then call `readKey(timeoutMs: 0)`.
    public var resizeFD: Int32 { resizePipe.read }
    /// Every descriptor the loop should poll for POLLIN: `inputFD` and `resizeFD`.
    public var pollFDs: [Int32] { [inputFD, resizeFD] }

    let screen: OpaquePointer
    let window: UnsafeMutablePointer<WINDOW>
    let resizePipe: (read: Int32, write: Int32)
    /// attr + colour pair per StyleID raw value.
    var styleTable: [(attrs: attr_t, pair: Int16)] = Array(repeating: (0, 0), count: 256)
    /// Glyphs already worked out for non-ASCII clusters.
    var glyphCache: [String: Glyph] = [:]
    var cursorShown: Bool?
    var restored = false
    var suspended = false
    let hasDefaultColors: Bool

    /// Takes over the terminal: locale, screen, raw input, colours, mouse, restore handlers.
    public init(options: Options = Options()) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw CursesTerminalError.notATerminal }
        setlocale(LC_ALL, "")
        isUTF8Locale = cnc_locale_is_utf8() != 0

        // Handlers first: installed before newterm, they are not replaced by ncurses'
        // own (which only hooks signals left at their default), and SIGWINCH comes to our pipe.
        var readEnd: Int32 = -1, writeEnd: Int32 = -1
        guard ctr_nonblocking_pipe(&readEnd, &writeEnd) == 0 else { throw CursesTerminalError.notATerminal }
        resizePipe = (readEnd, writeEnd)
        guard ctr_install(STDOUT_FILENO) == 0 else {
            close(readEnd); close(writeEnd)
            throw CursesTerminalError.notATerminal
        }
        ctr_forward_winch(writeEnd)

        guard let screen = cnc_newterm_stdio(), let window = cnc_stdscr() else {
            ctr_set_armed(0)
            close(readEnd); close(writeEnd)
            throw CursesTerminalError.cannotStart(term: getenv("TERM").map { String(cString: $0) } ?? "")
        }
        self.screen = screen
        self.window = window
        raw()
        noecho()
        nonl()
        keypad(window, true)
        meta(window, true)
        intrflush(window, false)
        set_escdelay(Int32(clamping: options.escapeDelayMs))
        leaveok(window, true)
        curs_set(0)
        cursorShown = false

        let noColorEnv = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        if options.monochrome || noColorEnv || !has_colors() {
            colorCount = 0
            hasDefaultColors = true
        } else {
            start_color()
            hasDefaultColors = use_default_colors() == cnc_ok()
            let n = Int(cnc_colors())
            colorCount = n >= 256 ? 256 : n >= 16 ? 16 : n >= 8 ? 8 : 0
        }

        var mouseOn = false
        if options.mouse {
            let wanted = cnc_button1_pressed() | cnc_button1_released() | cnc_button4_pressed() | cnc_button5_pressed()
            mouseOn = mousemask(wanted, nil) != 0
            mouseinterval(0)
        }
        ctr_set_reset_sequence(Self.resetSequence(mouse: mouseOn))
        size = Size(width: Int(cnc_cols()), height: Int(cnc_lines()))
        setPalette([:])
    }

    deinit {
        restore()
        close(resizePipe.read)
        close(resizePipe.write)
    }

    /// Gives the terminal back (endwin): call on quit. Idempotent; later draws are ignored.
    public func restore() {
        guard !restored else { return }
        restored = true
        if suspended { ctr_ignore_interrupts(0) } else { endwin() }
        ctr_set_armed(0)
        ctr_forward_winch(-1)
        delscreen(screen)
    }

    /// Hands the terminal to a child (an `$EDITOR`): endwin, keeping curses' state for `resume`.
    ///
    /// Until `resume`, SIGINT and SIGQUIT are ignored (as system(3) does): the
    /// child shares our process group, and its Ctrl-C must not kill the front.
    public func suspend() {
        guard !restored, !suspended else { return }
        suspended = true
        def_prog_mode()
        endwin()
        ctr_set_armed(0)
        ctr_ignore_interrupts(1)
    }

    /// Takes the terminal back after `suspend`; the next frame must be presented whole (invalidate the presenter).
    public func resume() {
        guard !restored, suspended else { return }
        suspended = false
        ctr_ignore_interrupts(0)
        ctr_set_armed(1)
        reset_prog_mode()
        _ = takeResize(force: true)
        redrawAll()
    }

    /// Makes the next flush repaint the whole screen (after a resize, a child process, or Ctrl-L).
    public func redrawAll() {
        guard !restored else { return }
        clearok(cnc_curscr(), true)
    }

    /// The bytes that undo what we did to the terminal, from its terminfo entry.
    static func resetSequence(mouse: Bool) -> String {
        var s = ""
        if mouse { s += "\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l" }
        for cap in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            if let p = cnc_tigetstr(cap) { s += String(cString: p) }
        }
        return s
    }
}
