extension Grid {
    /// Row `y` as text: each cell's cluster (continuations add nothing), trailing spaces kept.
    ///
    /// A row outside the grid is "". Snapshot tests compare these strings.
    public func rowText(_ y: Int) -> String {
        guard y >= 0, y < size.height else { return "" }
        var s = ""
        let row = y * size.width
        for x in 0..<size.width { s += cells[row + x].text }
        return s
    }

    /// The whole grid as text: rows joined by "\n", trailing spaces kept.
    public var text: String {
        (0..<size.height).map(rowText).joined(separator: "\n")
    }

    /// One letter per cell (both halves of a wide character) naming its style; rows joined by "\n".
    ///
    /// Snapshot tests pair it with `text` so a change of meaning (say, danger
    /// to default) shows in the diff even when the characters stay the same.
    public func styleMask(_ letter: (StyleID) -> Character) -> String {
        var s = ""
        s.reserveCapacity((size.width + 1) * size.height)
        for y in 0..<size.height {
            if y > 0 { s.append("\n") }
            let row = y * size.width
            for x in 0..<size.width { s.append(letter(cells[row + x].style)) }
        }
        return s
    }
}
