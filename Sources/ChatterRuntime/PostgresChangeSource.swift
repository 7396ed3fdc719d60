import ChatterUI
import PostgresStore

/// The PostgreSQL store's change source: its `PostgresChangeFeed` (a connection of its
/// own LISTENing on the store's channel), so the front shows a commit made anywhere as
/// it lands. While that connection is down the feed polls the store every
/// `pollInterval` seconds and reconnects by itself; `feed` says which, for the header.
public final class PostgresChangeSource: ChangeSource, @unchecked Sendable {
    private let changes: PostgresChangeFeed
    private let pollInterval: Double

    /// Starts listening in the background (polling until the LISTEN is in place).
    public init(settings: PostgresSettings, pollInterval: Double = 1, reconnectDelay: Double = 1) {
        changes = PostgresChangeFeed(settings: settings, pollInterval: pollInterval, reconnectDelay: reconnectDelay)
        self.pollInterval = pollInterval
    }

    deinit { changes.stop() }

    /// Live while the listening connection is up, else polling at the interval.
    public var feed: ChangeFeed { changes.isLive ? .live : .polling(every: pollInterval) }

    /// Waits for a notification (or, while not live, a moved change marker).
    public func waitForChange(timeout: Double) -> ChangeSignal {
        switch changes.waitForChange(timeout: timeout) {
        case .changed: return .changed
        case .timedOut: return .quiet
        }
    }

    /// Ends the current wait early; our own writes notify like anyone's, so they show
    /// through the feed itself.
    public func wake() { changes.wake() }
}
