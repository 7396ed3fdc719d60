import ChatterUI
import Foundation
import Glibc
import TermGrid
import TrackingModel
import TrackingStore

/// The front's event loop, on the thread that owns the UI: waits in poll(2) on
/// the key source (keys, resize) and the inbox's wake pipe, feeds keys and
/// inbox messages to `update`, hands store effects to the runner, and writes
/// one frame per wake-up (only the changed cells). A tick goes in once a second.
///
/// It runs until the user quits (`q` on the top level, Ctrl-C, or the quit
/// action), one `step` per wake-up; tests step it themselves and read `state`
/// and the backend's grid between steps.
public final class FrontLoop {
    private let backend: any TerminalBackend
    private let keys: any KeySource
    private let clock: any WallClock
    private let presenter: FramePresenter
    private let inbox: Inbox
    private let runner: EffectRunner
    private let me: PartnerRef
    private let trace: FrameTrace?
    /// The UI state; only `update` changes it.
    public private(set) var state: AppState
    private var composeQueue: [ThreadRef] = []
    /// Trace milestones not yet written.
    private var untraced: Set<String> = ["full", "inbox"]
    private var fds: [pollfd] = []
    private var nextTick: Double = 0

    init(
        backend: any TerminalBackend, keys: any KeySource, clock: any WallClock, state: AppState, inbox: Inbox,
        runner: EffectRunner, me: PartnerRef, trace: FrameTrace?
    ) {
        self.backend = backend
        self.keys = keys
        self.clock = clock
        self.presenter = FramePresenter(backend: backend)
        self.state = state
        self.inbox = inbox
        self.runner = runner
        self.me = me
        self.trace = trace
    }

    /// The first frame: the first tick, the sender's status, how store changes
    /// are heard, the keymap's errors, the start loads.
    func start(keymapErrors: [KeymapError], sender: SenderState = .unknown, changes: ChangeFeed = .unknown) {
        dispatch(.tick(clock.now()))
        dispatch(.senderStatus(sender))
        dispatch(.changeFeed(changes))
        if !keymapErrors.isEmpty { dispatch(.keymapErrors(keymapErrors)) }
        for effect in startEffects(state) { perform(effect) }
        present()
        trace?.frame("first")
        fds = (keys.pollFDs + [inbox.wakeFD]).map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        nextTick = clock.now().rounded(.down) + 1
    }

    /// One wake-up: waits for a key, a message or the next tick (at most
    /// `maxWaitMs`), handles what came and writes one frame. False once the
    /// user quit (no frame is written then).
    @discardableResult
    public func step(maxWaitMs: Int = 1000) -> Bool {
        guard !state.quitting else { return false }
        let untilTick = ((nextTick - clock.now()) * 1000).rounded(.up)
        let wait = Int32(min(max(0, untilTick), Double(max(0, maxWaitMs))))
        _ = poll(&fds, nfds_t(fds.count), wait)  // EINTR: just go round
        var read: [(name: String, at: UInt64)] = []
        while !state.quitting, let key = keys.readKey(timeoutMs: 0) {
            let at = FrameTrace.monotonicNs()
            handle(key)
            read.append((key.name, at))
        }
        for msg in inbox.drain() where !state.quitting { dispatch(msg) }
        let now = clock.now()
        if now >= nextTick {
            dispatch(.tick(now))
            nextTick = now.rounded(.down) + 1
        }
        if state.quitting { return false }
        runCompose()
        let (renderNs, presentNs) = present()
        if let trace {
            for key in read { trace.key(key.name, readAt: key.at, renderNs: renderNs, presentNs: presentNs) }
            // "full": the thread list and the Failed counter on screen; "inbox": the Inbox count too.
            if untraced.contains("full"), !state.threads.loading, state.counts.failed != nil {
                untraced.remove("full")
                trace.frame("full")
            }
            if untraced.contains("inbox"), state.counts.inbox != nil {
                untraced.remove("inbox")
                trace.frame("inbox")
            }
        }
        return true
    }

    private func handle(_ key: Key) {
        switch key {
        case .resize(let size):
            presenter.invalidate()
            dispatch(.resize(size))
        default:
            dispatch(.key(key))
        }
    }

    private func dispatch(_ msg: Msg) {
        for effect in update(&state, msg) { perform(effect) }
    }

    private func perform(_ effect: Effect) {
        switch effect {
        case .compose(let ref): composeQueue.append(ref)
        case .quit:
            // `update` set `quitting` with this effect: the loop stops at its next check.
            break
        case .redrawAll:
            backend.redrawAll()
            presenter.invalidate()
        case .loadCounts, .loadThreads, .loadThread, .loadFailed, .loadTrackings, .loadEvents,
            .loadPage, .loadGroups, .previewBulk, .runBulk, .loadPartners, .loadTrackingDetail, .loadRetryPlans, .review, .unreview, .retry, .fixAddress:
            runner.perform(effect)
        }
    }

    /// `c`: hands the terminal to `$EDITOR`, takes it back, then posts what was written (if anything).
    private func runCompose() {
        while !composeQueue.isEmpty {
            let ref = composeQueue.removeFirst()
            let name = state.chatter.view.flatMap { $0.thread.ref == ref ? $0.thread.name : nil } ?? ref.description
            backend.suspend()
            let outcome = Result { try Compose.edit(threadName: name) }
            backend.resume()
            presenter.invalidate()
            switch outcome {
            case .success(.post(let to, let cc, let subject, let body)):
                runner.post(PostRequest(thread: ref, authorId: me.id, to: to, cc: cc, subject: subject, body: body))
            case .success(.cancelled):
                continue
            case .failure(let error):
                dispatch(.effectFailed("\(error)"))
            }
        }
    }

    /// Renders and writes one frame; returns the time spent in each (ns), for the trace.
    @discardableResult
    private func present() -> (render: UInt64, present: UInt64) {
        let t0 = FrameTrace.monotonicNs()
        var grid = Grid(size: state.size)
        render(state, into: &grid)
        let t1 = FrameTrace.monotonicNs()
        presenter.present(grid)
        return (t1 - t0, FrameTrace.monotonicNs() - t1)
    }
}
