import Foundation

/// Content-Transfer-Encoding decoders that accept the sloppy input real mail contains.
public enum MimeTransferDecoding {
    /// Decodes `body` according to a Content-Transfer-Encoding value (`base64`,
    /// `quoted-printable`, `7bit`, `8bit`, `binary`; unknown values leave the bytes as they are).
    public static func decode(_ body: ArraySlice<UInt8>, encoding: String?) -> [UInt8] {
        switch encoding.map({ MimeText.trimmed($0).lowercased() }) {
        case "base64": return base64(body)
        case "quoted-printable": return quotedPrintable(body)
        default: return Array(body)
        }
    }

    /// Base64 that skips line breaks and stray characters and stops at the first `=` pad;
    /// a dangling final group is decoded as far as it goes.
    public static func base64<C: Collection<UInt8>>(_ input: C) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in input {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="): return out
            default: continue
            }
            accumulator = (accumulator << 6) | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }

    /// Quoted-printable (RFC 2045 §6.7): `=XX` escapes, `=` + line break is a soft break,
    /// trailing blanks before a hard break are dropped, a malformed `=` is kept literally.
    /// With `underscoreIsSpace` (RFC 2047 Q words) `_` stands for a space.
    public static func quotedPrintable<C: Collection<UInt8>>(_ input: C, underscoreIsSpace: Bool = false) -> [UInt8]
    {
        let bytes = Array(input)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        var pendingBlanks: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                pendingBlanks.append(byte)
                index += 1
                continue
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                // Hard line break: blanks at the end of a line are transport padding.
                pendingBlanks.removeAll()
                out.append(byte)
                index += 1
                continue
            default:
                out.append(contentsOf: pendingBlanks)
                pendingBlanks.removeAll()
            }
            if byte == UInt8(ascii: "=") {
                if let softBreakEnd = softBreak(bytes, after: index) {
                    index = softBreakEnd
                    continue
                }
                if index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                {
                    out.append(high << 4 | low)
                    index += 3
                    continue
                }
                out.append(byte)
                index += 1
            } else if underscoreIsSpace && byte == UInt8(ascii: "_") {
                out.append(UInt8(ascii: " "))
                index += 1
            } else {
                out.append(byte)
                index += 1
            }
        }
        out.append(contentsOf: pendingBlanks)
        return out
    }

    /// The index after a soft line break starting at the `=` at `index` (`=`, optional blanks, CRLF or LF, or end of input).
    private static func softBreak(_ bytes: [UInt8], after index: Int) -> Int? {
        var cursor = index + 1
        while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "\t") {
            cursor += 1
        }
        if cursor == bytes.count { return cursor }
        if bytes[cursor] == UInt8(ascii: "\n") { return cursor + 1 }
        if bytes[cursor] == UInt8(ascii: "\r") {
            return cursor + 1 < bytes.count && bytes[cursor + 1] == UInt8(ascii: "\n") ? cursor + 2 : cursor + 1
        }
        return nil
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
