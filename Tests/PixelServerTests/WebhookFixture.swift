import Foundation
import PixelServer
import TrackingModel
import TrackingStore
import XCTest

/// What the webhook tests share: a store with one sent row, a running server on a free
/// loopback port, and the store's footprint that a refused request must leave unchanged.
enum WebhookFixture {
    /// A store in `dir` with one row to jane@x.org in `sent`; its id.
    static func sentRow(in dir: URL) throws -> (TrackingStore, Int64) {
        let store = try TrackingStore(path: dir.appendingPathComponent("s.sqlite").path)
        let me = try store.user(email: "me@yourcompany.example")
        let post = try store.post(
            PostRequest(
                thread: ThreadRef(parsing: "res.partner/1")!, authorId: me.id, to: ["jane@x.org"], subject: "S", body: "B"))
        let id = try XCTUnwrap(post.trackings.first?.id)
        _ = try store.apply([NewEvent(trackingId: id, type: .sent, timestamp: 1, source: "test", key: "s\(id)")])
        return (store, id)
    }

    /// `chatter serve`'s application on 127.0.0.1 and a free port; the port and the running task.
    static func serve(
        _ store: TrackingStore, _ webhooks: WebhookOptions, counters: PixelCounters = PixelCounters()
    ) async throws -> (Int, Task<Void, any Error>) {
        let ready = AsyncStream<Int>.makeStream()
        let app = PixelServer.application(
            store: store, options: PixelServerOptions(host: "127.0.0.1", port: 0, webhooks: webhooks), counters: counters,
            onRunning: { port in ready.continuation.yield(port) })
        let task = Task { try await app.runService() }
        var iterator = ready.stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw NSError(domain: "no port", code: 1) }
        return (port, task)
    }

    /// Every event, unmatched and quarantined row: what a rejected request must not change.
    static func footprint(_ store: TrackingStore) throws -> [Int] {
        let counts = try store.ingestCounts()
        return [try store.events(limit: 10_000).rows.count, counts.unmatched, counts.quarantined]
    }
}

/// A clock the tests set by hand, for the server's freshness and replay checks.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double
    init(_ start: Double) { value = start }
    var now: Double {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
