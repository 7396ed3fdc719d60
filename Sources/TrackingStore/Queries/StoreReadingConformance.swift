import TrackingModel

/// The SQLite store is read through `StoreReading` by its existing methods, unchanged.
extension TrackingStore: StoreReading {}
