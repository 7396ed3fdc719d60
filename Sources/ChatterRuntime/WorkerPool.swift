import Foundation

/// Jobs taken in the order they came by a fixed set of `Worker` threads: the
/// effect runner's readers (several, so a slow count does not hold up the
/// thread under the cursor) and its writer (one, so writes run in order).
final class WorkerPool: @unchecked Sendable {
    /// What `stop` does with jobs not yet taken.
    enum Leftovers {
        /// Run them before the threads end (writes the user asked for).
        case finish
        /// Drop them (loads nobody will see).
        case drop
    }

    private let workers: [Worker]
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var stopping = false

    /// `threads` workers named `name` (`name.1`, `name.2`… when there are several); none runs before `start`.
    init(name: String, threads: Int) {
        let count = max(1, threads)
        workers = (1...count).map { Worker(name: count == 1 ? name : "\(name).\($0)") }
    }

    /// Starts the threads.
    func start() {
        for worker in workers {
            worker.start { [self] _ in
                while let job = take() { job() }
            }
        }
    }

    /// Queues a job (dropped when the pool is stopping).
    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.withLock {
            guard !stopping else { return }
            jobs.append(job)
            condition.signal()
        }
    }

    /// Ends the threads once the jobs in hand (and, with `.finish`, the queued
    /// ones) are done; with `wait`, returns only then.
    func stop(_ leftovers: Leftovers, wait: Bool) {
        condition.withLock {
            stopping = true
            switch leftovers {
            case .finish: break
            case .drop: jobs.removeAll()
            }
            condition.broadcast()
        }
        for worker in workers {
            worker.requestStop()
            if wait { worker.join() }
        }
    }

    /// The next job, waiting for one; nil once stopping with nothing left.
    private func take() -> (@Sendable () -> Void)? {
        condition.withLock {
            // A handful of jobs at a time: removing the first is cheap.
            while jobs.isEmpty, !stopping { condition.wait() }
            return jobs.isEmpty ? nil : jobs.removeFirst()
        }
    }
}
