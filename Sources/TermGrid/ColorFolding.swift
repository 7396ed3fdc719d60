extension TerminalColor {
    /// The colour number to give a terminal that has `colorCount` colours; nil for the terminal's default.
    ///
    /// 256-colour indices fold to the nearest of the 16 (or 8) ANSI colours on
    /// smaller terminals, bright ANSI colours fold to normal ones on 8-colour
    /// terminals, and a terminal without colour (`colorCount < 8`) gets nil.
    public func index(forColorCount colorCount: Int) -> Int? {
        guard colorCount >= 8 else { return nil }
        switch self {
        case .default:
            return nil
        case .ansi(let n):
            let n = Int(n) & 15
            return colorCount >= 16 ? n : n & 7
        case .indexed(let n):
            if colorCount >= 256 { return Int(n) }
            if n < 16 { return colorCount >= 16 ? Int(n) : Int(n) & 7 }
            return Self.nearestANSI(to: Self.rgb(ofIndexed: n), among: colorCount >= 16 ? 16 : 8)
        }
    }

    /// The usual xterm RGB of the 16 ANSI colours.
    static let ansiRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// RGB of an xterm 256-colour index (16-231 colour cube, 232-255 grey ramp).
    static func rgb(ofIndexed n: UInt8) -> (Int, Int, Int) {
        let i = Int(n)
        if i < 16 { return ansiRGB[i] }
        if i >= 232 { let g = 8 + (i - 232) * 10; return (g, g, g) }
        let levels = [0, 95, 135, 175, 215, 255]
        let c = i - 16
        return (levels[c / 36], levels[(c / 6) % 6], levels[c % 6])
    }

    /// The ANSI colour (among the first `count`) closest to `rgb`, by squared distance.
    ///
    /// A grey only goes to a grey (black, white, bright black/white): by plain
    /// distance mid grey is nearest to yellow, which would give a dim label a hue.
    static func nearestANSI(to rgb: (Int, Int, Int), among count: Int) -> Int {
        let isGrey = max(rgb.0, rgb.1, rgb.2) - min(rgb.0, rgb.1, rgb.2) < 24
        var best = 0, bestDistance = Int.max
        for (i, c) in ansiRGB.prefix(count).enumerated() where !isGrey || [0, 7, 8, 15].contains(i) {
            let d = (c.0 - rgb.0) * (c.0 - rgb.0) + (c.1 - rgb.1) * (c.1 - rgb.1) + (c.2 - rgb.2) * (c.2 - rgb.2)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }
}
