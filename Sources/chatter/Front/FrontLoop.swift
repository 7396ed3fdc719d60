import ChatterUI
import CursesTerminal
import Foundation
import Glibc
import TermGrid
import TrackingModel
import TrackingStore

/// The front's event loop, on the main thread: waits in poll(2) on the
/// terminal (keys, resize) and the inbox's wake pipe, feeds keys and inbox
/// messages to `update`, hands store effects to the runner, and writes one
/// frame per wake-up (only the changed cells). A tick goes in once a second.
final class FrontLoop {
    private let terminal: CursesTerminal
    private let presenter: FramePresenter
    private let inbox: Inbox
    private let runner: EffectRunner
    private let me: PartnerRef
    private let trace: FrameTrace?
    private var state: AppState
    private var composeQueue: [ThreadRef] = []
    /// Trace milestones not yet written.
    private var untraced: Set<String> = ["full", "inbox"]

    init(
        terminal: CursesTerminal, state: AppState, inbox: Inbox, runner: EffectRunner, me: PartnerRef,
        trace: FrameTrace?
    ) {
        self.terminal = terminal
        self.presenter = FramePresenter(backend: terminal)
        self.state = state
        self.inbox = inbox
        self.runner = runner
        self.me = me
        self.trace = trace
    }

    /// Runs until the user quits (`q` on the top level, Ctrl-C, or the quit action).
    func run(keymapErrors: [KeymapError]) {
        dispatch(.tick(Date().timeIntervalSince1970))
        if !keymapErrors.isEmpty { dispatch(.keymapErrors(keymapErrors)) }
        for effect in startEffects(state) { perform(effect) }
        present()
        trace?.frame("first")

        var fds = (terminal.pollFDs + [inbox.wakeFD]).map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        var nextTick = (Date().timeIntervalSince1970).rounded(.down) + 1
        while !state.quitting {
            let wait = max(0, Int32(((nextTick - Date().timeIntervalSince1970) * 1000).rounded(.up)))
            _ = poll(&fds, nfds_t(fds.count), min(wait, 1000))  // EINTR: just go round
            var keys: [(name: String, at: UInt64)] = []
            while !state.quitting, let key = terminal.readKey(timeoutMs: 0) {
                let at = FrameTrace.monotonicNs()
                handle(key)
                keys.append((key.name, at))
            }
            for msg in inbox.drain() where !state.quitting { dispatch(msg) }
            let now = Date().timeIntervalSince1970
            if now >= nextTick {
                dispatch(.tick(now))
                nextTick = now.rounded(.down) + 1
            }
            if state.quitting { break }
            runCompose()
            let (renderNs, presentNs) = present()
            if let trace {
                for key in keys { trace.key(key.name, readAt: key.at, renderNs: renderNs, presentNs: presentNs) }
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
        }
    }

    private func handle(_ key: Key) {
        switch key {
        case .resize(let size):
            presenter.invalidate()
            dispatch(.resize(size))
        default:
            if state.keymap.action(for: key, in: state.keyContext) == .refresh {
                terminal.redrawAll()
                presenter.invalidate()
            }
            dispatch(.key(key))
        }
    }

    private func dispatch(_ msg: Msg) {
        for effect in update(&state, msg) { perform(effect) }
    }

    private func perform(_ effect: Effect) {
        switch effect {
        case .compose(let ref): composeQueue.append(ref)
        case .quit: state.quitting = true
        case .loadCounts, .loadThreads, .loadThread, .loadOlderMessages, .loadFailed, .loadTrackings, .loadEvents,
            .loadPartners, .loadTrackingDetail, .loadRetryPlans, .review, .unreview, .retry:
            runner.perform(effect)
        }
    }

    /// `c`: hands the terminal to `$EDITOR`, takes it back, then posts what was written (if anything).
    private func runCompose() {
        while !composeQueue.isEmpty {
            let ref = composeQueue.removeFirst()
            let name = state.chatter.view.flatMap { $0.thread.ref == ref ? $0.thread.name : nil } ?? ref.description
            terminal.suspend()
            let outcome = Result { try Compose.edit(threadName: name) }
            terminal.resume()
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
