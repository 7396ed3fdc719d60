import ChatterUI
import PostgresStore

/// The PostgreSQL store's change source: a `PostgresChangeFeed`, which LISTENs on
/// its own connection and is woken by the NOTIFY every writing transaction sends
/// on commit (from any process, on any host). Its feed is `.live` while that
/// connection is up; when it drops, the feed polls the store's change marker every
/// `pollInterval` and says `.polling(every:)` until it has reconnected, and the
/// watcher posts each switch to the header.
public final class PostgresChangeSource: ChangeSource, @unchecked Sendable {
    private let changes: PostgresChangeFeed

    /// Starts listening in the background (the feed says polling until the LISTEN is in place).
    public init(settings: PostgresSettings, pollInterval: Double = 1, reconnectDelay: Double = 1) {
        changes = PostgresChangeFeed(settings: settings, pollInterval: pollInterval, reconnectDelay: reconnectDelay)
    }

    /// Live while the notification connection is up, else polling at the feed's interval.
    public var feed: ChangeFeed { changes.isLive ? .live : .polling(every: changes.pollInterval) }

    /// How many times the listener connected again after losing its connection.
    public var reconnections: Int { changes.reconnections }

    /// Waits for a notification (or, while not live, a moved change marker).
    public func waitForChange(timeout: Double) -> ChangeSignal {
        switch changes.waitForChange(timeout: timeout) {
        case .changed: return .changed
        case .timedOut: return .quiet
        }
    }

    /// Ends the current wait early, as `.quiet` (the protocol's rule); our own writes
    /// notify like anyone's, so they show through the feed itself.
    public func wake() {
        changes.wake()
    }

    /// Stops listening and polling, and closes the listener's connection.
    public func close() {
        changes.stop()
    }
}
