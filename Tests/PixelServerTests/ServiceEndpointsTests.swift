import EventIngest
import Foundation
import Hummingbird
import PixelServer
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// `serve`'s `/metrics` (parsed as Prometheus text; counters move with real requests) and
/// `/healthz` (200, then 503 with the reason once the store file is gone).
final class ServiceEndpointsTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-svc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func sentRows(_ store: TrackingStore, _ count: Int) throws -> [(Int64, String)] {
        let me = try store.user(email: "me@yourcompany.example")
        let to = (0..<count).map { "r\($0)@x.org" }.joined(separator: ", ")
        let post = try store.post(
            PostRequest(thread: ThreadRef(parsing: "res.partner/1")!, authorId: me.id, to: [to], subject: "S", body: "B"))
        let rows = post.trackings.map { ($0.id, $0.token ?? "") }
        _ = try store.apply(rows.map { NewEvent(trackingId: $0.0, type: .sent, timestamp: 1, source: "test", key: "s\($0.0)") })
        return rows
    }

    private func serve(_ store: TrackingStore, service: ServiceEndpoints) async throws -> (Int, Task<Void, any Error>) {
        let ready = AsyncStream<Int>.makeStream()
        let app = PixelServer.application(
            store: store, options: PixelServerOptions(host: "127.0.0.1", port: 0), service: service,
            onRunning: { port in ready.continuation.yield(port) })
        let task = Task { try await app.run() }
        var iterator = ready.stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw NSError(domain: "no port", code: 1) }
        return (port, task)
    }

    private func metrics(_ probe: HTTPProbe) throws -> PrometheusText {
        let r = try probe.get("/metrics")
        XCTAssertEqual(r.status, 200)
        XCTAssertTrue(r.headers.contains { $0.lowercased().hasPrefix("content-type: text/plain; version=0.0.4") }, "\(r.headers)")
        let text = PrometheusText(String(decoding: r.body, as: UTF8.self))
        XCTAssertEqual(text.malformed, [])
        return text
    }

    func testMetricsCountRealRequests() async throws {
        let store = try TrackingStore(path: dir.appendingPathComponent("s.sqlite").path)
        let rows = try sentRows(store, 3)
        let log = dir.appendingPathComponent("events.jsonl")
        try Data(repeating: UInt8(ascii: "\n"), count: 100).write(to: log)
        let lag = PollerLag(sources: [PollerSource(kind: .events, path: log.path)])
        let (port, task) = try await serve(store, service: ServiceEndpoints(metrics: ServiceMetrics(lag: lag.sampler)))
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)

        let before = try metrics(probe)
        XCTAssertEqual(before.value("chatter_store_up"), 1)
        XCTAssertEqual(before.value("chatter_pixel_opens_total"), 0)
        XCTAssertEqual(before.types["chatter_pixel_opens_total"], "counter")
        XCTAssertEqual(before.value("chatter_store_events"), 3)
        XCTAssertEqual(before.value("chatter_outbox_entries", ["status": "queued"]), 0)
        XCTAssertEqual(before.value("chatter_poller_lag_bytes", ["source": "events:\(log.path)"]), 100)

        for (id, token) in rows { XCTAssertEqual(try probe.get(PixelLink.path(trackingId: id, token: token)).status, 200) }
        XCTAssertEqual(try probe.get(PixelLink.path(trackingId: rows[0].0, token: String(repeating: "0", count: 32))).status, 200)
        XCTAssertEqual(try probe.get("/nowhere").status, 404)
        XCTAssertEqual(try probe.post("/webhooks/mailgun", body: Array("{}".utf8)).status, 404)

        let after = try metrics(probe)
        XCTAssertEqual(after.value("chatter_http_requests_total", ["route": "pixel", "status": "200"]), 4)
        XCTAssertEqual(after.value("chatter_http_requests_total", ["route": "other", "status": "404"]), 1)
        XCTAssertEqual(after.value("chatter_http_requests_total", ["route": "webhook_mailgun", "status": "404"]), 1)
        XCTAssertEqual(after.value("chatter_http_requests_total", ["route": "metrics", "status": "200"]), 1)
        XCTAssertEqual(after.value("chatter_pixel_opens_total"), 3)
        XCTAssertEqual(after.value("chatter_pixel_requests_total", ["outcome": "refused"]), 1)
        XCTAssertEqual(
            after.value("chatter_webhook_requests_total", ["provider": "mailgun", "result": "refused", "reason": "notConfigured"]), 1)
        XCTAssertEqual(
            after.value("chatter_webhook_requests_total", ["provider": "mailgun", "result": "accepted", "reason": "accepted"]), 0)
        XCTAssertEqual(after.value("chatter_store_events"), 6, "3 sent + 3 opens")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(after.value("chatter_poller_lag_seconds", ["source": "events:\(log.path)"])), 0)
    }

    func testHealthzIs503OnceTheStoreFileIsGone() async throws {
        let path = dir.appendingPathComponent("s.sqlite").path
        let store = try TrackingStore(path: path)
        let (port, task) = try await serve(store, service: ServiceEndpoints())
        defer { task.cancel() }
        let probe = try HTTPProbe(port: port)
        let ok = try probe.get("/healthz")
        XCTAssertEqual(ok.status, 200)
        XCTAssertEqual(String(decoding: ok.body, as: UTF8.self), "ok\n")

        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let gone = try probe.get("/healthz")
        XCTAssertEqual(gone.status, 503)
        let body = String(decoding: gone.body, as: UTF8.self)
        XCTAssertTrue(body.hasPrefix("unhealthy: store file \(path) is gone"), body)
        XCTAssertEqual(try metrics(probe).value("chatter_store_up"), 0)
    }
}
