/// What one poll round (or one `chatter ingest`) did, in counts.
public struct PollReport: Sendable, Hashable {
    /// Events recorded on a tracking row.
    public var applied = 0
    /// Events (or unmatched events) whose (source, key) was already recorded.
    public var duplicate = 0
    /// Opens / clicks dropped by the ±10 s / ±5 s windows.
    public var suppressed = 0
    /// Events that tied to no tracking row (kept as unmatched).
    public var unmatched = 0
    /// Inputs that could not be parsed (kept in quarantine).
    public var quarantined = 0
    /// Parsed signals that are not delivery events (auto-replies, our own notifications...).
    public var ignored = 0
    /// Committed batches.
    public var batches = 0
    /// The latest timestamp among the events applied.
    public var lastEventTime: Double?

    public init() {}

    /// Every parsed item counted once.
    public var total: Int { applied + duplicate + suppressed + unmatched + quarantined + ignored }

    /// Adds another report's counts.
    public mutating func add(_ other: PollReport) {
        applied += other.applied
        duplicate += other.duplicate
        suppressed += other.suppressed
        unmatched += other.unmatched
        quarantined += other.quarantined
        ignored += other.ignored
        batches += other.batches
        if let t = other.lastEventTime { lastEventTime = max(lastEventTime ?? t, t) }
    }
}
