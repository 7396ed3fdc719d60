// A manual check of CursesTerminal under a real terminal (tmux): draws wide
// characters and styles, echoes decoded keys, follows resizes, and quits with
// q (clean), x (a Swift trap, to check the crash restore). Also the smallest
// example of the loop the front uses: poll(2) on the terminal's descriptors,
// drain readKey(timeoutMs: 0), render a fresh grid, present the diff.
import CursesTerminal
import Glibc
import TermGrid

let danger = StyleID(rawValue: 1), selected = StyleID(rawValue: 2), dim = StyleID(rawValue: 3)
let mono = CommandLine.arguments.contains("--mono")
let terminal: CursesTerminal
do {
    terminal = try CursesTerminal(options: .init(monochrome: mono))
} catch {
    print("curses-probe: \(error)")
    exit(1)
}
terminal.setPalette([
    danger: TerminalStyle(fg: .indexed(196), bold: true),
    selected: TerminalStyle(fg: .ansi(0), bg: .ansi(6), reverse: mono),
    dim: TerminalStyle(fg: .indexed(244), dim: true),
])
let presenter = FramePresenter(backend: terminal)
var log: [String] = []

@MainActor func render() -> Grid {
    var g = Grid(size: terminal.size)
    g.box(g.bounds, title: "probe", glyphs: terminal.isUTF8Locale ? .unicode : .ascii, style: dim)  // bottom-right corner too
    g.put("curses-probe \(terminal.size) colors=\(terminal.colorCount) utf8=\(terminal.isUTF8Locale)",
          x: 0, y: 0, maxWidth: g.size.width, style: .default)
    g.put("中文 한국어 👨‍👩‍👧 🇫🇷 ❤️ e\u{301} 👍🏽|", x: 0, y: 1, maxWidth: g.size.width, style: .default)
    g.put("X", x: 40, y: 1, maxWidth: 1, style: .default)  // lands on column 40 only if the widths above agree
    g.put("01234567890123456789012345|", x: 0, y: 2, maxWidth: g.size.width, style: dim)
    g.put("X", x: 40, y: 2, maxWidth: 1, style: .default)
    g.put("✗ failed", x: 0, y: 3, maxWidth: g.size.width, style: danger)
    g.put("▶ selected row", x: 0, y: 4, maxWidth: g.size.width, style: .default)
    g.style(Rect(x: 0, y: 4, width: g.size.width, height: 1), selected)
    g.put("truncated: Azure Interior 株式会社 very long name", x: 0, y: 5, maxWidth: 20, style: .default)
    // One cluster per column block: each "|" must land on the same column as the ruler's.
    let samples = ["中", "한", "👨‍👩‍👧", "🇫🇷", "❤️", "e\u{301}", "👍🏽", "✓", "◷", "\u{1FAE9}"]
    for (i, sample) in samples.enumerated() {
        g.put(sample + "|", x: 50 + (i % 3) * 8, y: 7 + i / 3, maxWidth: 4, style: .default)
        g.put("X", x: 50 + (i % 3) * 8 + 5, y: 7 + i / 3, maxWidth: 1, style: .default)
    }
    for (i, line) in log.suffix(max(0, g.size.height - 8)).enumerated() {
        g.put(line, x: 0, y: 7 + i, maxWidth: 48, style: .default)
    }
    return g
}

presenter.present(render())
var fds = terminal.pollFDs.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
loop: while true {
    _ = poll(&fds, nfds_t(fds.count), 1000)
    while let key = terminal.readKey(timeoutMs: 0) {
        log.append("key: \(key)")
        switch key {
        case .char("q"): break loop
        case .char("x"):
            let nothing: Int? = nil
            log.append("\(nothing!)")
        case .resize: presenter.invalidate()
        case .char("e"):
            // A child owning the terminal, as `c` (compose in $EDITOR) will do.
            terminal.suspend()
            _ = system("printf 'child has the terminal; Enter to return '; read x")
            terminal.resume()
            presenter.invalidate()
        default: break
        }
    }
    presenter.present(render())
}
terminal.restore()
print("curses-probe: restored")
