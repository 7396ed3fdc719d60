/// What one ingest batch can do inside its transaction (`IngestRole.ingest`): tie signals
/// back, apply events, keep what tied to nothing or could not be read, keep Postfix
/// queue-id lives, mark processed items, and advance the source's cursor.
///
/// Valid only inside the `ingest` body that handed it out, on the caller's thread.
public protocol IngestSession: AnyObject {
    /// "now" by the store's clock, fixed for the batch.
    var now: Double { get }

    /// The tracking row the keys name, strongest key first (the rules of `TieBackSearch`).
    func resolve(_ keys: TieBackKeys) throws -> TieBackResolution

    /// Applies one event (unique on source + key; opens and clicks inside their duplicate
    /// window are suppressed; machine opens kept but not folded into the state).
    func apply(_ event: NewEvent) throws -> ApplyOutcome

    /// Keeps an event that tied to nothing. Returns false when its (source, key) was already kept.
    @discardableResult
    func recordUnmatched(_ event: UnmatchedEvent) throws -> Bool

    /// Keeps input that could not be parsed; the same (source, path, position) again only counts up.
    func quarantine(_ item: QuarantineItem) throws

    /// The latest stored life of a Postfix queue id on a host.
    func queueLink(host: String, queueId: String) throws -> StoredQueueLink?

    /// Stores a queue-id life unless a later life of the same id is already stored.
    func saveQueueLink(_ link: StoredQueueLink) throws

    /// Whether an item (a Maildir mail identity, an event file fingerprint) of a source was applied.
    func isProcessed(source: String, item: String) throws -> Bool

    /// Records an item as applied.
    func markProcessed(source: String, item: String) throws

    /// Advances a source's cursor in this batch.
    func saveCursor(_ cursor: SourceCursor) throws
}
