import Foundation
import TrackingModel

/// `chatter ingest`: reads one path (any format) into the store in committed batches,
/// resuming from its saved cursor / processed items after an interruption.
public final class OneShotIngest {
    /// The source the path is read as (an `events` source: the format decides the reader).
    public let source: PollerSource
    private let store: any IngestRole
    private let reader: any SourceReader

    /// - Parameters:
    ///   - fromStart: forget the path's cursor and processed items first (re-reading
    ///   gives duplicates, which the store ignores).
    ///   - maxMailBytes: the size cap of a Maildir's mails (see `MaildirReader`).
    public init(
        store: any IngestRole, path: String, format: FormatDetect.Format?, batchSize: Int = 1000, fromStart: Bool = false,
        maxMailBytes: Int = MaildirReader.defaultMaxMailBytes,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) throws {
        self.store = store
        source = PollerSource(
            kind: .events, path: path, format: format, batchSize: batchSize, backfillRotated: false,
            maxMailBytes: maxMailBytes)
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
