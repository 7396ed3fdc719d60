import Foundation

/// A wake-up that one thread waits for and any thread gives: a flag under a
/// condition, so a wake given while nobody waits is kept (several as one) and
/// ends the next wait at once. What a `Worker` rests on, and what the SQLite
/// change source sleeps on between two looks.
final class WakeSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var raised = false

    init() {}

    /// Ends the current wait, or the next one when nobody waits.
    func raise() {
        condition.withLock {
            raised = true
            condition.broadcast()
        }
    }

    /// Waits until raised or until `seconds` passed (`.infinity`: no limit);
    /// true when it was raised. Lowers the flag again either way.
    @discardableResult
    func wait(seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: max(0, seconds))
        return condition.withLock {
            while !raised, condition.wait(before: deadline, finite: seconds.isFinite) {}
            defer { raised = false }
            return raised
        }
    }
}

extension NSCondition {
    /// Waits for a signal, until `deadline` when `finite` (else without a
    /// limit: Foundation on Linux traps on a far deadline such as
    /// `distantFuture`); false when the deadline passed. Call with the lock held.
    func wait(before deadline: Date, finite: Bool) -> Bool {
        guard finite else {
            wait()
            return true
        }
        return wait(until: deadline)
    }
}
