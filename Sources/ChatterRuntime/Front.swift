import ChatterUI
import Foundation
import TermGrid
import TrackingModel
import TrackingStore

/// The front's runtime around one loop: the inbox and its wake pipe, the
/// effect runner, the store watcher, the live demo, the background poller and
/// sender. `runInTerminal` runs it on the real terminal; tests `start` it on a
/// `HeadlessBackend` with scripted keys and a fake clock, and `step` the loop.
///
/// One concurrency style: owned threads. The UI loop runs on the caller's
/// thread; every background job runs on a `Worker`, a named thread of ours
/// with a stop flag, a wake signal and a join: the store watcher, the live
/// demo, the effect runner (a `WorkerPool` of reader threads and one writer
/// thread, so writes keep their order), the background sender (the poller's
/// thread is `EventIngest`'s `Poller`, the same kind). Shared state sits behind
/// a lock, and answers reach the loop only through the inbox. Why threads and
/// not GCD or tasks: everything they do blocks (the SQLite store's API is
/// synchronous, the terminal's key read waits in poll(2)). A blocking call on
/// Swift's task pool holds one of its few threads (one per core) and starves
/// every other task; GCD answers blocked work with threads it grows and names
/// itself. A thread of our own blocks honestly, has a name, and is stopped and
/// joined by us. The outbox worker's async `run()` is bridged once
/// (`Worker.runToCompletion`).
public final class Front {
    private let store: TrackingStore
    private let configuration: FrontConfiguration
    private let clock: any WallClock
    private let inbox: Inbox
    private let watcher: StoreWatcher
    private let runner: EffectRunner
    private let demo: LiveDemo?
    private var poller: FrontPoller?
    private var sender: BackgroundSender?

    /// Opens the inbox and the change source (by default the store's
    /// `DataVersionChangeSource`, on its own read-only connection); starts nothing yet.
    public init(
        store: TrackingStore, configuration: FrontConfiguration, clock: any WallClock = SystemWallClock(),
        changes: (any ChangeSource)? = nil
    ) throws {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        let inbox = try Inbox()
        let source = try changes ?? DataVersionChangeSource(path: store.path, interval: configuration.watchInterval)
        let watcher = StoreWatcher(source: source, inbox: inbox)
        self.inbox = inbox
        self.watcher = watcher
        runner = EffectRunner(
            store: store, me: configuration.me, inbox: inbox, sharedMail: configuration.sharedMail,
            banner: configuration.banner,
            afterWrite: { watcher.poke() })
        demo =
            configuration.liveDemo
            ? LiveDemo(store: store, me: configuration.me, afterWrite: { watcher.poke() }) : nil
    }

    /// Starts the watcher, the demo, the poller and the sender, and writes the
    /// first frame on `backend`; the returned loop is then stepped (or run).
    public func start(
        on backend: any TerminalBackend, keys: any KeySource, display: DisplayOptions, trace: FrameTrace? = nil
    ) -> FrontLoop {
        let state = AppState(
            me: configuration.me, size: backend.size, keymap: configuration.keymap, display: display)
        let feed = watcher.source.feed
        runner.start()
        watcher.start(feed: feed)
        demo?.start()
        poller = FrontPoller(store: store, configPath: configuration.pollerConfigPath, inbox: inbox)
        sender = BackgroundSender(store: store, setup: configuration.sender)
        let loop = FrontLoop(
            backend: backend, keys: keys, clock: clock, state: state, inbox: inbox, runner: runner,
            me: configuration.me, trace: trace)
        loop.start(
            keymapErrors: configuration.keymapErrors, sender: sender.map(Self.senderState) ?? .unknown, changes: feed)
        return loop
    }

    /// The background sender's status as the header and the status line tell it.
    static func senderState(_ sender: BackgroundSender) -> SenderState {
        switch sender.status {
        case .running: return .running
        case .otherSender: return .elsewhere
        case .notConfigured: return .notConfigured
        case .unusable(let why): return .unusable(why)
        }
    }

    /// Stops what `start` started: the sender (not waited for: a send in
    /// flight ends on its own), the poller, the demo, the effect runner (its
    /// queued writes done first) and the watcher.
    public func stop() {
        sender?.stop()
        poller?.stop()
        demo?.stop()
        runner.stop()
        watcher.stop()
    }

    /// How the front hears of store changes (the change source's feed).
    public var changeFeed: ChangeFeed { watcher.source.feed }

    /// Store loads run so far (a load asked for again before it started is
    /// skipped): how a test sees that a burst of store changes is coalesced.
    public var loadsStarted: Int { runner.loadsStarted }

    /// Failed count queries run so far: a store change runs at most one.
    public var failedCountQueries: Int { runner.failedCountQueries }

    /// Posts a message to the loop's inbox, as a background thread does (an
    /// effect's answer, a store change); the loop takes it at its next step.
    public func post(_ msg: Msg) {
        inbox.post(msg)
    }
}
