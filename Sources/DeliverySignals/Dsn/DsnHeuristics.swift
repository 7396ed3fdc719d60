import Foundation
import MailFormat
import TrackingModel

/// Bounces that are not proper RFC 3464 reports: Exim, Sendmail, qmail, Exchange and
/// Office 365 text, old Gmail, Yahoo, Domino, Google Workspace with an empty status
/// part... (the formats are listed in `DsnFormats`).
///
/// The recipients come from `X-Failed-Recipients`, else from the notice's text read by
/// `DsnText` (never our own address, a list's, a Message-ID or an address in prose),
/// else from the returned original's single `To`. Each recipient's status is the first
/// 4xx / 5xx enhanced code of its own lines (qmail's `(#5.5.0)`, Exchange's
/// `#550 5.1.1 RESOLVER...`), else of the whole notice; the notice is a delay warning
/// when it says it is still trying and never that it gave up.
enum DsnHeuristics {
    /// Subjects of bounce notifications (lower-cased prefixes or phrases).
    static let bounceSubjects = [
        "undeliverable", "undelivered mail", "delivery status notification", "failure notice",
        "returned mail", "mail delivery failed", "delivery failure", "delivery has failed",
        "mail delivery failure", "non remis", "unzustellbar", "non recapitabile", "no se puede entregar",
        "message not delivered", "delivery notification", "permanent delivery failure", "failed mail",
        "warning: could not send", "delayed mail", "notice: mail delivery status", "mail could not be delivered",
        "nondeliverable", "non-deliverable", "delivery report", "mail system error", "undeliverable message",
    ]

    static func looksLikeBounce(_ mail: MimeMessage) -> Bool {
        if !DsnAddress.list(mail.headers["X-Failed-Recipients"]).isEmpty { return true }
        let from = (DsnAddress.bare(mail.headers["From"]) ?? "")
        if from.hasPrefix("mailer-daemon@") || from.hasPrefix("postmaster@") || from == "mailer-daemon" {
            return true
        }
        let subject = (mail.headers.decoded("Subject") ?? "").lowercased()
        // A person's out-of-office reply to a bounce ("Automatic reply: Undeliverable: ...") is no bounce.
        if DsnAutoReply.subjectPhrases.contains(where: { subject.hasPrefix($0) }) { return false }
        if bounceSubjects.contains(where: { subject.hasPrefix($0) || MimeText.contains(subject, $0 + ":") }) {
            return true
        }
        if mail.contentType.parameters["report-type"]?.lowercased() == "delivery-status" { return true }
        return format(mail, region: DsnRegion.text(mail)) != nil
    }

    /// The format of the notice, from its sender, subject and text.
    static func format(_ mail: MimeMessage, region: String) -> DsnFormat? {
        DsnFormats.format(
            from: (mail.headers.decoded("From") ?? "").lowercased(),
            subject: (mail.headers.decoded("Subject") ?? "").lowercased(), body: region.lowercased())
    }

    static func events(_ context: DsnContext) throws(QuarantineItem) -> [ParsedEvent] {
        let mail = context.mail
        let region = DsnRegion.text(mail)
        let lowerRegion = region.lowercased()
        let exclusions = DsnExclusions(mail: mail, region: region)
        let (entries, preamble) = recipients(mail, region: region, exclusions: exclusions)
        let tieBack = context.tieBack
        guard !entries.isEmpty || tieBack.verpToken != nil else {
            throw context.quarantine("bounce without a recipient")
        }
        let subject = (mail.headers.decoded("Subject") ?? "").lowercased()
        let delayed = isDelayWarning(subject: subject, text: lowerRegion)
        let formatName = format(mail, region: region)?.name
        let targets = entries.isEmpty ? [DsnText.Entry(address: "", lines: [])] : entries
        let explanations = explanations(targets, preamble: preamble)
        return zip(targets, explanations).map { entry, lines in
            let status = failureStatus(in: lines)
            let explanation = lines.joined(separator: " ")
            var outcome = DsnOutcome(
                recipient: entry.address.isEmpty ? nil : entry.address, action: delayed ? "delayed" : "failed",
                status: status,
                description: diagnosticLine(lines, status: status) ?? firstExplanation(lines, address: entry.address),
                remoteMta: nil, timestamp: context.mailTimestamp, willRetryUntil: nil)
            outcome.text = explanation.isEmpty ? nil : String(explanation.prefix(600))
            outcome.finalRecipient = entry.finalRecipient
            outcome.format = formatName
            outcome.vendorCause = DsnFormats.vendorCause(in: (explanation + " " + subject).lowercased())
            return outcome.event(context, tieBack: tieBack)
        }
    }

    /// The failed recipients with their lines: `X-Failed-Recipients` decides who, the text adds
    /// what it says about each; without either, the returned original's single recipient.
    static func recipients(_ mail: MimeMessage, region: String, exclusions: DsnExclusions)
        -> (entries: [DsnText.Entry], preamble: [String])
    {
        let read = DsnText.read(region, allowed: exclusions.allows)
        let found = read.entries.map(DsnText.forwarded)
        let listed = mail.headers.all("X-Failed-Recipients")
            .flatMap { DsnText.addresses(in: MimeEncodedWords.decode($0)) }.filter(exclusions.allows)
        if !listed.isEmpty {
            var out: [DsnText.Entry] = []
            for address in listed where !out.contains(where: { $0.address == address || $0.finalRecipient == address }) {
                out.append(found.first { $0.address == address || $0.finalRecipient == address }
                    ?? DsnText.Entry(address: address, lines: []))
            }
            return (out, read.preamble)
        }
        if !found.isEmpty { return (found, read.preamble) }
        let original = originalRecipients(mail).filter(exclusions.allows)
        return (original.count == 1 ? [DsnText.Entry(address: original[0], lines: [])] : [], read.preamble)
    }

