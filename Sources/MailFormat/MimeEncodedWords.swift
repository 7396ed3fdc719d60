import Foundation

/// RFC 2047 encoded words in header values (`=?charset?B|Q?text?=`).
public enum MimeEncodedWords {
    /// Decodes every encoded word in `value`; whitespace between two adjacent encoded
    /// words is dropped (RFC 2047 §6.2). A word with an unknown charset, bad base64
    /// or bytes invalid in its charset is kept as raw text.
    public static func decode(_ value: String) -> String {
        guard MimeText.contains(value, "=?") else { return value }
        enum Token {
            case text(Substring)
            case word(String)
        }
        var tokens: [Token] = []
        var rest = Substring(value)
        while let start = rest.range(of: "=?") {
            if let (decoded, after) = decodeWord(rest[start.lowerBound...]) {
                tokens.append(.text(rest[..<start.lowerBound]))
                tokens.append(.word(decoded))
                rest = after
            } else {
                tokens.append(.text(rest[..<start.upperBound]))
                rest = rest[start.upperBound...]
            }
        }
        tokens.append(.text(rest))
        var output = ""
        for (index, token) in tokens.enumerated() {
            switch token {
            case .word(let decoded):
                output += decoded
            case .text(let text):
                let betweenWords: Bool = {
                    guard index > 0, index + 1 < tokens.count else { return false }
                    if case .word = tokens[index - 1], case .word = tokens[index + 1] { return true }
                    return false
                }()
                if !(betweenWords && text.allSatisfy(\.isWhitespace)) { output += text }
            }
        }
        return output
    }

    /// Decodes one word at the start of `text`; nil when it is not a decodable encoded word.
    private static func decodeWord(_ text: Substring) -> (String, Substring)? {
        let body = text.dropFirst(2)
        let parts = body.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[3].hasPrefix("="), !parts[0].isEmpty else { return nil }
        let charset = String(parts[0].prefix { $0 != "*" })  // RFC 2231 language suffix
        let payload = parts[2]
        guard !payload.contains(" ") else { return nil }
        let bytes: [UInt8]
        switch parts[1].uppercased() {
        case "B":
            guard payload.utf8.allSatisfy(isBase64Character) else { return nil }
            bytes = MimeTransferDecoding.base64(payload.utf8)
        case "Q":
            bytes = MimeTransferDecoding.quotedPrintable(payload.utf8, underscoreIsSpace: true)
        default:
            return nil
        }
        guard let decoded = MimeCharset.decode(bytes, charset: charset) else { return nil }
        return (decoded, parts[3].dropFirst())
    }

    private static func isBase64Character(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }
}
