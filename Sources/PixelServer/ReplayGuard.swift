import Foundation

/// Remembers signed nonces (Mailgun tokens, SendGrid signed-content digests, SNS message
/// ids) in memory until the window has passed after their signed time (or their arrival,
/// when that is later): a second request with the same nonce before then is a replay. As a
/// signature is accepted up to `window` after its signed time, a nonce is never forgotten
/// while its request could still be taken. A nonce is claimed before the store is touched and released again when the
/// store failed, so that the provider's retry is not mistaken for a replay.
public final class ReplayGuard: @unchecked Sendable {
    private let lock = NSLock()
    private let window: Double
    private var seen: [String: Double] = [:]
    private var pruneAt = 4096

    public init(window: Double) { self.window = window }

    /// True when `nonce` is not remembered at `now` (it is now remembered until
    /// max(now, `signedAt`) + window).
    public func claim(_ nonce: String, now: Double, signedAt: Double? = nil) -> Bool {
        lock.withLock {
            if seen.count >= pruneAt {
                seen = seen.filter { $0.value > now }
                pruneAt = max(4096, seen.count * 2)
            }
            if let until = seen[nonce], until > now { return false }
            seen[nonce] = max(now, signedAt ?? now) + window
            return true
        }
    }

    /// Forgets `nonce` (its request was not processed after all).
    public func release(_ nonce: String) {
        lock.withLock { _ = seen.removeValue(forKey: nonce) }
    }
}
