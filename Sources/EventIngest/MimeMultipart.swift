/// Splits a multipart body on its boundary (RFC 2046 §5.1.1), tolerating a missing
/// closing boundary and blanks after the delimiter.
public enum MimeMultipart {
    /// The pieces of a multipart body.
    public struct Split: Sendable {
        public var preamble: ArraySlice<UInt8>
        public var parts: [ArraySlice<UInt8>]
        public var epilogue: ArraySlice<UInt8>
        public var defects: [String]
    }

    /// Splits `body` on `--boundary` lines. The line break before a delimiter belongs to the delimiter.
    public static func split(_ body: ArraySlice<UInt8>, boundary: String) -> Split {
        let delimiter = Array(("--" + boundary).utf8)
        var result = Split(preamble: body[body.startIndex..<body.startIndex], parts: [], epilogue: [], defects: [])
        var partStart: Int?
        var cursor = body.startIndex
        var closed = false
        while cursor < body.endIndex {
            let lineEnd = body[cursor...].firstIndex(of: UInt8(ascii: "\n")) ?? body.endIndex
            let next = lineEnd < body.endIndex ? lineEnd + 1 : lineEnd
            if let isClose = delimiterKind(body[cursor..<lineEnd], delimiter: delimiter) {
                let contentEnd = lineBreakStart(body, before: cursor)
                if let start = partStart {
                    result.parts.append(body[start..<max(start, contentEnd)])
                } else {
                    result.preamble = body[body.startIndex..<max(body.startIndex, contentEnd)]
                }
                if isClose {
                    result.epilogue = body[next...]
                    closed = true
                    break
                }
                partStart = next
            }
            cursor = next
        }
        if !closed {
            if let start = partStart {
                result.parts.append(body[start...])
                result.defects.append("missing final boundary")
            } else {
                result.preamble = body
                result.defects.append("no boundary found")
            }
        }
        return result
    }

    /// nil when the line is not a delimiter; true for the closing `--boundary--`.
    private static func delimiterKind(_ rawLine: ArraySlice<UInt8>, delimiter: [UInt8]) -> Bool? {
        guard rawLine.starts(with: delimiter) else { return nil }
        var rest = rawLine.dropFirst(delimiter.count)
        var isClose = false
        if rest.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) {
            isClose = true
            rest = rest.dropFirst(2)
        }
        guard rest.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") })
        else { return nil }
        return isClose
    }

    /// The index where the line break ending the previous line starts (CRLF or LF).
    private static func lineBreakStart(_ body: ArraySlice<UInt8>, before lineStart: Int) -> Int {
        var end = lineStart
        if end > body.startIndex, body[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        if end > body.startIndex, body[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return end
    }
}
