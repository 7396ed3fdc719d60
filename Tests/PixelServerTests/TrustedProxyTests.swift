import Foundation
import PixelServer
import TrackingModel
import TrackingStore
import XCTest

/// `X-Forwarded-For` is believed only from trusted proxies, right-most untrusted hop first;
/// behind one, each client has its own rate-limit bucket, and dropped opens are counted.
final class TrustedProxyTests: XCTestCase {
    private func proxies(_ cidrs: [String]) throws -> TrustedProxies {
        var bad: String?
        return try XCTUnwrap(TrustedProxies(cidrs, bad: &bad), bad ?? "")
    }

    func testParsingAndTheRightMostUntrustedAddress() throws {
        var bad: String?
        XCTAssertNil(TrustedProxies(["10.0.0.0/8", "300.1.1.1"], bad: &bad))
        XCTAssertEqual(bad, "300.1.1.1")
        XCTAssertNil(TrustedProxies(["::1/129"], bad: &bad))
        XCTAssertNil(TrustedProxies(["10.0.0.0/"], bad: &bad))
        let p = try proxies(["10.0.0.0/8", "192.168.1.5", "fd00::/8"])
        XCTAssertTrue(p.contains("10.200.3.4"))
        XCTAssertTrue(p.contains("192.168.1.5"))
        XCTAssertFalse(p.contains("192.168.1.6"))
        XCTAssertTrue(p.contains("fd12::1"))
        XCTAssertTrue(p.contains("::ffff:10.1.1.1"), "an IPv4-mapped peer")
        XCTAssertFalse(p.contains("11.0.0.1"))
        // From an untrusted peer the header is ignored.
        XCTAssertEqual(p.clientAddress(peer: "8.8.8.8", forwardedFor: ["1.2.3.4"]), "8.8.8.8")
        // From a proxy: the right-most hop that is not a proxy; what the client wrote on the left is ignored.
        XCTAssertEqual(p.clientAddress(peer: "10.0.0.2", forwardedFor: ["6.6.6.6, 1.2.3.4"]), "1.2.3.4")
        XCTAssertEqual(p.clientAddress(peer: "10.0.0.2", forwardedFor: ["6.6.6.6", "1.2.3.4, 10.9.9.9"]), "1.2.3.4")
        XCTAssertEqual(p.clientAddress(peer: "10.0.0.2", forwardedFor: ["10.1.1.1, 10.2.2.2"]), "10.1.1.1", "all proxies")
        XCTAssertEqual(p.clientAddress(peer: "10.0.0.2", forwardedFor: []), "10.0.0.2")
        XCTAssertEqual(p.clientAddress(peer: "10.0.0.2", forwardedFor: ["1.2.3.4, junk"]), "10.0.0.2", "junk stops the walk")
        XCTAssertEqual(TrustedProxies().clientAddress(peer: "10.0.0.2", forwardedFor: ["1.2.3.4"]), "10.0.0.2")
    }

    func testBehindATrustedProxyEachClientHasItsOwnBucketAndDroppedOpensAreCounted() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-xff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try TrackingStore(path: dir.appendingPathComponent("s.sqlite").path)
        let me = try store.user(email: "me@yourcompany.example")
        let post = try store.post(
            PostRequest(
                thread: ThreadRef(parsing: "res.partner/1")!, authorId: me.id, to: ["a@x.org, b@x.org"], subject: "S",
                body: "B"))
        let rows = post.trackings.map { ($0.id, $0.token ?? "") }
        _ = try store.apply(rows.map { NewEvent(trackingId: $0.0, type: .sent, timestamp: 1, source: "test", key: "s\($0.0)") })

        for trusted in [true, false] {
            let counters = PixelCounters()
            let ready = AsyncStream<Int>.makeStream()
            let app = PixelServer.application(
                store: store,
                options: PixelServerOptions(
                    host: "127.0.0.1", port: 0, ratePerSecond: 0.001, rateBurst: 2,
                    trustedProxies: try proxies(trusted ? ["127.0.0.1"] : [])),
                counters: counters, onRunning: { ready.continuation.yield($0) })
            let task = Task { try await app.runService() }
            var ports = ready.stream.makeAsyncIterator()
            let first = await ports.next()
            let probe = try HTTPProbe(port: try XCTUnwrap(first))
            // Three clients behind the proxy, two requests each (the left-most entry is a lie of the client).
            for client in ["1.1.1.1", "2.2.2.2", "3.3.3.3"] {
                for (id, token) in rows {
                    let r = try probe.get(
                        PixelLink.path(trackingId: id, token: token), headers: ["X-Forwarded-For: 9.9.9.9, \(client)"])
                    XCTAssertEqual(r.body, PixelGIF.bytes)
                }
            }
            task.cancel()
            XCTAssertEqual(counters.opensDroppedByRateLimit, trusted ? 0 : 4, "trusted: \(trusted)")
            XCTAssertEqual(counters["rateLimited"], counters.opensDroppedByRateLimit)
        }
        let ips = Set(try store.events(EventFilter(type: .open)).rows.compactMap(\.details.ip))
        // The first (trusted) round opened both rows as 1.1.1.1; later opens fall in the store's dedup.
        XCTAssertEqual(ips, ["1.1.1.1"], "the client's address is recorded, not the proxy's nor the client's claim")
    }
}
