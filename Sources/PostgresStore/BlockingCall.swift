import Foundation

/// Runs async store code to completion for a synchronous caller.
///
/// The store's use cases are synchronous (the SQLite store's are, and its callers, the
/// poller, the sender, the front's effect runner, run them on threads of their own).
/// PostgresNIO is asynchronous. `BlockingCall.run` bridges the two: the async body runs
/// on a thread of its own (a task executor, not Swift's shared pool), and the caller's
/// thread waits. The body never needs a thread of the shared pool, so a caller that is
/// itself on that pool (an HTTP handler of `serve`) cannot starve it into a deadlock,
/// however many such callers wait at once.
public enum BlockingCall {
    /// Runs `body` and returns its value or throws its error, blocking the calling thread.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: BridgeExecutor.shared) {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}

/// Where a bridged call's result waits for the caller (written once before the signal,
/// read once after it: the semaphore orders the two).
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// A task executor on threads chatter owns: bridged store calls run here, never on
/// Swift's shared pool. Jobs are few and short (they mostly wait on the network), so a
/// small fixed set of threads serves every bridged call of the process.
final class BridgeExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = BridgeExecutor(threads: 4)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init(threads: Int) {
        for i in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "chatter.store-bridge.\(i)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
