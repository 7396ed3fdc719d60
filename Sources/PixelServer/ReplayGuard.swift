import Foundation

/// Remembers signed nonces (Mailgun tokens, SendGrid signed-content digests) for the
/// replay window, in memory: a second request with the same nonce inside the window is
/// a replay. A nonce is claimed before the store is touched and released again when the
/// store failed, so that the provider's retry is not mistaken for a replay.
public final class ReplayGuard: @unchecked Sendable {
    private let lock = NSLock()
    private let window: Double
    private var seen: [String: Double] = [:]
    private var pruneAt = 4096

    public init(window: Double) { self.window = window }

    /// True when `nonce` was not seen within the window (it is now remembered).
    public func claim(_ nonce: String, now: Double) -> Bool {
        lock.withLock {
            if seen.count >= pruneAt {
                seen = seen.filter { $0.value > now }
                pruneAt = max(4096, seen.count * 2)
            }
            if let until = seen[nonce], until > now { return false }
            seen[nonce] = now + window
            return true
        }
    }

    /// Forgets `nonce` (its request was not processed after all).
    public func release(_ nonce: String) {
        lock.withLock { _ = seen.removeValue(forKey: nonce) }
    }
}
