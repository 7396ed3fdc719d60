/// A write-back cache in front of a `QueueLinkStore`: lines of the same queue id
/// come in bursts, so most lookups are served from memory and each link is written
/// once per batch instead of once per line.
///
/// Use inside the batch transaction: `flush()` before committing (it writes the
/// links changed since the last flush to the backing store), `discard()` after a
/// rollback (the cache may hold links the store never got).
public final class CachingQueueLinkStore: QueueLinkStore {
    private let backing: any QueueLinkStore
    private let capacity: Int
    /// Known links by `host \u{1} queueId`; `.some(nil)` caches "not in the store".
    private var cache: [String: QueueLink?] = [:]
    private var dirty: Set<String> = []

    /// - Parameter capacity: entries kept across flushes; beyond it the cache is emptied at the next flush.
    public init(backing: any QueueLinkStore, capacity: Int = 100_000) {
        self.backing = backing
        self.capacity = capacity
    }

    public func latestLink(host: String, queueId: String) throws -> QueueLink? {
        let key = host + "\u{1}" + queueId
        if let cached = cache[key] { return cached }
        let link = try backing.latestLink(host: host, queueId: queueId)
        cache[key] = .some(link)
        return link
    }

    public func save(_ link: QueueLink) {
        let key = link.host + "\u{1}" + link.queueId
        cache[key] = .some(link)
        dirty.insert(key)
    }

    /// Writes the links saved since the last flush to the backing store.
    public func flush() throws {
        for key in dirty {
            if let link = cache[key] ?? nil { try backing.save(link) }
        }
        dirty.removeAll(keepingCapacity: true)
        if cache.count > capacity { cache.removeAll(keepingCapacity: true) }
    }

    /// Forgets everything not flushed and everything cached (after a rollback).
    public func discard() {
        dirty.removeAll()
        cache.removeAll()
    }
}
