import ChatterUI
import Foundation
import TermGrid
import TrackingModel
import TrackingStore

/// The front's runtime around one loop: the inbox and its wake pipe, the
/// effect runner, the store watcher, the live demo, the background poller and
/// sender. `runInTerminal` runs it on the real terminal; tests `start` it on a
/// `HeadlessBackend` with scripted keys and a fake clock, and `step` the loop.
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

    /// Opens the inbox and the watcher's read-only connection; starts nothing yet.
    public init(store: TrackingStore, configuration: FrontConfiguration, clock: any WallClock = SystemWallClock())
        throws
    {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        let inbox = try Inbox()
        let watcher = try StoreWatcher(path: store.path, inbox: inbox, interval: configuration.watchInterval)
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
        watcher.start()
        demo?.start()
        poller = FrontPoller(store: store, configPath: configuration.pollerConfigPath, inbox: inbox)
        sender = BackgroundSender(store: store, setup: configuration.sender)
        let loop = FrontLoop(
            backend: backend, keys: keys, clock: clock, state: state, inbox: inbox, runner: runner,
            me: configuration.me, trace: trace)
        loop.start(keymapErrors: configuration.keymapErrors, sender: sender.map(Self.senderState) ?? .unknown)
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

    /// Stops what `start` started (the sender, the poller, the demo, the watcher).
    public func stop() {
        sender?.stop()
        poller?.stop()
        demo?.stop()
        watcher.stop()
    }

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
