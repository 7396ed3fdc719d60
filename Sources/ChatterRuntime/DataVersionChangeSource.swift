import ChatterUI
import TrackingStore

/// The SQLite store's change source: `PRAGMA data_version` read on its own
/// read-only connection every `interval` seconds. The number moves on any other
/// connection's commit (the CLI, a poller, our own writer); between two looks
/// the source sleeps on a `WakeSignal` that `wake()` raises after our own
/// writes, so they show at once and are seen once. No busy loop.
///
/// Why not a GRDB observation: it sees only the writes of its own connection,
/// and most changes come from other processes.
public final class DataVersionChangeSource: ChangeSource, @unchecked Sendable {
    private let probe: StoreChangeProbe
    private let interval: Double
    private let signal = WakeSignal()
    /// The version last seen (nil when it could not be read); only the watcher's thread touches it.
    private var last: Int64?

    /// Opens the read-only connection and reads the version changes are counted from.
    public init(path: String, interval: Double = 0.2) throws {
        probe = try StoreChangeProbe(path: path)
        self.interval = interval
        last = try? probe.version()
    }

    /// Always polling, at the interval.
    public var feed: ChangeFeed { .polling(every: interval) }

    /// Sleeps up to the interval (or `timeout`, if shorter, or until woken), then looks.
    public func waitForChange(timeout: Double) -> ChangeSignal {
        signal.wait(seconds: min(interval, timeout))
        guard let now = try? probe.version() else { return .quiet }
        guard now != last else { return .quiet }
        last = now
        return .changed
    }

    /// Look now instead of at the end of the interval.
    public func wake() {
        signal.raise()
    }
}
