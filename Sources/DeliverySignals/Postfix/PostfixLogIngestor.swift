import TrackingModel

/// What became of one log line.
public enum PostfixLineOutcome: Sendable, Hashable {
    /// A Postfix line; its events (often none).
    case events([ParsedEvent])
    /// Input that looks like a log line but could not be parsed.
    case quarantined(QuarantineItem)
    /// Another program's line, or an empty one.
    case skipped
}

/// Counts of what a Postfix log reader saw (for progress lines and the ingest summary).
public struct PostfixIngestCounts: Sendable, Hashable {
    public var lines = 0
    /// Lines of other programs and empty lines.
    public var skipped = 0
    public var quarantined = 0
    /// Postfix lines that gave no event (links only, or no use at all).
    public var withoutEvent = 0
    public var events = 0

    public init() {}
}

/// One Postfix log source: parses lines, correlates them into events, quarantines bad ones.
///
/// Feed it the lines of `LogTailer` batches in order; the events, the
/// quarantined items, the `QueueLinkStore` writes and the batch cursor belong in
/// one transaction.
public final class PostfixLogIngestor {
    /// The parser; set `parser.referenceTime` to now (tailing) or the file's mtime (backfill).
    public var parser: PostfixLineParser
    public let correlator: PostfixCorrelator
    public private(set) var counts = PostfixIngestCounts()

    public init(parser: PostfixLineParser, correlator: PostfixCorrelator) {
        self.parser = parser
        self.correlator = correlator
    }

    /// Handles one line read at byte `offset` of `path`. Throws only what the link store throws.
    public func ingest(_ line: UnsafeRawBufferPointer, offset: Int64, path: String) throws -> PostfixLineOutcome {
        counts.lines += 1
        switch parser.scan(line) {
        case .notPostfix:
            counts.skipped += 1
            return .skipped
        case .malformed(let reason):
            counts.quarantined += 1
            return .quarantined(
                QuarantineItem(
                    source: PostfixCorrelator.source.rawValue, path: path, position: String(offset), reason: reason,
                    excerpt: PostfixLogIngestor.excerpt(line)))
        case .line(let scanned):
            if case .other = scanned.kind, !scanned.queueId.isPresent {
                // connect / disconnect / warnings...: nothing to link, no text to copy.
                counts.withoutEvent += 1
                return .events([])
            }
            guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .skipped }
            let events = try correlator.consume(scanned, PostfixBytes(base: base, count: line.count), path: path)
            if events.isEmpty { counts.withoutEvent += 1 }
            counts.events += events.count
            return .events(events)
        }
    }

    /// Handles one line given as text (tests, stdin).
    public func ingest(_ line: String, offset: Int64, path: String) throws -> PostfixLineOutcome {
        var copy = line
        return try copy.withUTF8 { try ingest(UnsafeRawBufferPointer($0), offset: offset, path: path) }
    }

    /// The first 200 bytes of the line without its newline, as text.
    static func excerpt(_ line: UnsafeRawBufferPointer) -> String {
        var end = min(line.count, 200)
        while end > 0, line[end - 1] == UInt8(ascii: "\n") || line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<end]), as: UTF8.self)
    }
}
