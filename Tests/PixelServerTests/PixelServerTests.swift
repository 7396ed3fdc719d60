import Foundation
import Hummingbird
import PixelServer
import TrackingModel
import TrackingStore
import XCTest

/// `chatter serve`'s pixel over real HTTP: the same bytes whatever happened, opens only by the rules.
final class PixelServerTests: XCTestCase {
    private var dir: URL!

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-pixel-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    /// A store with `count` rows in `sent`, their ids and tokens.
    private func store(sentRows count: Int) throws -> (TrackingStore, [(Int64, String)]) {
        let store = try TrackingStore(path: dir.appendingPathComponent("s.sqlite").path)
        let me = try store.user(email: "me@yourcompany.example")
        let to = (0..<count).map { "r\($0)@x.org" }.joined(separator: ", ")
        let post = try store.post(
            PostRequest(thread: ThreadRef(parsing: "res.partner/1")!, authorId: me.id, to: [to], subject: "S", body: "B"))
        let rows = post.trackings.map { ($0.id, $0.token ?? "") }
        _ = try store.apply(
            rows.map { NewEvent(trackingId: $0.0, type: .sent, timestamp: 1, source: "test", key: "s\($0.0)") })
        return (store, rows)
    }

    /// Starts the server on a free port; returns the port and the task to cancel.
    private func serve(_ store: TrackingStore, counters: PixelCounters, rate: Double = 1e9, burst: Double = 1e9)
        async throws -> (Int, Task<Void, any Error>)
    {
        let ready = AsyncStream<Int>.makeStream()
        let app = PixelServer.application(
            store: store, options: PixelServerOptions(host: "127.0.0.1", port: 0, ratePerSecond: rate, rateBurst: burst),
            counters: counters, onRunning: { port in ready.continuation.yield(port) })
        let task = Task { try await app.runService() }
        var iterator = ready.stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw NSError(domain: "no port", code: 1) }
        return (port, task)
    }

    private func withoutDate(_ r: HTTPProbe.Response) -> [String] {
        r.headers.filter { !$0.lowercased().hasPrefix("date:") }
    }

    func testValidAndRandomTokensGetIdenticalAnswersAndOnlyValidOnesOpen() async throws {
        let n = 5000
        let (store, rows) = try store(sentRows: n)
        let counters = PixelCounters()
        let (port, task) = try await serve(store, counters: counters)
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)
        var rng = SystemRandomNumberGenerator()
        var reference: HTTPProbe.Response?
        for i in 0..<(2 * n) {
            let path: String
            if i % 2 == 0 {
                let (id, token) = rows[i / 2]
                path = PixelLink.path(trackingId: id, token: token)
            } else {
                let id = rows[Int.random(in: 0..<n, using: &rng)].0
                let token = String(format: "%016llx%016llx", rng.next() as UInt64, rng.next() as UInt64)
                path = PixelLink.path(trackingId: id + (i % 4 == 1 ? 0 : Int64(n) * 10), token: token)
            }
            let r = try probe.get(path)
            XCTAssertEqual(r.status, 200)
            XCTAssertEqual(r.body, PixelGIF.bytes)
            if let reference {
                if withoutDate(r) != withoutDate(reference) { XCTFail("response \(i) differs: \(r.headers)"); break }
            } else {
                reference = r
                XCTAssertEqual(r.body.count, 43)
                XCTAssertTrue(r.headers.contains("Cache-Control: no-store, no-cache, must-revalidate, private, max-age=0"))
            }
        }
        let opens = try store.events(EventFilter(type: .open), limit: 3 * n).rows
        XCTAssertEqual(opens.count, n, "exactly one open per valid request, none for random tokens")
        XCTAssertEqual(Set(opens.map(\.trackingId)).count, n)
        XCTAssertEqual(counters["recorded"], n)
        XCTAssertEqual(counters["refused"], n)
        XCTAssertEqual(try store.trackings(TrackingFilter(state: .opened), limit: 2 * n).rows.count, n)
        // Malformed and missing tokens: the same GIF, nothing recorded.
        for path in ["/t/1/blank.gif", "/t/abc/def/blank.gif", "/t/1/zz/blank.gif", "/t/1/\(String(repeating: "a", count: 200))/blank.gif"] {
            let r = try probe.get(path)
            XCTAssertEqual(r.body, PixelGIF.bytes)
            XCTAssertEqual(withoutDate(r), withoutDate(reference!))
        }
        XCTAssertEqual(try store.events(EventFilter(type: .open), limit: 3 * n).rows.count, n)
        XCTAssertEqual(try probe.get("/elsewhere").status, 404)
    }

    func testHeadOnThePixelAnswersLikeGetWithoutABodyAndRecordsNothing() async throws {
        let (store, rows) = try store(sentRows: 1)
        let counters = PixelCounters()
        let (port, task) = try await serve(store, counters: counters)
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)
        let path = PixelLink.path(trackingId: rows[0].0, token: rows[0].1)
        let head = try probe.head(path)
        XCTAssertEqual(head.status, 200)
        XCTAssertTrue(head.headers.contains("Content-Length: 43"), "\(head.headers)")
        XCTAssertTrue(head.headers.contains("Content-Type: image/gif"), "\(head.headers)")
        XCTAssertEqual(try store.events(EventFilter(type: .open)).rows.count, 0, "a HEAD does not load the image")
        // The same connection goes on: no stray body bytes were sent after the HEAD answer.
        let get = try probe.get(path)
        XCTAssertEqual(get.body, PixelGIF.bytes)
        XCTAssertEqual(withoutDate(head), withoutDate(get))
        XCTAssertEqual(try probe.head("/t/1/zz/blank.gif").status, 200)
        XCTAssertEqual(counters["head"], 2)
        XCTAssertEqual(counters["recorded"], 1)
    }

    func testOpensOnlyFromSentOrDeliveredAndTheRateLimitKeepsTheStoreOut() async throws {
        let (store, rows) = try store(sentRows: 20)
        let me = try store.user(email: "me@yourcompany.example")
        let waiting = try XCTUnwrap(
            try store.post(PostRequest(thread: ThreadRef(parsing: "res.partner/2")!, authorId: me.id, to: ["w@x.org"], subject: "S", body: "B"))
                .trackings.first)
        let counters = PixelCounters()
        let (port, task) = try await serve(store, counters: counters, rate: 0.001, burst: 5)
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)
        let r = try probe.get(PixelLink.path(trackingId: waiting.id, token: waiting.token))
        XCTAssertEqual(r.body, PixelGIF.bytes)
        XCTAssertEqual(try store.tracking(id: waiting.id).state, nil, "a waiting row is not opened")
        XCTAssertEqual(counters["notOpenable"], 1)
        for (id, token) in rows.prefix(10) { _ = try probe.get(PixelLink.path(trackingId: id, token: token)) }
        XCTAssertEqual(counters["recorded"], 4, "burst of 5, one used above")
        XCTAssertEqual(counters["rateLimited"], 6)
        XCTAssertEqual(try store.events(EventFilter(type: .open)).rows.count, 4)
    }

    func testASharedPixelAnswersTheSameGIFAndOpensEverySentRowOfItsMail() async throws {
        let store = try TrackingStore(path: dir.appendingPathComponent("shared.sqlite").path)
        let me = try store.user(email: "me@yourcompany.example")
        _ = try store.postAndQueue(
            PostRequest(
                thread: ThreadRef(parsing: "res.partner/1")!, authorId: me.id, to: ["a@x.org, b@x.org"], subject: "S",
                body: "B"),
            sharedMail: true)
        let jobs = try store.claimDueMail()
        XCTAssertEqual(jobs.count, 2)
        let token = try XCTUnwrap(jobs.first?.sharedToken)
        _ = try store.recordOutcomes(
            jobs.map { ($0, .accepted(server: "mx", queueId: nil, reply: "250")) }, policy: RetryPolicy())
        let counters = PixelCounters()
        let (port, task) = try await serve(store, counters: counters)
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)
        let wrong = try probe.get(PixelLink.path(trackingId: jobs[0].trackingId, token: String(repeating: "f", count: 32)))
        let shared = try probe.get(PixelLink.path(trackingId: jobs[0].trackingId, token: token))
        XCTAssertEqual(shared.body, PixelGIF.bytes)
        XCTAssertEqual(withoutDate(shared), withoutDate(wrong), "no oracle: a shared open looks like a refusal")
        XCTAssertEqual(counters["recorded"], 1)
        for job in jobs {
            XCTAssertEqual(try store.tracking(id: job.trackingId).state, .opened)
            let open = try store.events(EventFilter(trackingId: job.trackingId, type: .open)).rows
            XCTAssertEqual(open.map(\.details.errorDetails), [EventDetails.sharedPixel])
        }
    }
}
