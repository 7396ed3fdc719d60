import Foundation
import TrackingModel

/// Bounces that are not proper RFC 3464 reports: old Gmail, qmail, Exchange plain
/// text NDRs, Google Workspace with an empty status part (SOURCES.md §2.4).
///
/// The recipient comes from `X-Failed-Recipients`, else from the text near the known
/// phrases; the status from the first enhanced code in the diagnostic text (qmail's
/// `(#5.5.0)`, Exchange's `#550 5.1.1 RESOLVER...`), else from the wording.
enum DsnHeuristics {
    /// Subjects of bounce notifications (lower-cased prefixes or phrases).
    static let bounceSubjects = [
        "undeliverable", "undelivered mail", "delivery status notification", "failure notice",
        "returned mail", "mail delivery failed", "delivery failure", "delivery has failed",
        "mail delivery failure", "non remis", "unzustellbar", "non recapitabile", "no se puede entregar",
        "message not delivered", "delivery notification",
    ]

    /// Lines after which the quoted original starts: nothing below is diagnostic text.
    static let originalMarkers = [
        "----- original message -----", "--- below this line is a copy of the message",
        "------ this is a copy of the message", "original message headers:", "----- message truncated -----",
        "-----original message-----", "------=_", "received: from",
    ]

    /// Phrases after which the failed recipient is written on its own line.
    static let recipientPhrases = [
        "delivery to the following recipient failed permanently:",
        "delivery to the following recipients failed permanently:",
        "delivery to the following recipient has been delayed:",
        "delivery has failed to these recipients or groups:",
        "your message wasn't delivered to",
        "could not be delivered to",
    ]

    static func looksLikeBounce(_ mail: MimeMessage) -> Bool {
        if !DsnAddress.list(mail.headers["X-Failed-Recipients"]).isEmpty { return true }
        let from = (DsnAddress.bare(mail.headers["From"]) ?? "")
        if from.hasPrefix("mailer-daemon@") || from.hasPrefix("postmaster@") || from == "mailer-daemon" {
            return true
        }
        let subject = (mail.headers.decoded("Subject") ?? "").lowercased()
        return bounceSubjects.contains { subject.hasPrefix($0) || MimeText.contains(subject, $0 + ":") }
            || mail.contentType.parameters["report-type"]?.lowercased() == "delivery-status"
    }

    static func events(_ context: DsnContext) throws(Quarantined) -> [ParsedEvent] {
        let mail = context.mail
        let region = diagnosticRegion(mail)
        let lowerRegion = region.lowercased()
        var recipients = DsnAddress.list(mail.headers["X-Failed-Recipients"])
        if recipients.isEmpty { recipients = recipientsInText(region, excluding: ownAddresses(mail)) }
        let tieBack = context.tieBack
        guard !recipients.isEmpty || tieBack.verpToken != nil else {
            throw context.quarantine("bounce without a recipient")
        }
        let status = FailureClassifier.enhancedStatus(in: region)
        let subject = (mail.headers.decoded("Subject") ?? "").lowercased()
        let delayed = (MimeText.contains(subject, "delay") || MimeText.contains(lowerRegion, "will retry")
            || MimeText.contains(lowerRegion, "still trying") || MimeText.contains(lowerRegion, "has been delayed"))
            && !MimeText.contains(lowerRegion, "permanent")
        let description = diagnosticLine(region, status: status)
        let targets: [String?] = recipients.isEmpty ? [nil] : recipients.map { Optional($0) }
        return targets.map { recipient in
            DsnOutcome(
                recipient: recipient, action: delayed ? "delayed" : "failed", status: status,
                description: description, remoteMta: nil, timestamp: context.mailTimestamp, willRetryUntil: nil
            ).event(context, tieBack: tieBack)
        }
    }

