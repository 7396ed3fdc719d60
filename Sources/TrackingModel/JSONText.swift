/// JSON string literals, written the one way every part of chatter writes them:
/// quotes and backslashes escaped, control characters (C0, DEL, C1) and the line
/// separators U+2028 / U+2029 as `\uXXXX`, so JSON output never carries a raw
/// control character to a terminal.
public enum JSONText {
    /// Appends `s` as a JSON string literal.
    public static func appendString(_ s: String, to out: inout String) {
        out.append("\"")
        for u in s.unicodeScalars {
            switch u {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            default:
                let v = u.value
                if v < 0x20 || v == 0x7F || (0x80..<0xA0).contains(v) || v == 0x2028 || v == 0x2029 {
                    let hex = String(v, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out.append("\"")
    }

    /// `s` as a JSON string literal.
    public static func string(_ s: String) -> String {
        var out = ""
        appendString(s, to: &out)
        return out
    }
}
