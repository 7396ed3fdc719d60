import Foundation
import MailFormat

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
        "original mail as follows", "------- returned message --------", "-------original message",
        "--- the header of the original message is following",
    ]

    /// The text parts of the notice (plain text, else HTML without tags), cut before the quoted original.
    static func text(_ mail: MimeMessage) -> String {
        split(mail).notice
    }

    /// The original pasted as text below the notice (qmail, Exim, FML...), empty when none.
    static func inlineOriginal(_ mail: MimeMessage) -> String {
        split(mail).original
    }

    private static func split(_ mail: MimeMessage) -> (notice: String, original: String) {
        let leaves = mail.ownParts.filter { $0.parts.isEmpty && $0.attached == nil }
        var texts = leaves.filter { $0.contentType.mimeType == "text/plain" }.map(\.text)
        if texts.allSatisfy({ MimeText.trimmed($0).isEmpty }) {
            texts = leaves.filter { $0.contentType.mimeType == "text/html" }.map { stripTags($0.text) }
        }
        let joined = texts.joined(separator: "\n")
        let lines = joined.replacingOccurrences(of: "\r", with: "").split(separator: "\n", omittingEmptySubsequences: false)
        let cut = lines.firstIndex { line in
            let start = line.drop { $0 == " " || $0 == "\t" }.prefix(64).lowercased()
            return originalMarkers.contains { start.hasPrefix($0) }
        } ?? lines.endIndex
        return (lines[..<cut].joined(separator: "\n"), lines[cut...].joined(separator: "\n"))
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
