import Foundation

/// The time the front's loop reads (its once-a-second tick, and when the next
/// one is due): the system clock in use, a fake one in tests so a frame's
/// relative times do not depend on when the test ran.
public protocol WallClock: AnyObject {
    /// Seconds since 1970.
    func now() -> Double
}

/// The system's wall clock.
public final class SystemWallClock: WallClock {
    /// The clock of the machine.
    public init() {}

    /// `Date()` in seconds since 1970.
    public func now() -> Double {
        Date().timeIntervalSince1970
    }
}
