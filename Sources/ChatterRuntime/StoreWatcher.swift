import ChatterUI
import Foundation

/// Notices store changes and posts `.storeChanged` to the inbox.
///
/// A `Worker` thread waits on a `ChangeSource` (the SQLite store's
/// `DataVersionChangeSource` in use) and posts each change it reports; the
/// inbox keeps at most one pending, so a burst of commits is one reload. When
/// the source's feed changes (a live source falling back to polling), the new
/// one is posted for the header. `poke()` after our own writes wakes the source,
/// so they show at once.
final class StoreWatcher: Sendable {
    /// What is watched.
    let source: any ChangeSource
    private let inbox: Inbox
    private let worker = Worker(name: "chatter.watch", stackSize: 256 * 1024)

    init(source: any ChangeSource, inbox: Inbox) {
        self.source = source
        self.inbox = inbox
    }

    /// Starts watching; `feed` is the feed the loop already showed.
    func start(feed: ChangeFeed) {
        worker.start { [source, inbox] worker in
            worker.interruptible(by: { source.wake() }) {
                var shown = feed
                while !worker.isStopping {
                    switch source.waitForChange(timeout: 1) {
                    case .changed:
                        if !worker.isStopping { inbox.post(.storeChanged) }
                    case .quiet:
                        break
                    }
                    let now = source.feed
                    if now != shown {
                        shown = now
                        inbox.post(.changeFeed(now))
                    }
                }
            }
        }
    }

    /// Look now (after one of our own writes) instead of at the next interval.
    func poke() {
        source.wake()
    }

    /// Ends the watch thread and waits for it (at most one look at the store).
    func stop() {
        worker.stop()
    }
}
