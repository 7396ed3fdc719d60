import DeliverySignals
import Foundation
import TrackingModel

/// Turns the lines of a tailed file into store writes inside a batch transaction.
protocol LineHandler: AnyObject {
    /// A batch transaction begins.
    func begin(_ tx: any IngestSession)
    /// One complete line (without newline) at byte `offset` of `path`.
    func handle(_ line: UnsafeRawBufferPointer, offset: Int64, path: String, report: inout PollReport) throws
    /// A line too long to read (skipped by the tailer): quarantined with its position.
    func handleOverlong(_ line: OverlongLine, limit: Int, report: inout PollReport) throws
    /// Writes what the handler held back, before the commit.
    func finish() throws
    /// The batch was not committed: forget what it held.
    func rollback()
}

/// Postfix log lines: parser + correlator, queue links in the store behind a write-back cache.
final class PostfixLineHandler: LineHandler {
    private let backing = StoreQueueLinks()
    private let cache: CachingQueueLinkStore
    private let ingestor: PostfixLogIngestor
    private let clock: @Sendable () -> Double
    private var tx: (any IngestSession)?

    init(source: PollerSource, clock: @escaping @Sendable () -> Double) {
        cache = CachingQueueLinkStore(backing: backing)
        self.clock = clock
        ingestor = PostfixLogIngestor(
            parser: PostfixLineParser(referenceTime: clock(), zone: source.timeZone),
            correlator: PostfixCorrelator(settings: PostfixCorrelatorSettings(smarthosts: source.smarthosts), links: cache))
    }

    func begin(_ tx: any IngestSession) {
        self.tx = tx
        backing.transaction = tx
        ingestor.parser.referenceTime = clock()
    }

    func handle(_ line: UnsafeRawBufferPointer, offset: Int64, path: String, report: inout PollReport) throws {
        guard let tx else { throw StoreQueueLinks.NoTransaction() }
        switch try ingestor.ingest(line, offset: offset, path: path) {
        case .events(let events):
            for event in events { try IngestApplier.apply(event, in: tx, report: &report) }
        case .quarantined(let item):
            try IngestApplier.quarantine(item, in: tx, report: &report)
        case .skipped:
            break
        }
    }

    func handleOverlong(_ line: OverlongLine, limit: Int, report: inout PollReport) throws {
        guard let tx else { throw StoreQueueLinks.NoTransaction() }
        let item = line.quarantined(source: PostfixCorrelator.source, position: String(line.offset), limit: limit)
        try IngestApplier.quarantine(item, in: tx, report: &report)
    }

    func finish() throws {
        try cache.flush()
        backing.transaction = nil
        tx = nil
    }

    func rollback() {
        cache.discard()
        backing.transaction = nil
        tx = nil
    }
}

/// Our JSON-lines events (see `JsonLinesEvents`), one per line; bad lines quarantined by byte offset.
final class JsonLinesHandler: LineHandler {
    private var tx: (any IngestSession)?

    func begin(_ tx: any IngestSession) { self.tx = tx }

    func handle(_ line: UnsafeRawBufferPointer, offset: Int64, path: String, report: inout PollReport) throws {
        guard let tx else { throw StoreQueueLinks.NoTransaction() }
        var batch = JsonLinesEvents.parse(line, path: path)
        for index in batch.quarantined.indices { batch.quarantined[index].position = "offset \(offset)" }
        try IngestApplier.apply(batch, in: tx, report: &report)
    }

    func handleOverlong(_ line: OverlongLine, limit: Int, report: inout PollReport) throws {
        guard let tx else { throw StoreQueueLinks.NoTransaction() }
        try IngestApplier.quarantine(
            line.quarantined(source: .jsonLines, position: "offset \(line.offset)", limit: limit), in: tx, report: &report)
    }

    func finish() { tx = nil }
    func rollback() { tx = nil }
}
