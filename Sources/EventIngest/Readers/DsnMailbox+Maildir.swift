import DeliverySignals
import TrackingModel

/// The mails of a Maildir through `DsnMailbox` (the reading is here; the parsing is pure).
extension DsnMailbox {
    /// The mails of a Maildir whose identity is not in `seen`; each batch carries the
    /// mail it came from, so the caller can record the identity (and move the file to a
    /// done folder) in the same transaction as the events.
    public static func parseMaildir(_ reader: MaildirReader, seen: Set<String>) throws(MaildirReader.Failure)
        -> [(mail: MaildirReader.Mail, batch: IngestBatch)]
    {
        try reader.unseenMails(seen: seen).map { mail in (mail, parseMaildirMail(mail)) }
    }

    /// One mail of a Maildir. A mail above the reader's size cap was read only as far as the
    /// cap: its headers and delivery report come first, so that prefix is read; when it holds
    /// no failure or complaint (the report was past the cap, or the mail is no report at all)
    /// the mail is quarantined as too large instead of being judged on part of it.
    public static func parseMaildirMail(_ mail: MaildirReader.Mail) -> IngestBatch {
        // Maildir names start with the delivery time in epoch seconds: the fallback date.
        let delivered = Double(mail.identity.prefix { $0.isNumber })
        let batch = parseMail(mail.bytes, path: mail.path, position: mail.identity, receivedAt: delivered)
        guard mail.isTruncated else { return batch }
        let found = batch.events.contains { event in
            switch event.kind {
            case .event: return true
            case .ignored: return false
            }
        }
        if found { return batch }
        return IngestBatch(quarantined: [
            QuarantineItem(
                source: "dsn", path: mail.path, position: mail.identity, reason: "mail too large (\(mail.size) bytes)",
                excerpt: String(decoding: mail.bytes.prefix(200), as: UTF8.self))
        ])
    }
}
