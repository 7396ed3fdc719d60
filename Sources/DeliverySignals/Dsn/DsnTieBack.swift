import MailFormat
import TrackingModel
import Foundation

/// Collects the tie-back keys of a bounce or complaint mail (README, "Delivery signals": tie-back).
public enum DsnTieBack {
    /// The header names that carry our tracking id, strongest first. `X-Tracking-ID`
    /// is what the lab captures use; `X-Chatter-Tracking-ID` is what chatter sends.
    public static let trackingHeaders = [trackingHeaderName, "X-Tracking-ID"]

    /// The headers of the DSN itself where the VERP envelope sender shows up.
    public static let verpHeaders = ["X-Original-To", "Delivered-To", "To"]

    /// The VERP token from the first of `verpHeaders` that carries one.
    public static func verpToken(in headers: MimeHeaders) -> String? {
        for name in verpHeaders {
            for value in headers.all(name) {
                for address in DsnAddress.list(value) {
                    if let token = DsnAddress.verpToken(address) { return token }
                }
            }
        }
        return nil
    }

    /// Message-ID and tracking id of the returned original (`message/rfc822` or
    /// `text/rfc822-headers` part), or found as header lines in inline text (legacy
    /// Gmail, qmail: the original is pasted below a marker line).
    public static func returnedIds(in mail: MimeMessage) -> (messageId: String?, trackingId: String?) {
        for part in mail.ownParts {
            if let attached = part.attached {
                let messageId = DsnAddress.messageId(attached.headers["Message-ID"])
                let trackingId = trackingId(in: attached.headers)
                if messageId != nil || trackingId != nil { return (messageId, trackingId) }
            }
        }
        for part in mail.ownParts where part.parts.isEmpty && part.contentType.mimeType == "text/plain" {
            let found = inlineHeaders(part.text)
            if found.messageId != nil || found.trackingId != nil { return found }
        }
        return (nil, nil)
    }

    /// Our tracking header's value in `headers`.
    public static func trackingId(in headers: MimeHeaders) -> String? {
        for name in trackingHeaders {
            if let value = headers[name].map({ MimeText.trimmed($0) }), !value.isEmpty { return value }
        }
        return nil
    }

    /// Header lines (`Message-ID: <...>`, `X-Tracking-ID: ...`) quoted in plain text.
    static func inlineHeaders(_ text: String) -> (messageId: String?, trackingId: String?) {
        var messageId: String?
        var trackingId: String?
        let wantedTracking = trackingHeaders.map { $0.lowercased() + ":" }
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            let line = MimeText.trimmed(rawLine)
            let lower = line.lowercased()
            if messageId == nil, lower.hasPrefix("message-id:") {
                messageId = DsnAddress.messageId(String(line.dropFirst("message-id:".count)))
            }
            if trackingId == nil, let prefix = wantedTracking.first(where: { lower.hasPrefix($0) }) {
                let value = MimeText.trimmed(line.dropFirst(prefix.count))
                if !value.isEmpty { trackingId = value }
            }
        }
        return (messageId, trackingId)
    }
}
