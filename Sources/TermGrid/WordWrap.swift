extension DisplayWidth {
    /// `s` word-wrapped to lines of at most `width` cells.
    ///
    /// Each line break in `s` starts a new paragraph (an empty line stays an
    /// empty line). Lines break at spaces, which are dropped at the break; a
    /// paragraph's leading indentation is kept on its first line; a word longer
    /// than the line is broken between grapheme clusters. No line is wider than
    /// `width`; `width <= 0` gives no line.
    public static func wrap(_ s: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in s.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            wrapParagraph(paragraph, width: width, into: &lines)
        }
        return lines
    }

    /// One paragraph (no line break inside) appended to `lines` as wrapped lines.
    private static func wrapParagraph(_ p: Substring, width: Int, into lines: inout [String]) {
        var line = ""
        var lineWidth = 0
        var pendingSpace = ""
        var pendingWidth = 0
        var atParagraphStart = true
        var idx = p.startIndex
        while idx < p.endIndex {
            if p[idx] == " " {
                let start = idx
                while idx < p.endIndex, p[idx] == " " { idx = p.index(after: idx) }
                pendingSpace = String(p[start..<idx])
                pendingWidth = pendingSpace.count
                continue
            }
            let start = idx
            while idx < p.endIndex, p[idx] != " " { idx = p.index(after: idx) }
            let word = p[start..<idx]
            let wordWidth = of(String(word))
            if lineWidth > 0 || atParagraphStart {
                // Spaces count between words, and as indentation before a paragraph's first word.
                let gap = pendingWidth
                if lineWidth + gap + wordWidth <= width {
                    line += pendingSpace + word
                    lineWidth += gap + wordWidth
                    pendingSpace = ""; pendingWidth = 0
                    atParagraphStart = false
                    continue
                }
                if lineWidth > 0 {
                    lines.append(line)
                    line = ""; lineWidth = 0
                }
            }
            atParagraphStart = false
            pendingSpace = ""; pendingWidth = 0
            // The word starts a line; break it when it is longer than a line.
            for c in word {
                let w = of(c)
                if lineWidth + w > width, lineWidth > 0 {
                    lines.append(line)
                    line = ""; lineWidth = 0
                }
                if w > width { continue }  // a wide character on a one-cell line cannot be shown
                line.append(c)
                lineWidth += w
            }
        }
        lines.append(line)
    }
}
