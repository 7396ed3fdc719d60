import ChatterUI

/// What the store watcher watches: something that can say "the store changed"
/// (a commit by any connection, in this process or another). The watcher's loop
/// only waits on it and posts `.storeChanged`; how a change is noticed is the
/// source's business: SQLite's `PRAGMA data_version` looked at on an interval
/// (`DataVersionChangeSource`), or a server's notifications (PostgreSQL's
/// `LISTEN`), which would plug in here without touching the loop.
public protocol ChangeSource: AnyObject, Sendable {
    /// How changes are heard now, for the header (a live source that lost its
    /// connection may say it polls until it has one again).
    var feed: ChangeFeed { get }

    /// Blocks until the store changed since the previous call (`.changed`), or
    /// `timeout` seconds passed, or `wake()` was called (`.quiet`). A source
    /// that cannot look (a failed read, a dropped connection) says `.quiet` and
    /// tries again at the next call. Called from one thread, the watcher's.
    func waitForChange(timeout: Double) -> ChangeSignal

    /// Ends the current wait early, or the next one when none is in progress;
    /// called from any thread: after our own writes (a polling source looks at
    /// once, so the change shows without waiting for the interval) and on stop.
    func wake()
}

/// What one wait on a `ChangeSource` came to.
public enum ChangeSignal: Sendable, Hashable {
    /// The store changed: reload what is on screen.
    case changed
    /// Nothing new (the time ran out, or the wait was woken).
    case quiet
}
