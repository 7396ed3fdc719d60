import Foundation

/// Reading the front's screen (as `capture-pane -p` gives it).
enum FrontScreen {
    /// The Failed mailbox counter in the Mailboxes pane, if drawn.
    static func failedCounter(_ screen: String) -> Int? {
        for line in screen.split(separator: "\n") where line.contains("Failed") && isSide(line.first) {
            let left = line.split(whereSeparator: { isSide($0) }).first ?? ""
            let words = left.split(separator: " ")
            if words.first?.hasSuffix("Failed") == true, let n = words.last.flatMap({ Int($0) }) { return n }
        }
        return nil
    }

    /// The left column's thread rows (the text between the borders, below "Threads").
    static func threadRows(_ screen: String) -> [String] {
        var rows: [String] = []
        var inThreads = false
        for line in screen.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("├ Threads") || line.hasPrefix("┣ Threads") { inThreads = true; continue }
            if line.hasPrefix("└") || line.hasPrefix("┗") { break }
            guard inThreads, isSide(line.first) else { continue }
            let cell = line.dropFirst().prefix { !isSide($0) }
            let text = cell.trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { rows.append(String(cell)) }
        }
        return rows
    }

    /// The thread row under the cursor (without the cursor glyph).
    static func selectedThread(_ screen: String) -> String? {
        threadRows(screen).first { $0.hasPrefix("▶") }.map { String($0.dropFirst()).trimmingCharacters(in: .whitespaces) }
    }

    /// A frame's side: light, or heavy for the pane with the focus.
    static func isSide(_ c: Character?) -> Bool { c == "│" || c == "┃" }

    /// A frame's bottom line of `width` cells (each pane light or heavy).
    static func isBottom(_ line: Substring, width: Int) -> Bool {
        (line.hasPrefix("└") || line.hasPrefix("┗")) && (line.hasSuffix("┘") || line.hasSuffix("┛")) && line.count == width
    }

    /// The number in "Failed messages (N)", the Failed pane's title.
    static func failedPaneTitleCount(_ screen: String) -> Int? {
        guard let r = screen.range(of: "Failed messages (") else { return nil }
        return Int(screen[r.upperBound...].prefix { $0.isNumber })
    }
}
