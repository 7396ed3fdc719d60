import Foundation
import Logging
import PostgresNIO

/// Store changes for a synchronous watcher (the front's): a dedicated connection
/// LISTENs on `PostgresStore.changeChannel`, and every committed write that notifies
/// wakes `waitForChange`. When that connection drops, the feed is not live: it says so
/// (`isLive`, for the header), watches by polling a cheap marker of the store's last
/// change every `pollInterval`, and reconnects the listener in the background every
/// `reconnectDelay` until it is back. Around a drop and a reconnect it reports one
/// change (notifications sent in between are lost), so a watcher never misses one;
/// at worst it reads its lists once more.
public final class PostgresChangeFeed: @unchecked Sendable {
    /// What `waitForChange` saw.
    public enum Wait: Sendable, Hashable {
        /// The store changed since the last `waitForChange` that returned `.changed`.
        case changed
        /// Nothing changed within the timeout.
        case timedOut
    }

    /// Where the store is.
    public let settings: PostgresSettings
    /// Seconds between two reads of the change marker while the listener is down.
    public let pollInterval: Double
    /// Seconds between two attempts to reconnect the listener.
    public let reconnectDelay: Double

    private let condition = NSCondition()
    // Guarded by `condition`:
    private var pending = false
    private var woken = false
    private var live = false
    private var stopped = false
    private var reconnectCount = 0
    private var dropCount = 0
    private var listener: PostgresConnection?
    private var tasks: [Task<Void, Never>] = []

    private let logger: Logger

    /// Starts listening (in the background: `isLive` turns true once the LISTEN is in
    /// place; until then the feed polls).
    public init(settings: PostgresSettings, pollInterval: Double = 1, reconnectDelay: Double = 1) {
        self.settings = settings
        self.pollInterval = pollInterval
        self.reconnectDelay = reconnectDelay
        var logger = Logger(label: "chatter.postgres.feed")
        logger.logLevel = .critical
        self.logger = logger
        let listen = Task(executorPreference: BridgeExecutor.shared) { [self] in await listenLoop() }
        let poll = Task(executorPreference: BridgeExecutor.shared) { [self] in await pollLoop() }
        condition.withLock { tasks = [listen, poll] }
    }

    deinit { stop() }

    /// True while the notification connection is up (changes arrive at once); false
    /// while the feed polls.
    public var isLive: Bool { condition.withLock { live } }

    /// How many times the listener connected again after losing its connection.
    public var reconnections: Int { condition.withLock { reconnectCount } }

    /// Waits at most `timeout` seconds for a change; returns at once when one came
    /// since the last `.changed`. Changes that came together are reported once.
    public func waitForChange(timeout: Double) -> Wait {
        let deadline = Date(timeIntervalSinceNow: max(0, timeout))
        condition.lock()
        defer { condition.unlock() }
        while !pending && !stopped && !woken {
            if !condition.wait(until: deadline) { break }
        }
        woken = false
        guard pending else { return .timedOut }
        pending = false
        return .changed
    }

    /// Reports a change now (after one of the watcher's own writes, say).
    public func poke() { signal() }

    /// Ends the current wait early (or the next one) as `.timedOut`, unless a change
    /// is pending: how a watcher is stopped without waiting for its timeout.
    public func wake() {
        condition.withLock {
            woken = true
            condition.broadcast()
        }
    }

    /// Ends the background work and closes the listener; a waiter returns at once.
    public func stop() {
        let (tasks, listener) = condition.withLock {
            stopped = true
            live = false
            condition.broadcast()
            return (self.tasks, self.listener)
        }
        for t in tasks { t.cancel() }
        listener?.close().whenComplete { _ in withExtendedLifetime(listener) {} }
    }

    private func signal() {
        condition.withLock {
            pending = true
            condition.broadcast()
        }
    }

    private var isStopped: Bool { condition.withLock { stopped } }

    /// Connects, LISTENs and reads notifications until the connection drops; then
    /// waits `reconnectDelay` and does it again, until stopped.
    private func listenLoop() async {
        var connectedBefore = false
        while !isStopped {
            // Closed before it is dropped, however the loop ends: PostgresNIO requires it
            // (a connection the server killed is not yet marked closed when `listen` throws).
            var opened: PostgresConnection?
            do {
                let connection = try await PostgresStore.connect(settings, logger: logger)
                opened = connection
                let keep = condition.withLock { () -> Bool in
                    if stopped { return false }
                    listener = connection
                    return true
                }
                guard keep else {
                    try? await connection.close()
                    return
                }
                try await connection.listen(on: PostgresStore.changeChannel) { notifications in
                    condition.withLock {
                        live = true
                        if connectedBefore { reconnectCount += 1 }
                    }
                    // What was committed while nobody listened is only known as "something".
                    if connectedBefore { signal() }
                    connectedBefore = true
                    for try await _ in notifications { signal() }
                }
            } catch {
                // A refused connection or a dropped one: poll until the next attempt.
            }
            if let opened { try? await opened.close() }
            // The drop is reported as a change by the poll loop, once it has read its baseline.
            condition.withLock {
                if live { dropCount += 1 }
                live = false
                listener = nil
            }
            try? await Task.sleep(nanoseconds: UInt64(reconnectDelay * 1e9))
        }
    }

    /// While not live, reads the change marker every `pollInterval` on a store session
    /// of its own (which reconnects by itself) and reports a change when it moved, and
    /// once after its first read since the feed stopped being live (the drop).
    private func pollLoop() async {
        var store: PostgresStore?
        var last: String?
        var reportedDrops = 0
        while !isStopped {
            try? await Task.sleep(nanoseconds: UInt64(pollInterval * 1e9))
            let (isLive, drops) = condition.withLock { (live, dropCount) }
            if isLive {
                last = nil
                continue
            }
            do {
                if store == nil { store = try await PostgresStore.open(settings, migrate: false) }
                guard let store else { continue }
                let marker = try await store.changeMarker()
                // A drop is one change, reported after the first read since (the baseline): so a
                // commit made between the drop and that read, notified to nobody, is not missed.
                if drops != reportedDrops || (last != nil && last != marker) { signal() }
                reportedDrops = drops
                last = marker
            } catch {
                // The server is unreachable too: try again at the next interval.
            }
        }
        await store?.close()
    }
}

extension PostgresStore {
    /// A cheap summary of the store's last change: the highest ids of the tables every
    /// write adds to (events, messages, reviews, address changes, outbox, quarantine,
    /// unmatched) and the outbox's queued and sending counts (partial indexes), as
    /// text. Two reads differ when something was committed in between.
    func changeMarker() async throws(PostgresStoreError) -> String {
        try await exclusive {
            try await self.rows(
                """
                SELECT concat_ws(':', (SELECT max(id) FROM events), (SELECT max(id) FROM messages),
                  (SELECT max(id) FROM audit_log), (SELECT max(id) FROM partner_audit), (SELECT max(id) FROM outbox),
                  (SELECT count(*) FROM outbox WHERE status = 'queued'),
                  (SELECT count(*) FROM outbox WHERE status = 'sending'),
                  (SELECT max(id) FROM quarantine), (SELECT max(id) FROM unmatched))
                """
            ).first?.decode(String.self) ?? ""
        }
    }
}
