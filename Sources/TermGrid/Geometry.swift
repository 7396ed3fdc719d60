/// A size in terminal cells.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// "80x24": how tests and logs name a size.
    public var description: String { "\(width)x\(height)" }
}

/// A rectangle of cells; layout code splits the screen into these.
///
/// Every operation clamps instead of trapping, so a layout computed for a tiny
/// terminal yields empty rectangles rather than a crash.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The whole area of a grid of `size`.
    public init(size: Size) {
        self.init(x: 0, y: 0, width: size.width, height: size.height)
    }

    public var description: String { "(\(x),\(y) \(width)x\(height))" }

    /// Whether the rectangle has no cell.
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The column just right of the rectangle.
    public var maxX: Int { x + width }
    /// The row just below the rectangle.
    public var maxY: Int { y + height }

    /// Whether the cell (x, y) lies inside.
    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < x + width && py >= y && py < y + height
    }

    /// The rectangle shrunk by `n` cells on every side (empty when too small).
    public func inset(by n: Int) -> Rect {
        inset(top: n, left: n, bottom: n, right: n)
    }

    /// The rectangle shrunk by the given amounts (empty when too small).
    public func inset(top: Int, left: Int, bottom: Int, right: Int) -> Rect {
        Rect(x: x + left, y: y + top, width: width - left - right, height: height - top - bottom)
    }

    /// Splits off `w` columns on the left; `w` is clamped to `0...width`.
    public func splitLeft(_ w: Int) -> (Rect, Rect) {
        let w = min(max(0, w), width)
        return (Rect(x: x, y: y, width: w, height: height),
                Rect(x: x + w, y: y, width: width - w, height: height))
    }

    /// Splits off `h` rows on top; `h` is clamped to `0...height`.
    public func splitTop(_ h: Int) -> (Rect, Rect) {
        let h = min(max(0, h), height)
        return (Rect(x: x, y: y, width: width, height: h),
                Rect(x: x, y: y + h, width: width, height: height - h))
    }

    /// Splits off `w` columns on the right; `w` is clamped to `0...width`.
    public func splitRight(_ w: Int) -> (Rect, Rect) {
        let (left, right) = splitLeft(width - min(max(0, w), width))
        return (left, right)
    }

    /// Splits off `h` rows at the bottom; `h` is clamped to `0...height`.
    public func splitBottom(_ h: Int) -> (Rect, Rect) {
        splitTop(height - min(max(0, h), height))
    }

    /// The part of the rectangle that also lies inside `other` (empty when disjoint).
    public func intersection(_ other: Rect) -> Rect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// A `width` x `height` rectangle centred inside this one (clamped to fit): popups.
    public func centered(width w: Int, height h: Int) -> Rect {
        let w = min(max(0, w), width), h = min(max(0, h), height)
        return Rect(x: x + (width - w) / 2, y: y + (height - h) / 2, width: w, height: h)
    }
}
