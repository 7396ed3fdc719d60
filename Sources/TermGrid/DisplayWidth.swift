/// Display widths in terminal cells, per grapheme cluster, and the text
/// operations measured in them (truncate, pad, wrap).
///
/// The rule is wcwidth's, extended to whole clusters the way current terminals
/// draw emoji: a cluster is as wide as its base scalar, except that an emoji
/// made into a picture (VS16, a skin tone, a keycap, a ZWJ sequence, a flag)
/// takes two cells.
public enum DisplayWidth {
    /// The cells one grapheme cluster takes: 0, 1 or 2.
    ///
    /// Control characters are 0 (they must never reach a terminal; the grid drops them).
    public static func of(_ c: Character) -> Int {
        if let ascii = c.asciiValue {
            return ascii >= 0x20 && ascii < 0x7F ? 1 : 0
        }
        let scalars = c.unicodeScalars
        guard let base = scalars.first else { return 0 }
        let b = base.value
        if b < 0x20 || (b >= 0x7F && b < 0xA0) { return 0 }
        if isRegionalIndicator(b) { return 2 }
        if scalars.count > 1, rangeTable(emojiRanges, contains: b) {
            for s in scalars.dropFirst() where turnsEmojiIntoPicture(s.value) { return 2 }
        }
        return of(scalar: base)
    }

    /// The cells a single scalar takes on its own: 0, 1 or 2 (wcwidth).
    public static func of(scalar s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x7F { return v >= 0x20 ? 1 : 0 }
        if v < 0xA0 { return 0 }
        if v < 0x300 { return 1 }  // Latin-1 and Latin Extended: no mark, no wide character
        if rangeTable(zeroWidthRanges, contains: v) { return 0 }
        if rangeTable(eastAsianWideRanges, contains: v) { return 2 }
        if rangeTable(emojiPresentationRanges, contains: v) { return 2 }
        return 1
    }

    /// The cells a string takes: the sum over its grapheme clusters.
    public static func of(_ s: String) -> Int {
        var total = 0
        for c in s { total += of(c) }
        return total
    }

    /// `s` cut to at most `width` cells, ending in `ellipsis` when anything was cut.
    ///
    /// Never splits a grapheme cluster or a wide character: the result is a
    /// prefix of `s`'s clusters plus the ellipsis, and may be one cell short
    /// when a wide character did not fit. When even the ellipsis does not fit,
    /// the result is the longest prefix that does (possibly "").
    public static func truncate(_ s: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        var used = 0
        var fitEnd = s.startIndex
        var idx = s.startIndex
        // Fast path: fits entirely.
        while idx < s.endIndex {
            let w = of(s[idx])
            if used + w > width { break }
            used += w
            idx = s.index(after: idx)
            fitEnd = idx
        }
        if fitEnd == s.endIndex { return s }
        let room = width - of(ellipsis)
        if room < 0 { return String(s[..<fitEnd]) }
        var prefixUsed = 0
        var end = s.startIndex
        while end < s.endIndex {
            let w = of(s[end])
            if prefixUsed + w > room { break }
            prefixUsed += w
            end = s.index(after: end)
        }
        return String(s[..<end]) + ellipsis
    }

    /// `s` padded with spaces to `width` cells (truncated with "…" when longer).
    public static func pad(_ s: String, to width: Int) -> String {
        let t = truncate(s, to: width)
        let w = of(t)
        return w < width ? t + String(repeating: " ", count: width - w) : t
    }

    /// `s` right-aligned in `width` cells (truncated with "…" when longer): counters and badges.
    public static func padLeft(_ s: String, to width: Int) -> String {
        let t = truncate(s, to: width)
        let w = of(t)
        return w < width ? String(repeating: " ", count: width - w) + t : t
    }

    @inline(__always)
    static func isRegionalIndicator(_ v: UInt32) -> Bool { v >= 0x1F1E6 && v <= 0x1F1FF }

    /// VS16, a skin-tone modifier, the keycap mark or ZWJ: each makes an emoji base a picture.
    @inline(__always)
    static func turnsEmojiIntoPicture(_ v: UInt32) -> Bool {
        v == 0xFE0F || (v >= 0x1F3FB && v <= 0x1F3FF) || v == 0x20E3 || v == 0x200D
    }
}
