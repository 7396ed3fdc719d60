import DeliverySignals
import TrackingModel

/// Whole-document parsing by format: mails, mboxes and provider JSON documents.
public enum DocumentParsers {
    /// The parsed content of one document, or nil for formats read line by line
    /// (Postfix logs) or as folders (Maildir).
    public static func parse(_ bytes: [UInt8], format: FormatDetect.Format, path: String) -> IngestBatch? {
        switch format {
        case .mbox: return DsnMailbox.parseMbox(bytes, path: path)
        case .mail: return DsnMailbox.parseMail(bytes, path: path)
        case .mailgun: return MailgunEvents.parse(bytes, path: path)
        case .sendgrid: return SendGridEvents.parse(bytes, path: path)
        case .ses: return SesEvents.parse(bytes, path: path)
        case .postmark: return PostmarkEvents.parse(bytes, path: path)
        case .jsonLines: return JsonLinesEvents.parse(bytes, path: path)
        case .postfixLog, .maildir: return nil
        }
    }
}
