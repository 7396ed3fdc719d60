import ChatterUI
import Foundation
import TrackingStore

/// Notices store changes and posts `.storeChanged` to the inbox.
///
/// A background thread reads `PRAGMA data_version` on its own read-only
/// connection every `interval` (it moves on any other connection's commit: the
/// CLI, a poller, our own writer), sleeping in between on a semaphore that
/// `poke()` signals after our own writes, so those show at once and are seen
/// once. No busy loop, nothing on the main dispatch queue.
final class StoreWatcher: @unchecked Sendable {
    private let probe: StoreChangeProbe
    private let inbox: Inbox
    private let interval: Double
    private let signal = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopped = false
    private var thread: Thread?

    init(path: String, inbox: Inbox, interval: Double = 0.2) throws {
        probe = try StoreChangeProbe(path: path)
        self.inbox = inbox
        self.interval = interval
    }

    /// Starts watching from the store's current version.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "chatter.watch"
        thread.stackSize = 256 * 1024
        self.thread = thread
        thread.start()
    }

    /// Look now (after one of our own writes) instead of at the next interval.
    func poke() {
        signal.signal()
    }

    /// Ends the watch thread at its next wake-up.
    func stop() {
        lock.withLock { stopped = true }
        signal.signal()
    }

    private func run() {
        var last = try? probe.version()
        while true {
            _ = signal.wait(timeout: .now() + interval)
            if lock.withLock({ stopped }) { return }
            guard let now = try? probe.version() else { continue }
            if now != last {
                last = now
                inbox.post(.storeChanged)
            }
        }
    }
}
