import TrackingModel

/// Reads one source in committed batches. Not thread-safe: one reader per source, used by one poller thread.
protocol SourceReader: AnyObject {
    /// The store name of the source (cursor, processed items).
    var name: String { get }
    /// Reads and commits one batch of at most `batchSize` items; `more` when input is waiting.
    ///
    /// On a throw nothing of the batch was kept and the reader starts again from what is committed.
    func step(store: any IngestRole) throws -> (report: PollReport, more: Bool)
    /// How far the reader is, in bytes, and out of how many (progress of `chatter ingest`); nil when unknown.
    var progress: (done: Int64, total: Int64)? { get }
    /// Problems of the last step that did not undo it (a processed mail that could not be moved), for the log.
    var warnings: [String] { get }
}

extension SourceReader {
    var warnings: [String] { [] }
}
