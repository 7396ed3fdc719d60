import Foundation
import TermGrid
import TrackingModel

/// A plain-text table for human output: every cell sanitised (no control
/// characters from stored text reach the terminal), columns aligned by display
/// width, long cells cut with "…".
struct Table {
    var headers: [String]
    var rows: [[String]] = []
    /// Widest a column may be.
    var maxColumnWidth = 48

    init(_ headers: String...) { self.headers = headers }

    mutating func add(_ cells: [String]) {
        rows.append(cells.map { SafeText.clean($0) })
    }

    /// The rendered table; on a terminal (`width` known) the columns share its
    /// width: nothing is capped that fits, the widest columns give way first.
    func render(width: Int? = Table.terminalWidth) -> String {
        var widths = headers.map { DisplayWidth.of($0) }
        for row in rows {
            for (i, c) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], DisplayWidth.of(c))
            }
        }
        guard let width else {
            widths = widths.map { min(maxColumnWidth, $0) }
            return lines(widths)
        }
        let gaps = 2 * max(0, widths.count - 1)
        while widths.reduce(gaps, +) > width, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
            widths[widest] > 6
        {
            widths[widest] -= 1
        }
        return lines(widths)
    }

    /// The width to fit: `COLUMNS` when set, else the terminal's when standard
    /// output is one, else nil (a pipe: the fixed caps scripts have always had).
    static var terminalWidth: Int? {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    private func lines(_ widths: [Int]) -> String {
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, c) in cells.enumerated() where i < widths.count {
                let cut = DisplayWidth.truncate(c, to: widths[i])
                parts.append(i == cells.count - 1 ? cut : DisplayWidth.pad(cut, to: widths[i]))
            }
            return parts.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    func print() {
        out(render())
    }
}

/// Dates and other values as the command line shows them.
enum Format {
    static let dateFormatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f
    }()

    /// Local date and time, to the second.
    static func date(_ epoch: Double) -> String {
        dateFormatter.string(from: Date(timeIntervalSince1970: epoch))
    }

    static func state(_ s: TrackingState?) -> String { s?.rawValue ?? "waiting" }

    static func score(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    }
}
