import Foundation
import Logging
import TrackingModel

/// Reads every configured source into the store in committed batches, once
/// (`runOnce`) or in the background (`start` / `stop`).
///
/// Each batch (events, unmatched and quarantined items, queue links, processed
/// items, the cursor) is one transaction, so stopping or killing the process at any
/// moment neither loses nor duplicates anything. A source that fails (missing,
/// unreadable, a store error) is reported in the status and retried with backoff;
/// the others go on.
public final class Poller: @unchecked Sendable {
    /// Timing of the background loop.
    public struct Options: Sendable {
        /// Pause between rounds when every source is idle (tailing latency is about this).
        public var interval: Double = 0.1
        /// Backoff of a failing source: `initialBackoff * 2^(failures-1)`, at most `maxBackoff`.
        public var initialBackoff: Double = 0.5
        public var maxBackoff: Double = 30
        /// "now" (UTC epoch seconds): the year reference of syslog timestamps.
        public var clock: @Sendable () -> Double = { Date().timeIntervalSince1970 }

        public init() {}
    }

    private final class Slot {
        let source: PollerSource
        let reader: any SourceReader
        var failures = 0
        var retryAt = 0.0
        var error: String?

        init(source: PollerSource, reader: any SourceReader) {
            self.source = source
            self.reader = reader
        }
    }

    private let store: any IngestRole
    private let slots: [Slot]
    private let options: Options
    private let logger: Logger?
    /// Guards `status`, `stopping`, `thread state`.
    private let lock = NSCondition()
    /// One round at a time (runOnce from another thread while the loop runs).
    private let runLock = NSLock()
    private var current = PollerStatus(state: .paused)
    private var stopping = false
    private var running = false

    public init(store: any IngestRole, sources: [PollerSource], options: Options = Options(), logger: Logger? = nil) {
        self.store = store
        self.options = options
        self.logger = logger
        let clock = options.clock
        slots = sources.map { Slot(source: $0, reader: SourceReaders.make($0, clock: clock)) }
    }

    /// A poller over the sources of a config file (the front: `PollerConfig.load(path: PollerConfig.defaultPath)`).
    public convenience init(store: any IngestRole, config: PollerConfig, logger: Logger? = nil) {
        var options = Options()
        options.interval = config.interval
        self.init(store: store, sources: config.sources, options: options, logger: logger)
    }

    /// The status now.
    public var status: PollerStatus { lock.withLock { current } }

    /// Reads every source until it has nothing more (sources in backoff are skipped); returns the counts.
    @discardableResult
    public func runOnce() -> PollReport {
        runLock.withLock { round(drain: true) }
    }

    /// Starts the background loop; `onStatus` is called once from here, then on the poller's thread
    /// when the status changes or a batch was committed. Does nothing if already running.
    public func start(onStatus: @escaping @Sendable (PollerStatus) -> Void) {
        let already: Bool = lock.withLock {
            if running { return true }
            running = true
            stopping = false
            current.state = .live
            return false
        }
        if already { return }
        onStatus(status)
        let thread = Thread { [self] in loop(onStatus) }
        thread.name = "chatter-poller"
        thread.start()
    }

    /// Stops the background loop after the batch in progress (committed or not at all) and waits for it.
    public func stop() {
        lock.withLock {
            guard running else { return }
            stopping = true
            lock.broadcast()
            while running { lock.wait() }
        }
    }

    private func loop(_ onStatus: @escaping @Sendable (PollerStatus) -> Void) {
        var last = status
        while true {
            if lock.withLock({ stopping }) { break }
            let report = runLock.withLock { round(drain: false) }
            let now = status
            if now != last || report.batches > 0 {
                onStatus(now)
                last = now
            }
            if report.batches > 0 { continue }  // more may be waiting: no pause
            lock.withLock {
                if !stopping { _ = lock.wait(until: Date(timeIntervalSinceNow: options.interval)) }
            }
        }
        lock.withLock { current.state = .paused }
        onStatus(status)
        lock.withLock {
            running = false
            lock.broadcast()
        }
    }

    /// One pass over the sources: one batch each, or (drain) until each is idle.
    private func round(drain: Bool) -> PollReport {
        var total = PollReport()
        for slot in slots {
            let now = options.clock()
            if slot.failures > 0, now < slot.retryAt { continue }
            while true {
                if !drain, lock.withLock({ stopping }) { break }
                do {
                    let (report, more) = try slot.reader.step(store: store)
                    total.add(report)
                    if report.batches > 0 { log(slot, report) }
                    for warning in slot.reader.warnings {
                        logger?.warning("\(slot.source.name): \(warning)")
                    }
                    if slot.failures > 0 { logger?.info("source recovered", metadata: ["source": "\(slot.source.name)"]) }
                    slot.failures = 0
                    slot.error = nil
                    if !more { break }
                } catch {
                    slot.failures += 1
                    let delay = min(options.maxBackoff, options.initialBackoff * pow(2, Double(min(slot.failures - 1, 20))))
                    slot.retryAt = options.clock() + delay
                    let text = (error as? SourceProblem)?.description ?? "\(slot.source.name): \(error)"
                    if slot.error != text || slot.failures == 1 {
                        logger?.warning("source failing, retry in \(delay)s: \(text)")
                    }
                    slot.error = text
                    break
                }
                if !drain { break }
            }
        }
        lock.withLock {
            current.totals.add(total)
            if let t = total.lastEventTime { current.lastEventTime = max(current.lastEventTime ?? t, t) }
            let failing = slots.compactMap(\.error)
            current.error = failing.last
            if running { current.state = failing.isEmpty ? .live : .failing }
        }
        return total
    }

    private func log(_ slot: Slot, _ r: PollReport) {
        logger?.info(
            "batch",
            metadata: [
                "source": "\(slot.source.name)", "applied": "\(r.applied)", "duplicate": "\(r.duplicate)",
                "suppressed": "\(r.suppressed)", "unmatched": "\(r.unmatched)", "quarantined": "\(r.quarantined)",
                "ignored": "\(r.ignored)",
            ])
    }
}
