import CTerminalSupport
import Foundation

/// One thread the runtime owns: a name (as `top -H` and a debugger show it),
/// a stop flag, a wake signal to rest on, and a join. Every background job of
/// the front runs on one (see `Front` for why threads and not GCD or tasks):
/// the store watcher, the live demo, the effect runner's readers and writer,
/// the background sender.
///
/// The body is given the worker; it loops until `isStopping`, resting between
/// rounds with `rest(_:)`, which a `wake()` or a stop ends early. A body that
/// blocks elsewhere (a change source's wait, an async bridge) registers how to
/// end that block with `interruptible(by:_:)`, so a stop reaches it too.
final class Worker: @unchecked Sendable {
    /// The thread's name.
    let name: String
    private let stackSize: Int?
    private let signal = WakeSignal()
    private let condition = NSCondition()
    private var thread: Thread?
    private var stopping = false
    private var finished = false
    private var interrupt: (@Sendable () -> Void)?

    /// A worker whose thread is named `name`; nothing runs until `start`.
    init(name: String, stackSize: Int? = nil) {
        self.name = name
        self.stackSize = stackSize
    }

    /// Starts the thread on `body` (once; a second call does nothing).
    func start(_ body: @escaping @Sendable (Worker) -> Void) {
        let thread = Thread { [self] in
            // `Thread.name` alone does not always reach the system thread on Linux: Foundation
            // names it only when set from the thread after `start` recorded it, which races.
            _ = ctr_name_thread(name)
            body(self)
            condition.withLock {
                finished = true
                condition.broadcast()
            }
        }
        thread.name = name
        if let stackSize { thread.stackSize = stackSize }
        let first: Bool = condition.withLock {
            guard self.thread == nil else { return false }
            self.thread = thread
            return true
        }
        if first { thread.start() }
    }

    /// True once a stop was asked: the body returns at its next check.
    var isStopping: Bool { condition.withLock { stopping } }

    /// Ends the body's current (or next) `rest` early.
    func wake() {
        signal.raise()
    }

    /// Rests up to `seconds`, or until woken or asked to stop; false once asked to stop.
    @discardableResult
    func rest(_ seconds: Double) -> Bool {
        if isStopping { return false }
        signal.wait(seconds: seconds)
        return !isStopping
    }

    /// Runs `body`, which blocks somewhere a stop cannot see; a stop asked
    /// meanwhile (or already) calls `interrupt` once, which must end that block.
    func interruptible<T>(by interrupt: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        let already: Bool = condition.withLock {
            if stopping { return true }
            self.interrupt = interrupt
            return false
        }
        if already { interrupt() }
        defer { condition.withLock { self.interrupt = nil } }
        return try body()
    }

    /// Asks the body to stop and returns at once (the thread ends after its current round).
    func requestStop() {
        let pending: (@Sendable () -> Void)? = condition.withLock {
            stopping = true
            defer { interrupt = nil }
            return interrupt
        }
        signal.raise()
        pending?()
    }

    /// Asks the body to stop and waits until it returned (at once when it never
    /// started; from the worker's own thread it only asks).
    func stop() {
        requestStop()
        join()
    }

    /// Waits until the body returned; false when `seconds` passed first.
    @discardableResult
    func join(seconds: Double = .infinity) -> Bool {
        let deadline = Date(timeIntervalSinceNow: max(0, seconds))
        return condition.withLock {
            guard let thread, thread !== Thread.current else { return thread == nil }
            while !finished, condition.wait(before: deadline, finite: seconds.isFinite) {}
            return finished
        }
    }

    /// Whether the body returned.
    var hasFinished: Bool { condition.withLock { finished } }
}
