import Foundation

/// A parsed Content-Type (or Content-Disposition) value: the lower-cased type and its parameters.
public struct MimeContentType: Sendable, Hashable {
    /// `type/subtype`, lower-cased (`text/plain` when absent or unreadable).
    public var mimeType: String
    /// Parameters with lower-cased names; RFC 2231 continuations and charsets resolved.
    public var parameters: [String: String]

    public init(mimeType: String, parameters: [String: String] = [:]) {
        self.mimeType = mimeType
        self.parameters = parameters
    }

    /// The RFC 2045 default for a part without Content-Type.
    public static let defaultText = MimeContentType(mimeType: "text/plain", parameters: ["charset": "us-ascii"])

    /// The top-level type (`multipart` of `multipart/report`).
    public var type: String { String(mimeType.prefix { $0 != "/" }) }

    /// Parses `type/subtype; name=value; name="quoted"; name*=utf-8''%E2%82%AC; name*0=...`.
    public static func parse(_ value: String?) -> MimeContentType {
        guard let value else { return defaultText }
        let pieces = splitParameters(value)
        let head = MimeText.trimmed(pieces.first ?? "").lowercased()
        let mimeType = head.contains("/") && !head.contains(" ") ? head : defaultText.mimeType
        var plain: [String: String] = [:]
        var extended: [String: [(index: Int, encoded: Bool, text: String)]] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let rawName = MimeText.trimmed(piece[..<equals]).lowercased()
            let rawValue = unquote(MimeText.trimmed(piece[piece.index(after: equals)...]))
            guard !rawName.isEmpty else { continue }
            if let star = rawName.firstIndex(of: "*") {
                let base = String(rawName[..<star])
                let rest = rawName[rawName.index(after: star)...]
                let encoded = rest.hasSuffix("*") || rest.isEmpty
                let index = Int(MimeText.trimmed(rest, also: "*")) ?? 0
                extended[base, default: []].append((index, encoded, rawValue))
            } else if plain[rawName] == nil {
                plain[rawName] = rawValue
            }
        }
        for (name, segments) in extended {
            plain[name] = joinExtended(segments.sorted { $0.index < $1.index })
        }
        if mimeType.hasPrefix("text/"), plain["charset"] == nil { plain["charset"] = "us-ascii" }
        return MimeContentType(mimeType: mimeType, parameters: plain)
    }

    /// RFC 2231: the first encoded segment may start with `charset'language'`; `%XX` escapes.
    private static func joinExtended(_ segments: [(index: Int, encoded: Bool, text: String)]) -> String {
        var charset = "utf-8"
        var bytes: [UInt8] = []
        for (position, segment) in segments.enumerated() {
            var text = Substring(segment.text)
            if position == 0 && segment.encoded {
                let quoteParts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if quoteParts.count == 3 {
                    if !quoteParts[0].isEmpty { charset = String(quoteParts[0]) }
                    text = quoteParts[2]
                }
            }
            if segment.encoded {
                bytes.append(contentsOf: percentDecoded(text))
            } else {
                bytes.append(contentsOf: Array(text.utf8))
            }
        }
        return MimeCharset.decode(bytes, charset: charset) ?? MimeCharset.text(bytes, charset: nil)
    }

    private static func percentDecoded(_ text: Substring) -> [UInt8] {
        let utf8 = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = MimeTransferDecoding.hexValue(utf8[index + 1]),
                let low = MimeTransferDecoding.hexValue(utf8[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(utf8[index])
                index += 1
            }
        }
        return out
    }

    /// Splits on `;` outside double quotes.
    private static func splitParameters(_ value: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var inQuotes = false
        var escaped = false
        for character in value {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" && inQuotes {
                current.append(character)
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
                current.append(character)
            } else if character == ";" && !inQuotes {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        return pieces
    }

    /// Removes surrounding double quotes and backslash escapes.
    static func unquote(_ value: String) -> String {
        guard value.hasPrefix("\""), value.count >= 2 else { return value }
        var inner = value.dropFirst()
        if inner.hasSuffix("\"") { inner = inner.dropLast() }
        var out = ""
        var escaped = false
        for character in inner {
            if escaped {
                out.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
