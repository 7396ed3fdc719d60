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
    /// Known links; a box holding nil caches "not in the store". Boxed so that updates happen in place.
    private var cache: [PostfixLinkKey: PostfixLinkBox] = [:]
    /// The boxes saved since the last flush, each once.
    private var dirty: [PostfixLinkBox] = []

    /// - Parameter capacity: entries kept across flushes; beyond it the cache is emptied at the next flush.
    public init(backing: any QueueLinkStore, capacity: Int = 100_000) {
        self.backing = backing
        self.capacity = capacity
    }

    public func latestLink(host: String, queueId: String) throws -> QueueLink? {
        try box(PostfixLinkKey(host: host, queueId: queueId)) { try backing.latestLink(host: host, queueId: queueId) }.link
    }

    public func save(_ link: QueueLink) {
        let key = PostfixLinkKey(host: link.host, queueId: link.queueId)
        if let box = cache[key] {
            box.link = link
            markDirty(box)
        } else {
            let box = PostfixLinkBox(link)
            cache[key] = box
            markDirty(box)
        }
    }

    public func withLatestLink(_ id: PostfixQueueRef, _ body: (inout QueueLink?) throws -> Void) throws {
        let box = try box(id.key) { try backing.latestLink(host: id.host, queueId: id.queueId) }
        try body(&box.link)
        if box.link != nil { markDirty(box) }
    }

    /// The cached box of `key`, read from the backing store on a miss.
    private func box(_ key: PostfixLinkKey, read: () throws -> QueueLink?) rethrows -> PostfixLinkBox {
        if let box = cache[key] { return box }
        let box = PostfixLinkBox(try read())
        cache[key] = box
        return box
    }

    private func markDirty(_ box: PostfixLinkBox) {
        guard !box.dirty else { return }
        box.dirty = true
        dirty.append(box)
    }

    /// Writes the links saved since the last flush to the backing store.
    public func flush() throws {
        for box in dirty {
            if let link = box.link { try backing.save(link) }
        }
        for box in dirty { box.dirty = false }
        dirty.removeAll(keepingCapacity: true)
        if cache.count > capacity { cache.removeAll(keepingCapacity: true) }
    }

    /// Forgets everything not flushed and everything cached (after a rollback).
    public func discard() {
        dirty.removeAll()
        cache.removeAll()
    }
}
