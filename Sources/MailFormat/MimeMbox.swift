/// Splits an mbox file into its messages.
///
/// A message starts at a `From ` line at the start of the file or after an empty
/// line (the mboxo / mboxrd convention); `>From ` quoting in bodies is undone
/// (mboxrd: one `>` removed from `>+From ` lines).
public enum MimeMbox {
    /// One message of an mbox: its byte offset in the file and its bytes (the `From ` line excluded).
    public struct Entry: Sendable, Hashable {
        /// Byte offset of the `From ` line: the mail's position in the file.
        public var offset: Int
        public var bytes: [UInt8]
    }

    /// The messages of `data`, in file order. Text before the first `From ` line is ignored.
    public static func split<C: Collection<UInt8>>(_ data: C) -> [Entry] {
        let bytes = Array(data)
        var entries: [Entry] = []
        var current: (offset: Int, lines: [UInt8])?
        var cursor = 0
        var previousLineEmpty = true
        let fromMarker = Array("From ".utf8)
        while cursor < bytes.count {
            let lineEnd = bytes[cursor...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let next = lineEnd < bytes.count ? lineEnd + 1 : lineEnd
            var line = bytes[cursor..<lineEnd]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if previousLineEmpty && line.starts(with: fromMarker) {
                if let finished = current { entries.append(finish(finished)) }
                current = (cursor, [])
            } else if current != nil {
                current?.lines.append(contentsOf: unquoted(bytes[cursor..<next]))
            }
            previousLineEmpty = line.isEmpty
            cursor = next
        }
        if let finished = current { entries.append(finish(finished)) }
        return entries
    }

    /// Drops the empty line that separates a message from the next `From ` line.
    private static func finish(_ current: (offset: Int, lines: [UInt8])) -> Entry {
        var body = current.lines
        if body.last == UInt8(ascii: "\n") {
            body.removeLast()
            if body.last == UInt8(ascii: "\r") { body.removeLast() }
        }
        if body.last != UInt8(ascii: "\n") && !body.isEmpty { body.append(UInt8(ascii: "\n")) }
        return Entry(offset: current.offset, bytes: body)
    }

    private static func unquoted(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let quotes = line.prefix { $0 == UInt8(ascii: ">") }
        guard !quotes.isEmpty, line.dropFirst(quotes.count).starts(with: Array("From ".utf8)) else { return line }
        return line.dropFirst()
    }
}
