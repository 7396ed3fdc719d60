import MailFormat
import TrackingModel

/// Runs whole bounce mailboxes through `DsnParser`: an mbox file or one `.eml` file, each
/// as one `IngestBatch` (the mails of a Maildir: EventIngest's `DsnMailbox.parseMaildir`).
public enum DsnMailbox {
    /// Every mail of an mbox; quarantine positions are the byte offsets of the `From ` lines.
    public static func parseMbox<C: Collection<UInt8>>(_ data: C, path: String, receivedAt: Double? = nil) -> IngestBatch {
        var batch = IngestBatch()
        for entry in MimeMbox.split(data) {
            batch.append(parseMail(entry.bytes, path: path, position: "offset \(entry.offset)", receivedAt: receivedAt))
        }
        return batch
    }

    /// One mail (an `.eml` file, a Maildir file).
    public static func parseMail<C: Collection<UInt8>>(
        _ bytes: C, path: String, position: String = "0", receivedAt: Double? = nil
    ) -> IngestBatch {
        do {
            return IngestBatch(
                events: try DsnParser.parse(bytes, path: path, position: position, receivedAt: receivedAt))
        } catch {
            return IngestBatch(quarantined: [error])
        }
    }
}
