import Foundation
import TrackingStore

/// `chatter ingest`: reads one path (any format) into the store in committed batches,
/// resuming from its saved cursor / processed items after an interruption.
public final class OneShotIngest {
    /// The source the path is read as (an `events` source: the format decides the reader).
    public let source: PollerSource
    private let store: TrackingStore
    private let reader: any SourceReader

    /// - Parameter fromStart: forget the path's cursor and processed items first (re-reading
    ///   gives duplicates, which the store ignores).
    public init(
        store: TrackingStore, path: String, format: FormatDetect.Format?, batchSize: Int = 1000, fromStart: Bool = false,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) throws {
        self.store = store
        source = PollerSource(kind: .events, path: path, format: format, batchSize: batchSize, backfillRotated: false)
        if fromStart { try store.resetSource(source.name) }
        reader = SourceReaders.make(source, clock: clock)
    }

    /// Bytes read so far and the file's size, when the reader knows (line formats).
    public var progress: (done: Int64, total: Int64)? { reader.progress }

    /// Reads until the input is exhausted; `onBatch` gets the running totals after every commit.
    public func run(onBatch: (PollReport) -> Void = { _ in }) throws -> PollReport {
        var total = PollReport()
        while true {
            let (report, more) = try reader.step(store: store)
            total.add(report)
            if report.batches > 0 { onBatch(total) }
            if !more { return total }
        }
    }
}

/// `chatter ingest --dry-run`: parses a path without any store and hands out every
/// parsed event and quarantined input (queue links kept in memory).
public enum DryRunIngest {
    /// Parses `path` (format detected when nil), calling `event` / `quarantined` in input order.
    public static func run(
        path: String, format: FormatDetect.Format?, event: (ParsedEvent) -> Void, quarantined: (Quarantined) -> Void
    ) throws {
        guard let format = format ?? SourceReaders.detect(path) else {
            throw SourceProblem(source: path, reason: FileManager.default.fileExists(atPath: path)
                ? "unknown format (give --format)" : "does not exist")
        }
        switch format {
        case .postfixLog:
            let mtime = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)??
                .timeIntervalSince1970 ?? Date().timeIntervalSince1970
            let ingestor = PostfixLogIngestor(
                parser: PostfixLineParser(referenceTime: mtime),
                correlator: PostfixCorrelator(links: InMemoryQueueLinkStore()))
            try readLines(path) { line, offset, file in
                switch try ingestor.ingest(line, offset: offset, path: file) {
                case .events(let events): events.forEach(event)
                case .quarantined(let item): quarantined(item)
                case .skipped: break
                }
            }
        case .jsonLines:
            try readLines(path) { line, offset, file in
                let batch = JsonLinesEvents.parse(line, path: file)
                batch.events.forEach(event)
                for var item in batch.quarantined {
                    item.position = "offset \(offset)"
                    quarantined(item)
                }
            }
        case .maildir:
            let batches: [(mail: MaildirReader.Mail, batch: IngestBatch)]
            do { batches = try DsnMailbox.parseMaildir(MaildirReader(root: path), seen: []) } catch {
                throw SourceProblem(source: path, reason: String(describing: error))
            }
            for item in batches {
                item.batch.events.forEach(event)
                item.batch.quarantined.forEach(quarantined)
            }
        case .mbox, .mail, .mailgun, .sendgrid, .ses, .postmark:
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SourceProblem(source: path, reason: "cannot be read")
            }
            if let batch = DocumentParsers.parse(Array(data), format: format, path: path) {
                batch.events.forEach(event)
                batch.quarantined.forEach(quarantined)
            }
        }
    }

    /// Every complete line of a file (plain or gzip), without its newline.
    private static func readLines(_ path: String, _ body: (UnsafeRawBufferPointer, Int64, String) throws -> Void) throws {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw SourceProblem(source: path, reason: "cannot be read")
        }
        let tailer = LogTailer(path: path, cursor: nil, options: LogTailerOptions(backfillRotated: false))
        var before = tailer.cursor()
        while true {
            var lines = 0
            let after = try tailer.read(maxLines: 10_000) { line, offset, file in
                lines += 1
                try body(line, offset, file)
            }
            if lines == 0 && after == before { return }
            before = after
        }
    }
}
