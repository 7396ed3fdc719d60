import Foundation
import MailFormat
import TrackingModel

/// How outgoing mail is dressed: the sender address, the pixel.
public struct MailSettings: Sendable, Hashable {
    /// The From address (`--from`); nil: the author's own address.
    public var fromAddress: String?
    /// Where `chatter serve` answers (`--base-url`); the pixel URL is built under it.
    public var pixelBaseURL: String
    /// False with `--no-pixel` (the global `tracking_img_disabled`).
    public var pixelEnabled: Bool

    public init(fromAddress: String? = nil, pixelBaseURL: String = "http://127.0.0.1:8025", pixelEnabled: Bool = true) {
        self.fromAddress = fromAddress
        self.pixelBaseURL = pixelBaseURL
        self.pixelEnabled = pixelEnabled
    }
}

/// One mail ready for a transport: envelope and RFC 5322 bytes (CRLF, not dot-stuffed).
public struct OutgoingMail: Sendable, Hashable {
    /// VERP envelope sender `bounce+TOKEN@domain`, so bounces tie back: the row's
    /// token, or for a shared mail the message's shared token (the DSN names the recipient).
    public var envelopeFrom: String
    /// The envelope recipients (RCPT TO), in the order of the jobs the mail was
    /// built from: one for one mail per recipient, several for a shared mail.
    public var recipients: [String]
    public var data: [UInt8]
    /// An address needs SMTPUTF8 (non-ASCII in the envelope).
    public var needsSMTPUTF8: Bool
    /// The DSN envelope id (`ENVID`): tracking and outbox entry, or the message's shared token.
    public var envelopeId: String
    /// One mail to every recipient with one shared pixel (the message's mode).
    public var shared: Bool
    /// The pixel URL in the HTML part (a shared mail's one URL); nil without a pixel.
    /// The sender stores it on the accepted rows, so listings show what the mail carried.
    public var pixelURL: String?
}

/// Why a mail could not be built.
public enum MailBuildError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The tracking row has no address.
    case noRecipientAddress
    /// Neither `--from` nor the author gives a usable sender address.
    case noSenderAddress(String)
    /// The jobs are not one mail: several, but not of one shared-mail message attempt.
    case notOneMail(String)

    public var description: String {
        switch self {
        case .noRecipientAddress: return "the recipient has no address"
        case .noSenderAddress(let why): return "no sender address: \(why)"
        case .notOneMail(let why): return "not one mail: \(why)"
        }
    }
}

/// Builds the mail of one outbox job (RFC 5322 / MIME): a text part and its HTML
/// alternative, UTF-8 throughout (RFC 2047 headers, quoted-printable bodies), the
/// Message-ID of the attempt, In-Reply-To / References within the thread, our
/// tracking header, and the pixel in the HTML part unless it is switched off.
///
/// A message sent as one shared mail (`OutboxJob.sharedToken`) gets one mail
/// for all the jobs claimed together: To / Cc as typed, one RCPT per job, and
/// the message's shared token where a row's would be (tracking header, VERP
/// sender, ENVID, pixel URL), since the mail cannot name one row. Its pixel is
/// shared: an open on it may be any recipient's (see `recordPixelOpen`).
public enum MailBuilder {
    /// The VERP envelope sender `bounce+TOKEN@domain-of-fromAddress` (legacy rows without a
    /// token: `bounce+tID@…`; a shared mail: the message's shared token), or nil when
    /// `fromAddress` has no domain. Reconciliation looks for it in the Postfix log too.
    public static func envelopeSender(token: String?, trackingId: Int64, fromAddress: String) -> String? {
        guard let at = fromAddress.lastIndex(of: "@") else { return nil }
        return "bounce+\(token ?? "t\(trackingId)")@\(fromAddress[fromAddress.index(after: at)...])"
    }

    /// The mail of one job.
    public static func build(_ job: OutboxJob, settings: MailSettings) throws(MailBuildError) -> OutgoingMail {
        try build([job], settings: settings)
    }

