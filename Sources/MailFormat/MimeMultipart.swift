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
        let base = body.startIndex
        // Delimiter lines as (line start, line end, is closing), relative offsets.
        let found: [(start: Int, next: Int, isClose: Bool)] = body.withUnsafeBufferPointer { bytes in
            var out: [(Int, Int, Bool)] = []
            var cursor = 0
            while cursor < bytes.count {
                var lineEnd = cursor
                while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                let next = lineEnd < bytes.count ? lineEnd + 1 : lineEnd
                if bytes[cursor] == UInt8(ascii: "-"),
                    let isClose = delimiterKind(UnsafeBufferPointer(rebasing: bytes[cursor..<lineEnd]), delimiter: delimiter)
                {
                    out.append((cursor, next, isClose))
                    if isClose { break }
                }
                cursor = next
            }
            return out
        }
        var result = Split(preamble: body, parts: [], epilogue: [], defects: [])
        guard let first = found.first else {
            result.defects.append("no boundary found")
            return result
        }
        result.preamble = body[base..<lineBreakStart(body, before: base + first.start)]
        for (index, delimiterLine) in found.enumerated() where !delimiterLine.isClose {
            let start = base + delimiterLine.next
            if index + 1 < found.count {
                let end = max(start, lineBreakStart(body, before: base + found[index + 1].start))
                result.parts.append(body[start..<end])
            } else {
                result.parts.append(body[start...])
                result.defects.append("missing final boundary")
            }
        }
        if let last = found.last, last.isClose { result.epilogue = body[(base + last.next)...] }
        return result
    }

    /// nil when the line is not a delimiter; true for the closing `--boundary--`.
    private static func delimiterKind(_ line: UnsafeBufferPointer<UInt8>, delimiter: [UInt8]) -> Bool? {
        guard line.count >= delimiter.count else { return nil }
        for index in 0..<delimiter.count where line[index] != delimiter[index] { return nil }
        var rest = delimiter.count
        var isClose = false
        if rest + 1 < line.count && line[rest] == UInt8(ascii: "-") && line[rest + 1] == UInt8(ascii: "-") {
            isClose = true
            rest += 2
        }
        while rest < line.count {
            let byte = line[rest]
            guard byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") else { return nil }
            rest += 1
        }
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
