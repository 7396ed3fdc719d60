import TrackingModel

/// The SQLite store plays every role of use cases with its own methods.
extension TrackingStore: PostingRole, OutboxRole, ReviewRole {}
