import Foundation

/// Chooses the reader of a configured source.
enum SourceReaders {
    /// - A `postfix-log` source is tailed across rotations.
    /// - A `maildir` source reads its unseen mails.
    /// - An `events` source: a JSON-lines or Postfix file is tailed (resumable, appends
    ///   are picked up), a Maildir is read as one, anything else (provider JSON, mails,
    ///   mboxes, folders of them) is applied per document.
    static func make(_ source: PollerSource, clock: @escaping @Sendable () -> Double) -> any SourceReader {
        switch source.kind {
        case .postfixLog:
            return postfixLog(source, clock: clock)
        case .maildir:
            return maildir(source)
        case .mailgunApi:
            return MailgunApiReader(
                name: source.name,
                settings: MailgunApiReader.Settings(
                    url: source.path, apiKeyEnv: source.apiKeyEnv, settle: source.settle, interval: source.fetchInterval,
                    pageSize: min(300, source.batchSize)),
                clock: clock)
        case .events:
            switch source.format ?? detect(source.path) {
            case .jsonLines:
                return TailedFileReader(
                    name: source.name, path: source.path, handler: JsonLinesHandler(), batchSize: source.batchSize,
                    backfillRotated: source.backfillRotated)
            case .postfixLog:
                return postfixLog(source, clock: clock)
            case .maildir:
                return maildir(source)
            case .mbox, .mail, .mailgun, .sendgrid, .ses, .postmark, nil:
                return DocumentReader(
                    name: source.name, path: source.path, format: source.format, batchSize: source.batchSize)
            }
        }
    }

    /// A Postfix log tailed across rotations.
    private static func postfixLog(_ source: PollerSource, clock: @escaping @Sendable () -> Double) -> any SourceReader {
        TailedFileReader(
            name: source.name, path: source.path, handler: PostfixLineHandler(source: source, clock: clock),
            batchSize: source.batchSize, backfillRotated: source.backfillRotated)
    }

    /// A Maildir's unseen mails.
    private static func maildir(_ source: PollerSource) -> any SourceReader {
        MaildirSourceReader(
            name: source.name, root: source.path, doneFolder: source.doneFolder, batchSize: source.batchSize,
            maxMailBytes: source.maxMailBytes)
    }

    /// The format of a single file (nil for folders that are not Maildirs and unknown content).
    static func detect(_ path: String) -> FormatDetect.Format? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return FormatDetect.detect(path: path, firstBytes: []) }
        // A gzip file is detected by what it holds (a rotated log, events, a mail), named without `.gz`.
        guard let head = FileContent.head(path, count: FormatDetect.sniffLength) else { return nil }
        return detect(FileContent.innerName(path), firstBytes: head)
    }

    /// `FormatDetect`, then the file extension when the content says nothing (a JSON-lines
    /// file whose first line is broken is still JSON lines: its bad lines get quarantined).
    static func detect(_ path: String, firstBytes: [UInt8]) -> FormatDetect.Format? {
        if let format = FormatDetect.detect(path: path, firstBytes: firstBytes) { return format }
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonLines }
        return nil
    }
}
