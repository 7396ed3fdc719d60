import Foundation

extension Worker {
    /// Runs an async body to its end on this worker's thread, which blocks
    /// meanwhile; a stop cancels the body's task. The one place the runtime
    /// meets Swift concurrency: the outbox sender's `run()` is async (the SMTP
    /// transport is SwiftNIO), everything else here blocks on its own thread.
    /// Rethrows what the body threw (`CancellationError` after a stop).
    func runToCompletion(_ body: @escaping @Sendable () async throws -> Void) throws {
        let outcome = Outcome()
        let task = Task.detached {
            do {
                try await body()
                outcome.finish(nil)
            } catch {
                outcome.finish(error)
            }
        }
        try interruptible(by: { task.cancel() }) {
            if let error = outcome.wait() { throw error }
        }
    }
}

/// The end of a bridged body: whether it came, and what it threw.
private final class Outcome: @unchecked Sendable {
    private let condition = NSCondition()
    private var done = false
    private var error: (any Error)?

    func finish(_ error: (any Error)?) {
        condition.withLock {
            self.error = error
            done = true
            condition.broadcast()
        }
    }

    /// Waits for the end; the error, if the body threw.
    func wait() -> (any Error)? {
        condition.withLock {
            while !done { condition.wait() }
            return error
        }
    }
}