    /// `To` / `Cc` of the returned original (attached, or pasted as text below the notice).
    static func originalRecipients(_ mail: MimeMessage) -> [String] {
        for part in mail.ownParts {
            if let attached = part.attached {
                let found = ["To", "Cc"].flatMap { attached.headers.all($0) }.flatMap { DsnText.addresses(in: $0) }
                if !found.isEmpty { return found }
            }
        }
        var found: [String] = []
        // Its header block: after the marker line and any blank lines, up to the first blank line.
        let lines = DsnRegion.inlineOriginal(mail).split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            .drop { MimeText.trimmed($0).isEmpty }
        for line in lines {
            if MimeText.trimmed(line).isEmpty { break }
            let lower = line.lowercased()
            if lower.hasPrefix("to:") || lower.hasPrefix("cc:") {
                found += DsnText.addresses(in: String(line.dropFirst(3)))
            }
        }
        return found
    }

    /// A delay warning: it says it still tries and never that it gave up.
    static func isDelayWarning(subject: String, text: String) -> Bool {
        let says = { (phrases: [String]) in phrases.contains { MimeText.contains(text, $0) || MimeText.contains(subject, $0) } }
        let subjectDelay = subject.hasPrefix("warning:") || MimeText.contains(subject, "delay")
        return (subjectDelay || says(DsnFormats.delayPhrases)) && !says(DsnFormats.permanentPhrases)
    }

    /// The first enhanced status of class 4 or 5 in the lines (a `250 2.1.0 ok` in a transcript is no failure).
    static func failureStatus(in lines: [String]) -> String? {
        for line in lines {
            var rest = Substring(line)
            while let code = FailureClassifier.enhancedStatus(in: String(rest)) {
                if code.first == "4" || code.first == "5" { return code }
                guard let range = rest.range(of: code) else { break }
                rest = rest[range.upperBound...]
            }
        }
        return nil
    }

    /// A three-digit SMTP reply code (4xx / 5xx) standing alone in the line.
    static func hasReplyCode(_ line: String) -> Bool {
        let bytes = Array(line.utf8)
        var index = 0
        while index + 2 < bytes.count {
            let before = index == 0 ? UInt8(ascii: " ") : bytes[index - 1]
            let after = index + 3 < bytes.count ? bytes[index + 3] : UInt8(ascii: " ")
            if (bytes[index] == UInt8(ascii: "4") || bytes[index] == UInt8(ascii: "5")), isDigit(bytes[index + 1]),
                isDigit(bytes[index + 2]), !isDigit(before), !isDigit(after), !isLetter(before), !isLetter(after),
                before != UInt8(ascii: "."), after != UInt8(ascii: ".")
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

    /// The lines that explain each recipient. A recipient's own block when it says more than
    /// the address; else the block of the next recipient that does (a list of addresses followed
    /// by one reason: Gmail, Domino); else the notice's general text (Notes gives its reason
    /// first). Lines without any reply code get the general text's code in front (Verizon).
    static func explanations(_ entries: [DsnText.Entry], preamble: [String]) -> [[String]] {
        let own = entries.map { entry in entry.lines.filter { explains($0, address: entry.address) } }
        let preambleHasCode = preamble.contains { failureStatus(in: [$0]) != nil || hasReplyCode($0) }
        return own.indices.map { index in
            var lines = own[index...].first { !$0.isEmpty } ?? preamble
            if lines.isEmpty { lines = preamble }
            let hasCode = lines.contains { failureStatus(in: [$0]) != nil || hasReplyCode($0) }
            if !hasCode && preambleHasCode && lines != preamble { lines = preamble + lines }
            return lines
        }
    }

    /// A line of a block that says more than the recipient's address: another text, or a reply code.
    private static func explains(_ line: String, address: String) -> Bool {
        DsnText.leadingAddress(line) != address || failureStatus(in: [line]) != nil || hasReplyCode(line)
    }

    /// The first line that is more than an address or a separator (no code anywhere).
    static func firstExplanation(_ lines: [String], address: String) -> String? {
        lines.lazy.map { MimeText.trimmed($0) }
            .first {
                !$0.isEmpty && !DsnText.recipients(inLine: $0).contains(address) && $0.contains(where: \.isLetter)
                    && !$0.hasPrefix("---") && !$0.hasPrefix("===") && !$0.hasSuffix(":")
            }
            .map { String($0.prefix(300)) }
    }

    /// The line that carries the status code, else the first line mentioning an SMTP reply.
    static func diagnosticLine(_ lines: [String], status: String?) -> String? {
        let trimmed = lines.map { MimeText.trimmed($0) }.filter { !$0.isEmpty }
        let chosen = status.flatMap { code in trimmed.first { MimeText.contains($0, code) } }
            ?? trimmed.first { MimeText.contains($0, "said:") || hasReplyCode($0) }
        return chosen.map { String($0.prefix(300)) }
    }
}
