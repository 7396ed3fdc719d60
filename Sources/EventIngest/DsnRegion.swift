import Foundation

/// The notice's own human text: the part a plain-text bounce reader looks at.
enum DsnRegion {
    /// Lines after which the quoted original starts: nothing below is diagnostic text.
    static let originalMarkers = [
        "----- original message -----", "--- below this line is a copy of the message",
        "------ this is a copy of the message", "original message headers:", "----- message truncated -----",
        "-----original message-----", "------=_", "received: from", "return-path: <",
        "below is a copy of the original message", "----- unsent message follows -----",
        "----- no message was collected -----", "------- original message follows", "---- original message ----",
        "--- original message follows", "the original message headers are included as attachment",
    ]

    /// The text parts of the notice (plain text, else HTML without tags), cut before the quoted original.
    static func text(_ mail: MimeMessage) -> String {
        let leaves = mail.ownParts.filter { $0.parts.isEmpty && $0.attached == nil }
        var texts = leaves.filter { $0.contentType.mimeType == "text/plain" }.map(\.text)
        if texts.allSatisfy({ MimeText.trimmed($0).isEmpty }) {
            texts = leaves.filter { $0.contentType.mimeType == "text/html" }.map { stripTags($0.text) }
        }
        let joined = texts.joined(separator: "\n")
        var kept: [Substring] = []
        for line in joined.split(separator: "\n", omittingEmptySubsequences: false) {
            let start = line.drop { $0 == " " || $0 == "\t" }.prefix(64).lowercased()
            if originalMarkers.contains(where: { start.hasPrefix($0) }) { break }
            kept.append(line)
        }
        return kept.joined(separator: "\n").replacingOccurrences(of: "\r", with: "")
    }

    /// HTML to text: block tags end lines, other tags vanish, the common entities are decoded.
    static func stripTags(_ html: String) -> String {
        var out = ""
        var tag = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; tag = ""; continue }
            if inTag {
                if character == ">" {
                    inTag = false
                    let name = tag.lowercased().drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }
                    if ["br", "p", "div", "tr", "li", "table", "h1", "h2", "h3", "h4", "td"].contains(String(name)) {
                        out.append(name == "td" ? " " : "\n")
                    }
                } else {
                    tag.append(character)
                }
                continue
            }
            out.append(character)
        }
        for (entity, value) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#64;", "@"),
            ("&#39;", "'"), ("&amp;", "&")]
        {
            out = out.replacingOccurrences(of: entity, with: value)
        }
        return out
    }
}
