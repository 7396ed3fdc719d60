import Foundation

/// Guesses the format of an input for `chatter ingest` when `--format` is not given.
public enum FormatDetect {
    /// The input formats chatter can ingest.
    public enum Format: String, Sendable, CaseIterable {
        case postfixLog = "postfix"
        case mbox
        /// One mail (`.eml`): a DSN, an ARF report, an auto-reply...
        case mail = "eml"
        case maildir
        case mailgun
        case sendgrid
        case ses
        case postmark
        case jsonLines = "jsonl"
    }

    /// How many leading bytes `detect` wants to see.
    public static let sniffLength = 4096

    /// The format of `path` given its first bytes (up to `sniffLength`); nil when unknown.
    ///
    /// A directory with `new/` or `cur/` is a Maildir. Otherwise the content decides,
    /// the file extension only breaks ties: provider JSON by its marker keys
    /// (`event-data` / `items` + `paging` → Mailgun, `sg_event_id` / `"event"` in an
    /// array → SendGrid, `eventType` / `notificationType` / `TopicArn` → SES, `RecordType`
    /// → Postmark), JSON lines with a `type` key → ours; `From ` first → mbox; header
    /// fields first → a single mail; syslog or RFC 3339 lines naming `postfix/` → a
    /// Postfix log. Give the inflated first bytes of a gzip file (and its name without `.gz`).
    public static func detect(path: String, firstBytes: [UInt8]) -> Format? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            let manager = FileManager.default
            let isMaildir = ["new", "cur"].contains { manager.fileExists(atPath: (path as NSString).appendingPathComponent($0)) }
            return isMaildir ? .maildir : nil
        }
        let lowerPath = path.lowercased()
        if firstBytes.starts(with: [0x1F, 0x8B]) {
            // Still compressed: the caller could not inflate it (callers pass the inflated head, see
            // `SourceReaders.detect`); only the name is left to go by.
            return lowerPath.contains("postfix") || lowerPath.contains("mail") ? .postfixLog : nil
        }
        let text = String(decoding: firstBytes.prefix(sniffLength), as: UTF8.self)
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") { return jsonFormat(String(trimmed), path: lowerPath) }
        if text.hasPrefix("From ") { return .mbox }
        let firstLine = String(text.prefix { $0 != "\n" && $0 != "\r" })
        if firstLine.contains(" postfix/") || firstLine.contains(" postfix[") || firstLine.contains(" postlog") {
            return .postfixLog
        }
        if looksLikeHeader(firstLine) { return .mail }
        if lowerPath.hasSuffix(".eml") { return .mail }
        if lowerPath.hasSuffix(".mbox") { return .mbox }
        if lowerPath.hasSuffix(".log") || lowerPath.contains("mail.log") || lowerPath.contains("maillog") {
            return .postfixLog
        }
        return nil
    }

    private static func jsonFormat(_ text: String, path: String) -> Format? {
        if text.contains("\"event-data\"") || (text.contains("\"items\"") && text.contains("\"paging\"")) {
            return .mailgun
        }
        if text.contains("\"RecordType\"") { return .postmark }
        if text.contains("\"eventType\"") || text.contains("\"notificationType\"") || text.contains("\"TopicArn\"")
            || text.contains("\\\"eventType\\\"") || text.contains("\\\"notificationType\\\"")
        {
            return .ses
        }
        if text.contains("\"sg_event_id\"") || (text.hasPrefix("[") && text.contains("\"event\"") && text.contains("\"email\"")) {
            return .sendgrid
        }
        if text.contains("\"type\"") || path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") { return .jsonLines }
        if text.contains("\"event\"") && text.contains("\"recipient\"") { return .mailgun }
        return nil
    }

    /// `Name: value` with a plausible field name (RFC 5322 ftext, no blanks).
    private static func looksLikeHeader(_ line: String) -> Bool {
        guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { return false }
        return line[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}
