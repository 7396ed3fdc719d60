import Foundation

/// The encodings outgoing mail needs: RFC 2047 encoded words for header text,
/// quoted-printable (RFC 2045) for the bodies. All output is 7-bit ASCII with CRLF.
public enum MimeEncoding {
    /// Header text as is when it is plain printable ASCII, else UTF-8 `B` encoded
    /// words of at most 75 characters, folded onto continuation lines.
    public static func headerText(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) && !clean.contains("=?") { return clean }
        var words: [String] = []
        var chunk = ""
        // 45 bytes of UTF-8 give 60 base64 characters: "=?UTF-8?B?" + 60 + "?=" = 72.
        for ch in clean {
            if chunk.utf8.count + String(ch).utf8.count > 45 {
                words.append(encodedWord(chunk))
                chunk = ""
            }
            chunk.append(ch)
        }
        if !chunk.isEmpty { words.append(encodedWord(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func encodedWord(_ s: String) -> String {
        "=?UTF-8?B?" + Data(s.utf8).base64EncodedString() + "?="
    }

    /// A display name as a header phrase: quoted when it has specials, encoded when not ASCII.
    public static func phrase(_ name: String) -> String {
        if !name.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) { return headerText(name) }
        let atext = name.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || " !#$%&'*+-/=?^_`{|}~".unicodeScalars.contains($0)
        }
        if atext { return name }
        return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Quoted-printable of UTF-8 text: lines end in CRLF, soft breaks keep every line within 76 characters.
    public static func quotedPrintable(_ text: String) -> String {
        var out = ""
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            var current = ""
            let bytes = Array(line.utf8)
            for (i, b) in bytes.enumerated() {
                let isLast = i == bytes.count - 1
                let piece: String
                if (b == 32 || b == 9) && isLast {
                    piece = String(format: "=%02X", b)
                } else if b == 61 || b < 32 || b > 126 || (b == 46 && current.isEmpty) {
                    // "." at a line start is encoded too: no dot-stuffing surprises on any transport.
                    piece = String(format: "=%02X", b)
                } else {
                    piece = String(UnicodeScalar(b))
                }
                if current.utf8.count + piece.utf8.count > 75 {
                    out += current + "=\r\n"
                    current = ""
                }
                current += piece
            }
            out += current
            if index < lines.count - 1 { out += "\r\n" }
        }
        return out + "\r\n"
    }

    /// Text escaped for HTML.
    public static func htmlEscape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
