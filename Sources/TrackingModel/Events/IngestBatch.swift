/// What a provider JSON parser returns: events, the items it could not use, and
/// (Mailgun Events API pages) the URL of the next page.
public struct IngestBatch: Sendable {
    /// Everything parsed, ignored records included (`kind == .ignored`).
    public var events: [ParsedEvent]
    /// Items that could not be used, with their position.
    public var quarantined: [QuarantineItem]
    /// `paging.next` of a Mailgun Events API page; nil for other inputs.
    public var nextPage: String?

    public init(events: [ParsedEvent] = [], quarantined: [QuarantineItem] = [], nextPage: String? = nil) {
        self.events = events
        self.quarantined = quarantined
        self.nextPage = nextPage
    }

    public mutating func append(_ other: IngestBatch) {
        events += other.events
        quarantined += other.quarantined
        nextPage = other.nextPage ?? nextPage
    }
}
