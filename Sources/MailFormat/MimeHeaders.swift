import Foundation

/// One header field as it appeared, with folding undone.
public struct MimeHeaderField: Sendable, Hashable {
    public var name: String
    /// The unfolded value with surrounding blanks trimmed; RFC 2047 words not yet decoded.
    public var value: String
    /// The lower-cased name, computed once: lookups are case-insensitive and frequent.
    let key: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
        self.key = name.lowercased()
    }
}

/// The header block of a message or body part: ordered fields, case-insensitive lookup.
public struct MimeHeaders: Sendable, Hashable {
    public var fields: [MimeHeaderField]

    public init(fields: [MimeHeaderField] = []) {
        self.fields = fields
    }

    /// The first value of `name` (any case), unfolded, RFC 2047 words left as they are.
    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.key == wanted }?.value
    }

    /// Every value of `name` (any case), in order.
    public func all(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.key == wanted }.map(\.value)
    }

    /// The first value of `name` with RFC 2047 encoded words decoded.
    public func decoded(_ name: String) -> String? {
        self[name].map(MimeEncodedWords.decode)
    }

    /// Parses a header block from the start of `bytes`.
    ///
    /// Returns the fields and the index where the body starts (after the blank line).
    /// A leading mbox `From ` line is skipped; a line that is neither a field nor a
    /// continuation ends the header block and starts the body, as lenient readers do.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> (headers: MimeHeaders, bodyStart: Int) {
        let base = bytes.startIndex
        return bytes.withUnsafeBufferPointer { buffer in
            let (fields, offset) = parse(buffer)
            return (MimeHeaders(fields: fields), base + offset)
        }
    }

    /// The byte-level parser behind `parse(_:)`; offsets are relative to the buffer.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ([MimeHeaderField], Int) {
        let newline = UInt8(ascii: "\n")
        let space = UInt8(ascii: " ")
        let tab = UInt8(ascii: "\t")
        var fields: [MimeHeaderField] = []
        var name: String?
        var value: [UInt8] = []
        func flush() {
            if let current = name {
                fields.append(MimeHeaderField(name: current, value: trimmedText(value)))
            }
            name = nil
            value.removeAll(keepingCapacity: true)
        }
        var cursor = 0
        let count = bytes.count
        while cursor < count {
            var lineEnd = cursor
            while lineEnd < count && bytes[lineEnd] != newline { lineEnd += 1 }
            let next = lineEnd < count ? lineEnd + 1 : lineEnd
            var contentEnd = lineEnd
            if contentEnd > cursor && bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            if contentEnd == cursor {
                flush()
                return (fields, next)
            }
            let first = bytes[cursor]
            if first == space || first == tab {
                guard name != nil else {
                    flush()
                    return (fields, cursor)
                }
                var contentStart = cursor
                while contentStart < contentEnd && (bytes[contentStart] == space || bytes[contentStart] == tab) {
                    contentStart += 1
                }
                value.append(space)
                value.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[contentStart..<contentEnd]))
                cursor = next
                continue
            }
            if cursor == 0 && contentEnd - cursor >= 5 && bytes[0] == UInt8(ascii: "F") && bytes[1] == UInt8(ascii: "r")
                && bytes[2] == UInt8(ascii: "o") && bytes[3] == UInt8(ascii: "m") && bytes[4] == space
            {
                cursor = next  // mbox separator line left at the top of a mail
                continue
            }
            var colon = cursor
            while colon < contentEnd && bytes[colon] != UInt8(ascii: ":") { colon += 1 }
            guard colon < contentEnd, let fieldName = fieldName(UnsafeBufferPointer(rebasing: bytes[cursor..<colon])) else {
                flush()
                return (fields, cursor)
            }
            flush()
            name = fieldName
            value.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(colon + 1)..<contentEnd]))
            cursor = next
        }
        flush()
        return (fields, count)
    }

    /// Header bytes as text (UTF-8, else Latin-1) without surrounding blanks.
    private static func trimmedText(_ value: [UInt8]) -> String {
        var start = 0
        var end = value.count
        while start < end && (value[start] == 32 || value[start] == 9) { start += 1 }
        while end > start && (value[end - 1] == 32 || value[end - 1] == 9 || value[end - 1] == 13) { end -= 1 }
        return MimeCharset.text(value[start..<end], charset: nil)
    }

    /// A valid field name (printable ASCII, no blanks inside; blanks before the colon tolerated).
    private static func fieldName(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        var end = raw.count
        while end > 0 && (raw[end - 1] == 32 || raw[end - 1] == 9) { end -= 1 }
        guard end > 0 else { return nil }
        for index in 0..<end where raw[index] <= 32 || raw[index] >= 127 { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: raw[0..<end]), as: UTF8.self)
    }
}
