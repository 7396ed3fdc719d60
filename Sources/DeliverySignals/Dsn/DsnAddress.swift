import Foundation
import MailFormat

/// Address helpers shared by the mail parsers: bare addresses, VERP tokens, message ids.
public enum DsnAddress {
    /// The bare address of `rfc822; <User@Example.org>`, `"Name" <u@x>` or `u@x`, lower-cased; nil when empty.
    public static func bare(_ value: String?) -> String? {
        guard var text = value.map({ MimeText.trimmed($0) }), !text.isEmpty else { return nil }
        if let semicolon = text.firstIndex(of: ";"), !text[..<semicolon].contains("@") {
            text = String(text[text.index(after: semicolon)...])  // address type (rfc822; / utf-8;)
        }
        if let open = text.lastIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text = String(text[text.index(after: open)..<close])
        }
        text = MimeText.trimmed(text, also: " \t\r\n<>\"'")
        return text.isEmpty ? nil : text.lowercased()
    }

    /// Splits an address list header (`a@x, "B" <b@y>`) into bare addresses.
    public static func list(_ value: String?) -> [String] {
        guard let value else { return [] }
        var out: [String] = []
        var current = ""
        var inQuotes = false
        var inAngle = false
        for character in value {
            switch character {
            case "\"": inQuotes.toggle()
            case "<": inAngle = true
            case ">": inAngle = false
            default: break
            }
            if character == "," && !inQuotes && !inAngle {
                if let address = bare(current) { out.append(address) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if let address = bare(current) { out.append(address) }
        return out.filter { $0.contains("@") }
    }

    /// The VERP token of an envelope-sender address.
    ///
    /// Accepted form: `LOCAL+TOKEN@DOMAIN` (also inside `<...>` or after `rfc822;`):
    /// the token is everything between the first `+` of the local part and the `@`,
    /// and must be non-empty. `bounce+7f3c2a9e@bounces.example.com` gives `7f3c2a9e`;
    /// Odoo's `catchall+12-mail.message-7@example.com` gives `12-mail.message-7`.
    /// The token keeps its case (tokens may be case-sensitive ids).
    public static func verpToken(_ value: String?) -> String? {
        guard var text = value.map({ MimeText.trimmed($0) }), !text.isEmpty else { return nil }
        if let open = text.lastIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text = String(text[text.index(after: open)..<close])
        }
        if let semicolon = text.firstIndex(of: ";") { text = String(text[text.index(after: semicolon)...]) }
        text = MimeText.trimmed(text)
        guard let at = text.lastIndex(of: "@"), let plus = text[..<at].firstIndex(of: "+") else { return nil }
        let token = text[text.index(after: plus)..<at]
        return token.isEmpty ? nil : String(token)
    }

    /// A Message-ID without angle brackets and blanks; nil when empty.
    public static func messageId(_ value: String?) -> String? {
        guard let value else { return nil }
        var text = MimeText.trimmed(value)
        if let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text = String(text[text.index(after: open)..<close])
        }
        text = MimeText.trimmed(text, also: " \t<>")
        return text.isEmpty ? nil : text
    }
}
