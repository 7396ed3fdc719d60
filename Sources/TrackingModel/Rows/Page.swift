/// A keyset position: the (time, id) of the last row of a page, or the
/// (text, id) of a list kept in name order (partners, A to Z).
public struct PageCursor: Sendable, Hashable, Codable, CustomStringConvertible {
    public var time: Double
    public var id: Int64
    /// The name of a row of a list ordered by (name, id) ascending; nil for the
    /// newest-first (time, id) lists. A list's cursors are all of one kind.
    public var text: String?

    public init(time: Double, id: Int64) {
        self.time = time
        self.id = id
    }

    /// The position of a row of a list in name order.
    public init(text: String, id: Int64) {
        self.time = 0
        self.id = id
        self.text = text
    }

    /// `TIME:ID`, as printed by the CLI for `--after`.
    public var description: String { "\(time):\(id)" }

    public init?(parsing text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let t = Double(parts[0]), let i = Int64(parts[1]) else { return nil }
        self.init(time: t, id: i)
    }
}

/// A page of rows and the cursor of the next one (nil when this is the last).
public struct Page<Row: Sendable & Hashable>: Sendable, Hashable {
    public var rows: [Row]
    public var next: PageCursor?

    public init(rows: [Row], next: PageCursor?) {
        self.rows = rows
        self.next = next
    }
}
