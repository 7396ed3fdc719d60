/// Puts parsed signals into the store inside a batch (`IngestRole.ingest`): tie-back, then
/// the event on its row, or the unmatched list, or the quarantine. The same glue for every
/// store and every reader (the poller's, `chatter ingest`'s, the webhooks').
public enum IngestApplier {
    /// Ties `event` back and applies it (or keeps it as unmatched); ignored signals are only counted.
    /// A signal whose time is outside `EventTime`'s window is quarantined with the reason.
    public static func apply(_ event: ParsedEvent, in tx: any IngestSession, report: inout PollReport) throws {
        guard case .event(let type) = event.kind else {
            report.ignored += 1
            return
        }
        if let item = event.outOfWindow(type: type, now: tx.now) {
            try quarantine(item, in: tx, report: &report)
            return
        }
        switch try tx.resolve(keys(of: event)) {
        case .tracking(let trackingId, _):
            switch try tx.apply(newEvent(event, type: type, trackingId: trackingId)) {
            case .applied:
                report.applied += 1
                report.lastEventTime = max(report.lastEventTime ?? event.timestamp, event.timestamp)
            case .duplicate: report.duplicate += 1
            case .suppressed: report.suppressed += 1
            case .unknownTracking:
                // Deleted between resolution and application: keep it rather than lose it.
                try keepUnmatched(event, type: type, reason: "tracking \(trackingId) vanished", tx, &report)
            }
        case .unresolved(let reason):
            try keepUnmatched(event, type: type, reason: reason, tx, &report)
        }
    }

    /// Keeps input that could not be parsed.
    public static func quarantine(_ item: QuarantineItem, in tx: any IngestSession, report: inout PollReport) throws {
        try tx.quarantine(
            QuarantineItem(
                source: item.source, path: item.path, position: item.position, reason: item.reason, excerpt: item.excerpt))
        report.quarantined += 1
    }

    /// Applies a parser's whole batch.
    public static func apply(_ batch: IngestBatch, in tx: any IngestSession, report: inout PollReport) throws {
        for event in batch.events { try apply(event, in: tx, report: &report) }
        for item in batch.quarantined { try quarantine(item, in: tx, report: &report) }
    }

    private static func keepUnmatched(
        _ e: ParsedEvent, type: EventType, reason: String, _ tx: any IngestSession, _ report: inout PollReport
    ) throws {
        let kept = try tx.recordUnmatched(
            UnmatchedEvent(
                source: e.source.rawValue, key: e.key, path: e.path, type: type.rawValue, timestamp: e.timestamp,
                recipient: e.recipient, status: e.status, bounceType: e.bounceType?.rawValue, eventReason: e.cause?.rawValue,
                description: e.description, machine: e.machine, keys: keys(of: e), reason: reason))
        if kept { report.unmatched += 1 } else { report.duplicate += 1 }
    }

    /// The store's tie-back keys of a parsed signal.
    public static func keys(of e: ParsedEvent) -> TieBackKeys {
        var keys = e.tieBack
        if keys.recipient == nil { keys.recipient = e.recipient }
        return keys
    }

    /// The store event of a parsed signal: the parser's details, with the status, reply
    /// text and bounce type filled in where the parser left them to the event itself.
    public static func newEvent(_ e: ParsedEvent, type: EventType, trackingId: Int64) -> NewEvent {
        var d = e.details
        if d.recipient == nil { d.recipient = e.recipient }
        if d.bounceType == nil { d.bounceType = e.bounceType?.rawValue }
        switch type {
        case .hardBounce, .softBounce:
            if d.bounceType == nil { d.bounceType = BounceType(of: type)?.rawValue }
            if d.bounceDescription == nil { d.bounceDescription = e.description }
            if d.errorType == nil { d.errorType = e.status }
        case .deferral, .reject, .error, .spam:
            if d.errorType == nil { d.errorType = e.status ?? e.cause?.rawValue }
            if d.errorDescription == nil { d.errorDescription = e.description }
        case .sent, .delivered, .open, .click, .unsub, .retry:
            break
        }
        return NewEvent(
            trackingId: trackingId, type: type, timestamp: e.timestamp, source: e.source.rawValue, key: e.key,
            machine: e.machine, details: d)
    }
}
