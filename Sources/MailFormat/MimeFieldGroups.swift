/// The body of `message/delivery-status` (RFC 3464) and `message/feedback-report`
/// (RFC 5965): header-like field groups separated by blank lines, with folding.
public enum MimeFieldGroups {
    /// Parses every non-empty group; lines that are not fields are skipped.
    public static func parse(_ body: ArraySlice<UInt8>) -> [MimeHeaders] {
        var groups: [MimeHeaders] = []
        var cursor = body.startIndex
        while cursor < body.endIndex {
            // Skip blank lines between groups.
            let lineEnd = body[cursor...].firstIndex(of: UInt8(ascii: "\n")) ?? body.endIndex
            let line = body[cursor..<lineEnd]
            if line.allSatisfy({ $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
                cursor = lineEnd < body.endIndex ? lineEnd + 1 : lineEnd
                continue
            }
            let (headers, next) = MimeHeaders.parse(body[cursor...])
            if !headers.fields.isEmpty { groups.append(headers) }
            if next <= cursor {
                // Not a field line: skip it so that parsing always advances.
                cursor = lineEnd < body.endIndex ? lineEnd + 1 : lineEnd
            } else {
                cursor = next
            }
        }
        return groups
    }
}
