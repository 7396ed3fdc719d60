import Foundation

/// One header field as it appeared, with folding undone.
public struct MimeHeaderField: Sendable, Hashable {
    public var name: String
    /// The unfolded value with surrounding blanks trimmed; RFC 2047 words not yet decoded.
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
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
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every value of `name` (any case), in order.
    public func all(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
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
        var fields: [MimeHeaderField] = []
        var current: (name: String, value: [UInt8])?
        var cursor = bytes.startIndex
        func flush() {
            if let field = current {
                let text = MimeCharset.text(field.value, charset: nil)
                fields.append(MimeHeaderField(name: field.name, value: text.trimmingCharacters(in: .whitespaces)))
            }
            current = nil
        }
        var firstLine = true
        while cursor < bytes.endIndex {
            let lineEnd = bytes[cursor...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            let next = lineEnd < bytes.endIndex ? lineEnd + 1 : lineEnd
            var line = bytes[cursor..<lineEnd]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            defer { firstLine = false }
            if line.isEmpty {
                flush()
                return (MimeHeaders(fields: fields), next)
            }
            if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                if current != nil {
                    let content = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                    current?.value.append(UInt8(ascii: " "))
                    current?.value.append(contentsOf: content)
                    cursor = next
                    continue
                }
                flush()
                return (MimeHeaders(fields: fields), cursor)
            }
            if firstLine && line.starts(with: Array("From ".utf8)) {
                cursor = next
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")),
                let name = fieldName(line[line.startIndex..<colon])
            else {
                flush()
                return (MimeHeaders(fields: fields), cursor)
            }
            flush()
            current = (name, Array(line[(colon + 1)...]))
            cursor = next
        }
        flush()
        return (MimeHeaders(fields: fields), bytes.endIndex)
    }

    /// A valid field name (printable ASCII, no blanks inside; blanks before the colon tolerated).
    private static func fieldName(_ raw: ArraySlice<UInt8>) -> String? {
        var trimmed = raw
        while let last = trimmed.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
            trimmed = trimmed.dropLast()
        }
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0 > 32 && $0 < 127 }) else { return nil }
        return String(decoding: trimmed, as: UTF8.self)
    }
}
