import DeliverySignals
import Foundation
import TrackingModel

/// `chatter ingest --dry-run`: parses a path without any store and hands out every
/// parsed event and quarantined input (queue links kept in memory).
public enum DryRunIngest {
    /// Parses `path` (format detected when nil), calling `event` / `quarantined` in input order.
    ///
    /// A folder that is not a Maildir is read file by file (each detected by its content unless
    /// `format` is given), as `chatter ingest` reads it; a gzip file is read inflated.
    public static func run(
        path: String, format: FormatDetect.Format?, maxMailBytes: Int = MaildirReader.defaultMaxMailBytes,
        event parsed: (ParsedEvent) -> Void, quarantined: (QuarantineItem) -> Void
    ) throws {
        // An event at an absurd time is quarantined, as the ingest would (see `EventTime`).
        let now = Date().timeIntervalSince1970
        func event(_ e: ParsedEvent) {
            if case .event(let type) = e.kind, let item = e.outOfWindow(type: type, now: now) {
                quarantined(item)
            } else {
                parsed(e)
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SourceProblem(source: path, reason: "does not exist")
        }
        let detected = format ?? SourceReaders.detect(path)
        if isDirectory.boolValue, detected != .maildir {
            guard let files = DocumentReader.folderFiles(path) else { throw SourceProblem(source: path, reason: "cannot be listed") }
            for file in files where FileIdentity.of(path: file) != nil {
                try runFile(file, format: format, event: event, quarantined: quarantined)
            }
            return
        }
        guard let detected else { throw SourceProblem(source: path, reason: "unknown format (give --format)") }
        if detected == .maildir {
            let batches: [(mail: MaildirReader.Mail, batch: IngestBatch)]
            do { batches = try DsnMailbox.parseMaildir(MaildirReader(root: path, maxMailBytes: maxMailBytes), seen: []) } catch {
                throw SourceProblem(source: path, reason: String(describing: error))
            }
            for item in batches {
                item.batch.events.forEach(event)
                item.batch.quarantined.forEach(quarantined)
            }
            return
        }
        try runFile(path, format: detected, event: event, quarantined: quarantined)
    }

    /// One file: a line format is read line by line, anything else whole. A file of a folder whose
    /// format cannot be told is quarantined (as `chatter ingest` does), not fatal.
    private static func runFile(
        _ path: String, format: FormatDetect.Format?, event: (ParsedEvent) -> Void, quarantined: (QuarantineItem) -> Void
    ) throws {
        guard let format = format ?? SourceReaders.detect(path) else {
            guard let head = FileContent.head(path, count: 200) else { throw SourceProblem(source: path, reason: "cannot be read") }
            quarantined(
                QuarantineItem(
                    source: "events", path: path, position: "0", reason: "unknown format",
                    excerpt: String(decoding: head, as: UTF8.self)))
            return
        }
        switch format {
        case .postfixLog:
            let mtime = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)??
                .timeIntervalSince1970 ?? Date().timeIntervalSince1970
            let ingestor = PostfixLogIngestor(
                parser: PostfixLineParser(referenceTime: mtime),
                correlator: PostfixCorrelator(links: InMemoryQueueLinkStore()))
            try readLines(
                path,
                overlong: { line, limit in
                    quarantined(line.quarantined(source: PostfixCorrelator.source, position: String(line.offset), limit: limit))
                }
            ) { line, offset, file in
                switch try ingestor.ingest(line, offset: offset, path: file) {
                case .events(let events): events.forEach(event)
                case .quarantined(let item): quarantined(item)
                case .skipped: break
                }
            }
        case .jsonLines:
            try readLines(
                path, overlong: { line, limit in quarantined(line.quarantined(source: .jsonLines, position: "offset \(line.offset)", limit: limit)) }
            ) { line, offset, file in
                let batch = JsonLinesEvents.parse(line, path: file)
                batch.events.forEach(event)
                for var item in batch.quarantined {
                    item.position = "offset \(offset)"
                    quarantined(item)
                }
            }
        case .maildir:
            throw SourceProblem(source: path, reason: "a Maildir is a folder")
        case .mbox, .mail, .mailgun, .sendgrid, .ses, .postmark:
            guard let bytes = FileContent.all(path) else { throw SourceProblem(source: path, reason: "cannot be read") }
            if let batch = DocumentParsers.parse(bytes, format: format, path: path) {
                batch.events.forEach(event)
                batch.quarantined.forEach(quarantined)
            }
        }
    }

    /// Every complete line of a file (plain or gzip), without its newline, to its end; lines
    /// too long to read go to `overlong` with the limit.
    private static func readLines(
        _ path: String, overlong: (OverlongLine, Int) -> Void, _ body: (UnsafeRawBufferPointer, Int64, String) throws -> Void
    ) throws {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw SourceProblem(source: path, reason: "cannot be read")
        }
        let options = LogTailerOptions(backfillRotated: false)
        let tailer = LogTailer(path: path, cursor: nil, options: options)
        repeat {
            try tailer.read(maxLines: 10_000, overlong: { overlong($0, options.maxLineLength) }, body)
        } while tailer.stoppedAtLimit
    }
}
