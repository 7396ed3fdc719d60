import Foundation
import MailFormat

/// Addresses that appear in a bounce but never failed: ours, the mail system's,
/// mailing lists', and Message-IDs that merely look like addresses.
///
/// A plain-text bounce names many addresses: the failed recipient, but also the
/// sender (us), the postmaster to contact, the list the mail went through, the
/// Message-ID of the original. Only the first may become an event.
struct DsnExclusions {
    /// Bare addresses (lower-cased) that are never the failed recipient.
    private(set) var addresses: Set<String> = []
    /// Message-IDs (lower-cased, without brackets) found in the bounce and its original.
    private(set) var messageIds: Set<String> = []

    /// Header fields of the bounce that name us or the mail system.
    static let bounceHeaders = [
        "From", "To", "Reply-To", "Sender", "Delivered-To", "X-Original-To", "Return-Path", "Errors-To",
        "List-Post", "List-Owner", "List-Help", "List-Subscribe", "List-Unsubscribe", "X-ML-Name", "Mailing-List",
    ]
    /// Header fields of the returned original that name us (not its To / Cc: that is whom we sent to).
    static let originalHeaders = [
        "From", "Reply-To", "Sender", "Return-Path", "Errors-To", "List-Post", "List-Owner", "List-Help",
        "List-Unsubscribe", "X-ML-Name", "Mailing-List",
    ]

    init(mail: MimeMessage, region: String) {
        collect(mail.headers, names: Self.bounceHeaders)
        for header in ["Message-ID", "In-Reply-To", "References"] {
            for value in mail.headers.all(header) { addIds(value) }
        }
        for part in mail.ownParts {
            guard let attached = part.attached else { continue }
            collect(attached.headers, names: Self.originalHeaders)
            for value in attached.headers.all("Message-ID") { addIds(value) }
        }
        // The original pasted as text (qmail, old Gmail...) and header-like lines of the notice.
        for part in mail.ownParts where part.parts.isEmpty && part.attached == nil {
            scanHeaderLines(part.contentType.mimeType.hasPrefix("text/") ? part.text : "")
        }
        scanHeaderLines(region)
    }

    /// True when `address` may be a failed recipient.
    func allows(_ address: String) -> Bool {
        !addresses.contains(address) && !messageIds.contains(address) && !Self.isSystem(address)
    }

    /// Mail system and list robot addresses: `mailer-daemon@`, `postmaster@`, `owner-list@`, `list-request@`.
    static func isSystem(_ address: String) -> Bool {
        let local = address.prefix { $0 != "@" }
        return local == "mailer-daemon" || local == "postmaster" || local.hasPrefix("owner-")
            || local.hasSuffix("-request") || local.hasSuffix("-owner") || local.hasSuffix("-bounces")
            || local == "majordomo" || local == "listserv"
    }

    private mutating func collect(_ headers: MimeHeaders, names: [String]) {
        for name in names {
            for value in headers.all(name) {
                for address in DsnText.addresses(in: value) { addresses.insert(address) }
            }
        }
    }

    private mutating func addIds(_ value: String) {
        for word in value.split(whereSeparator: { " \t\r\n<>,".contains($0) }) where word.contains("@") {
            messageIds.insert(word.lowercased())
        }
    }

    /// `From:` / `Return-Path:` / `Message-ID:` lines inside a text body (inline original).
    private mutating func scanHeaderLines(_ text: String) {
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = MimeText.trimmed(rawLine)
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { continue }
            let name = line[..<colon].lowercased()
            let value = String(line[line.index(after: colon)...])
            switch name {
            case "message-id", "in-reply-to", "references":
                addIds(value)
            case "from", "return-path", "reply-to", "sender", "errors-to", "list-post", "list-owner":
                for address in DsnText.addresses(in: value) { addresses.insert(address) }
            default:
                continue
            }
        }
    }
}
