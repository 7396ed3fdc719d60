import Foundation
import TrackingStore

/// The Inbox counter, kept incrementally: counted in full once (a million
/// messages take a while on a cold cache), then only the messages added since
/// (messages are append-only and keep their author and recipients).
final class InboxCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count: Int?
    private var upTo: Int64 = 0

    /// The last count, if one was made.
    var known: Int? { lock.withLock { count } }

    /// Brings the count up to the newest message; nil when it did not change.
    /// Runs on a reader thread; loads of one kind never overlap in effect, and
    /// the lock keeps a late answer from going backwards.
    func refresh(_ store: TrackingStore, user: Int64) throws -> Int? {
        let (previous, from) = lock.withLock { (count, upTo) }
        let latest = try store.latestMessageId()
        if previous != nil, latest == from { return nil }
        let base = previous == nil ? 0 : from
        let added = try store.inboxCount(for: user, afterId: base, throughId: latest)
        return lock.withLock {
            guard upTo == from, count == previous else { return nil }
            count = (previous ?? 0) + added
            upTo = latest
            return count
        }
    }
}
