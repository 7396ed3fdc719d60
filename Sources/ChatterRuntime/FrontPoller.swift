import ChatterUI
import EventIngest
import Foundation
import TrackingModel

/// The poller of `config.toml`, run in the background of the front (the same
/// `Poller` as `chatter poll`): its state, last event time, and the store's
/// quarantined and unmatched counts reach the header through the inbox. With
/// no source configured the header says "poller off"; a bad config shows the
/// error and the front keeps working.
final class FrontPoller: Sendable {
    private let poller: Poller?

    /// Starts reading the configured sources, or reports why it does not.
    init(store: any IngestRole & StoreReading, configPath: String, inbox: Inbox) {
        // The poller reports every round; the header hears only of changes.
        let last = LastReport()
        let report: @Sendable (PollerState, Double?, Int) -> Void = { state, lastEvent, errors in
            let counts = (try? store.ingestCounts()) ?? (quarantined: 0, unmatched: 0)
            let info = PollerInfo(
                state: state, lastEventAt: lastEvent, errors: errors, quarantined: counts.quarantined,
                unmatched: counts.unmatched)
            if last.replace(with: info) { inbox.post(.pollerStatus(info)) }
        }
        guard FileManager.default.fileExists(atPath: configPath) else {
            poller = nil
            report(.off, nil, 0)
            return
        }
        let config: PollerConfig
        do {
            config = try PollerConfig.load(path: configPath)
        } catch {
            poller = nil
            report(.failing("bad config: \(error)"), nil, 1)
            return
        }
        guard !config.sources.isEmpty else {
            poller = nil
            report(.off, nil, 0)
            return
        }
        let poller = Poller(store: store, config: config)
        self.poller = poller
        poller.start { status in
            let state: PollerState
            switch status.state {
            case .live: state = .live
            case .paused: state = .paused
            case .failing: state = .failing(status.error ?? "failing")
            }
            report(state, status.lastEventTime, status.error == nil ? 0 : 1)
        }
    }

    /// Stops the poller (its cursor is saved with every batch). Its commits
    /// reach the screen through the store watcher, like any other process's.
    func stop() {
        poller?.stop()
    }
}

/// The last header report, so an unchanged one is not posted again.
private final class LastReport: @unchecked Sendable {
    private let lock = NSLock()
    private var value: PollerInfo?

    /// Stores `info`; true when it differs from the last one.
    func replace(with info: PollerInfo) -> Bool {
        lock.withLock {
            guard value != info else { return false }
            value = info
            return true
        }
    }
}