    /// The human text of the bounce itself (plain text parts, else HTML without tags),
    /// cut before the quoted original.
    static func diagnosticRegion(_ mail: MimeMessage) -> String {
        let leaves = mail.ownParts.filter { $0.parts.isEmpty && $0.attached == nil }
        var texts = leaves.filter { $0.contentType.mimeType == "text/plain" }.map(\.text)
        if texts.isEmpty {
            texts = leaves.filter { $0.contentType.mimeType == "text/html" }.map { stripTags($0.text) }
        }
        let joined = texts.joined(separator: "\n")
        // The original starts at the first line that begins with a marker.
        var kept: [Substring] = []
        for line in joined.split(separator: "\n", omittingEmptySubsequences: false) {
            let start = line.drop { $0 == " " || $0 == "\t" }.prefix(48).lowercased()
            if originalMarkers.contains(where: { start.hasPrefix($0) }) { break }
            kept.append(line)
        }
        return kept.joined(separator: "\n")
    }

    /// A three-digit SMTP reply code (4xx / 5xx) standing alone in the line.
    static func hasReplyCode(_ line: String) -> Bool {
        let bytes = Array(line.utf8)
        var index = 0
        while index + 2 < bytes.count {
            let before = index == 0 ? UInt8(ascii: " ") : bytes[index - 1]
            let after = index + 3 < bytes.count ? bytes[index + 3] : UInt8(ascii: " ")
            if (bytes[index] == UInt8(ascii: "4") || bytes[index] == UInt8(ascii: "5")), isDigit(bytes[index + 1]),
                isDigit(bytes[index + 2]), !isDigit(before), !isDigit(after), !isLetter(before), !isLetter(after)
            {
                return true
            }
            index += 1
        }
        return false
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    /// Addresses near the known phrases, else every address in angle brackets or followed by `:`.
    static func recipientsInText(_ text: String, excluding own: Set<String>) -> [String] {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var found: [String] = []
        func add(_ candidates: [String]) {
            for address in candidates where !own.contains(address) && !isDaemon(address) && !found.contains(address) {
                found.append(address)
            }
        }
        for (index, line) in lines.enumerated() {
            let lower = line.lowercased()
            guard recipientPhrases.contains(where: { MimeText.contains(lower, $0) }) else { continue }
            add(addresses(in: line))
            if let next = lines[(index + 1)...].first(where: { !MimeText.trimmed($0).isEmpty }) {
                add(addresses(in: next))
            }
        }
        if found.isEmpty {
            for line in lines {
                let trimmed = MimeText.trimmed(line)
                if trimmed.hasPrefix("<") || MimeText.contains(trimmed, ">:") { add(addresses(in: trimmed)) }
            }
        }
        if found.isEmpty {
            for line in lines { add(addresses(in: line)) }
        }
        return found
    }

    /// Every `local@domain` in a line, lower-cased, without surrounding punctuation.
    static func addresses(in line: String) -> [String] {
        line.split(whereSeparator: { " \t<>()[],;:\"'".contains($0) }).compactMap { word in
            let candidate = MimeText.trimmed(word, also: ".").lowercased()
            guard let at = candidate.firstIndex(of: "@"), at != candidate.startIndex,
                candidate[candidate.index(after: at)...].contains(".")
            else { return nil }
            return candidate
        }
    }

    /// The mail's own From / To / Reply-To addresses: never the failed recipient.
    static func ownAddresses(_ mail: MimeMessage) -> Set<String> {
        Set(["From", "To", "Reply-To", "Sender", "Delivered-To", "X-Original-To"].flatMap {
            DsnAddress.list(mail.headers[$0])
        })
    }

    /// Mail system addresses that appear in bounce texts but never failed.
    static func isDaemon(_ address: String) -> Bool {
        let local = address.prefix { $0 != "@" }
        return local == "mailer-daemon" || local == "postmaster"
    }

    /// The line that carries the status code, else the first line mentioning an SMTP reply.
    static func diagnosticLine(_ text: String, status: String?) -> String? {
        let lines = text.split(whereSeparator: \.isNewline).map { MimeText.trimmed($0) }
        let chosen = status.flatMap { code in lines.first { MimeText.contains($0, code) } }
            ?? lines.first { MimeText.contains($0, "said:") || hasReplyCode($0) }
        return chosen.map { String($0.prefix(300)) }
    }

    static func stripTags(_ html: String) -> String {
        var out = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; continue }
            if character == ">" { inTag = false; out.append(" "); continue }
            if !inTag { out.append(character) }
        }
        return out.replacingOccurrences(of: "&nbsp;", with: " ")
    }
}
