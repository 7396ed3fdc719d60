/// JSON string literals, written the one way every part of chatter writes them (the
/// listings' `--json`, the dry run's JSON lines, the store's JSON columns): quotes and
/// backslashes escaped, and as `\uXXXX` every character a terminal could act on or that
/// could reorder what is shown: C0 controls, DEL, C1 controls (U+009B is CSI on some
/// terminals), the line separators U+2028 / U+2029 and the bidi controls of `SafeText`
/// (U+202A–U+202E overrides, U+2066–U+2069 isolates, marks). The text itself is kept
/// exactly: a JSON reader gets every character back.
public enum JSONText {
    /// Whether the scalar `v` is written as `\uXXXX`.
    public static func mustEscape(_ v: UInt32) -> Bool {
        v < 0x20 || v == 0x7F || (0x80..<0xA0).contains(v) || v == 0x2028 || v == 0x2029 || SafeText.isBidiControl(v)
    }

    /// Appends `s` as a JSON string literal.
    public static func appendString(_ s: String, to out: inout String) {
        out += string(s)
    }

    /// `s` as a JSON string literal. Works on the UTF-8 bytes (the dry run writes millions).
    public static func string(_ s: String) -> String {
        var text = s
        return text.withUTF8 { bytes -> String in
            var out: [UInt8] = [UInt8(ascii: "\"")]
            out.reserveCapacity(bytes.count + 2)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
                    case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                    case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                    case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                    case 0..<0x20, 0x7F: appendEscape(UInt32(byte), to: &out)
                    default: out.append(byte)
                    }
                    index += 1
                    continue
                }
                // A multi-byte sequence (the String is valid UTF-8): its length from the lead byte.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let end = min(index + length, bytes.count)
                var scalar = UInt32(byte) & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F)
                for next in bytes[(index + 1)..<end] { scalar = scalar << 6 | (UInt32(next) & 0x3F) }
                if mustEscape(scalar) {
                    appendEscape(scalar, to: &out)
                } else {
                    out.append(contentsOf: bytes[index..<end])
                }
                index = end
            }
            out.append(UInt8(ascii: "\""))
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `\u` and four lower-case hex digits (every escaped scalar is in the BMP).
    private static func appendEscape(_ v: UInt32, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((v >> UInt32(shift)) & 0xF)]) }
    }
}
