/// What became of one event given to the store.
public enum ApplyOutcome: Sendable, Hashable {
    /// Recorded; `stateChanged` tells whether the row's state moved.
    case applied(stateChanged: Bool)
    /// Its (source, key) was already recorded: ignored, so re-ingestion is harmless.
    case duplicate
    /// An open within ±10 s of another open, or a click within ±5 s on the same url: dropped.
    case suppressed
    /// No tracking row with that id.
    case unknownTracking
}

/// Counts of a batch application, the same on every store.
public struct ApplyReport: Sendable, Hashable {
    public var applied = 0
    public var stateChanges = 0
    public var duplicates = 0
    public var suppressed = 0
    public var unknownTracking = 0
    /// How many times the batch was rolled back and run again (a server store's
    /// serialization failure or deadlock; always 0 on SQLite, whose writer is alone).
    public var retries = 0

    public init() {}

    /// Counts one event's outcome.
    public mutating func count(_ outcome: ApplyOutcome) {
        switch outcome {
        case .applied(let changed):
            applied += 1
            if changed { stateChanges += 1 }
        case .duplicate: duplicates += 1
        case .suppressed: suppressed += 1
        case .unknownTracking: unknownTracking += 1
        }
    }
}

/// A source's reading position, committed together with the events read up to it.
public struct SourceCursor: Sendable, Hashable {
    /// The source's name (e.g. `postfix:/var/log/postfix.log`).
    public var source: String
    /// Opaque to the store (the reader's own encoding, e.g. JSON).
    public var value: String

    public init(source: String, value: String) {
        self.source = source
        self.value = value
    }
}
