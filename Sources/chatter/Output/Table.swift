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

    func render() -> String {
        var widths = headers.map { DisplayWidth.of($0) }
        for row in rows {
            for (i, c) in row.enumerated() where i < widths.count {
                widths[i] = min(maxColumnWidth, max(widths[i], DisplayWidth.of(c)))
            }
        }
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