    /// The one mail of the jobs `claimDueMail` claimed together (a single job,
    /// or the recipients of a shared-mail message attempt).
    public static func build(_ jobs: [OutboxJob], settings: MailSettings) throws(MailBuildError) -> OutgoingMail {
        guard let job = jobs.first else { throw .noRecipientAddress }
        var addresses: [String] = []
        for j in jobs {
            guard let address = j.address, !address.isEmpty else { throw .noRecipientAddress }
            addresses.append(address)
        }
        let sharedToken = job.sharedToken
        if jobs.count > 1 {
            guard sharedToken != nil else { throw .notOneMail("\(jobs.count) jobs of a message sent one mail per recipient") }
            guard jobs.allSatisfy({ $0.messageRowId == job.messageRowId && $0.messageIdHeader == job.messageIdHeader })
            else { throw .notOneMail("the jobs are not of one message attempt") }
        }
        guard let fromAddress = settings.fromAddress ?? job.authorEmail,
            let verp = envelopeSender(token: sharedToken ?? job.token, trackingId: job.trackingId, fromAddress: fromAddress)
        else {
            throw .noSenderAddress("pass --from ADDRESS (the author has no address)")
        }

        var h: [String] = []
        h.append("Date: " + rfc5322Date(job.date))
        h.append("From: " + MimeEncoding.phrase(job.authorName) + " <\(fromAddress)>")
        let to = addressList(job.emailTo)
        let cc = addressList(job.emailCc)
        let typedOrRecipients = jobs.map { mailbox(name: nil, address: $0.recipient, raw: true) }.joined(separator: ",\r\n ")
        h.append("To: " + (to.isEmpty && cc.isEmpty ? typedOrRecipients : to))
        if !cc.isEmpty { h.append("Cc: " + cc) }
        h.append("Subject: " + MimeEncoding.headerText(job.subject))
        h.append("Message-ID: <\(job.messageIdHeader)>")
        if let parent = job.references.last {
            h.append("In-Reply-To: <\(parent)>")
            h.append("References: " + job.references.map { "<\($0)>" }.joined(separator: "\r\n "))
        }
        h.append("\(trackingHeaderName): \(sharedToken ?? String(job.trackingId))")
        h.append("MIME-Version: 1.0")
        let boundary = "=_chatter_\(job.trackingId)_\(job.id)_\(job.attempt)"
        h.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")

        var html = "<div>" + MimeEncoding.htmlEscape(job.body).replacingOccurrences(of: "\n", with: "<br>\n") + "</div>"
        var pixelURL: String?
        if settings.pixelEnabled && !job.pixelDisabled {
            let url = PixelLink.url(base: settings.pixelBaseURL, trackingId: job.trackingId, token: sharedToken ?? job.token)
            pixelURL = url
            html += "\n<img src=\"\(MimeEncoding.htmlEscape(url))\" width=\"1\" height=\"1\" alt=\"\" style=\"border:0\">"
        }
        var text = h.joined(separator: "\r\n") + "\r\n\r\n"
        text += "This is a multipart message in MIME format.\r\n"
        for (type, content) in [("text/plain", job.body), ("text/html", "<!DOCTYPE html>\n<html><body>\n" + html + "\n</body></html>")] {
            text += "--\(boundary)\r\nContent-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            text += MimeEncoding.quotedPrintable(content)
        }
        text += "--\(boundary)--\r\n"
        let needsUTF8 = !((addresses + [verp]).allSatisfy { $0.utf8.allSatisfy { $0 < 128 } })
        return OutgoingMail(
            envelopeFrom: verp, recipients: addresses, data: Array(text.utf8), needsSMTPUTF8: needsUTF8,
            envelopeId: sharedToken ?? "chatter-\(job.trackingId)-\(job.id)", shared: sharedToken != nil,
            pixelURL: pixelURL)
    }

    /// A typed address list re-rendered with encoded display names; unparsable text is left out.
    static func addressList(_ raw: String) -> String {
        guard !raw.trimmingCharacters(in: .whitespaces).isEmpty, case .success(let boxes) = AddressParser.parseList(raw)
        else { return "" }
        return boxes.map { mailbox(name: $0.displayName, address: $0.address, raw: false) }.joined(separator: ",\r\n ")
    }

    private static func mailbox(name: String?, address: String, raw: Bool) -> String {
        if raw, case .success(let boxes) = AddressParser.parseList(address), let b = boxes.first {
            return mailbox(name: b.displayName, address: b.address, raw: false)
        }
        guard let name, !name.isEmpty else { return "<\(address)>" }
        return MimeEncoding.phrase(name) + " <\(address)>"
    }

    /// `Tue, 25 Nov 2026 13:43:26 +0000`.
    static func rfc5322Date(_ t: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return f.string(from: Date(timeIntervalSince1970: t))
    }
}
