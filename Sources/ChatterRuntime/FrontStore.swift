import TrackingModel

/// What the front asks of its store, as role protocols: the lists and counts it
/// reads (`StoreReading`), compose (`PostingRole`), the outbox's counts and the
/// background sender (`OutboxRole`), the background poller and the live demo's
/// events (`IngestRole`), and review, retry and address fixes (`ReviewRole`).
/// Either store (the SQLite file, the PostgreSQL server) is one; the runtime never
/// knows which it has.
public typealias FrontStore = StoreReading & PostingRole & OutboxRole & IngestRole & ReviewRole
