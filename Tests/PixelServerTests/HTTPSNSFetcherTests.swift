import Foundation
import Hummingbird
import NIOCore
import PixelServer
import XCTest

/// The real fetcher (URLSession through `HTTPFetch`) against a loopback server: a 2xx body
/// comes back; another status, a redirect (not followed) or an oversized answer is an error. (The host rule is the
/// verifier's; here plain http on loopback is fine.)
final class HTTPSNSFetcherTests: XCTestCase {
    func testBodiesStatusesAndTheSizeCap() async throws {
        let router = Router()
        router.get("cert.pem") { _, _ in "-----BEGIN CERTIFICATE-----\n" }
        router.get("big.pem") { _, _ in String(repeating: "x", count: 5000) }
        router.get("gone.pem") { _, _ -> Response in Response(status: .notFound) }
        router.get("moved.pem") { _, _ -> Response in
            Response(status: .found, headers: [.location: "/cert.pem"])
        }
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port ?? 0) })
        let task = Task { try await app.runService() }
        defer { task.cancel() }
        var iterator = ready.stream.makeAsyncIterator()
        let next = await iterator.next()
        let port = try XCTUnwrap(next)
        let base = "http://127.0.0.1:\(port)/"
        let fetcher = HTTPSNSFetcher(timeout: 5, maxBytes: 4096)

        let body = try await fetcher.get(try XCTUnwrap(URL(string: base + "cert.pem")))
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "-----BEGIN CERTIFICATE-----\n")
        do {
            _ = try await fetcher.get(try XCTUnwrap(URL(string: base + "gone.pem")))
            XCTFail("a 404 is not a certificate")
        } catch {
            XCTAssertEqual(error as? SNSFetchError, .status(404))
        }
        do {
            _ = try await fetcher.get(try XCTUnwrap(URL(string: base + "moved.pem")))
            XCTFail("a redirect is not followed")
        } catch {
            XCTAssertEqual(error as? SNSFetchError, .status(302))
        }
        do {
            _ = try await fetcher.get(try XCTUnwrap(URL(string: base + "big.pem")))
            XCTFail("over the cap")
        } catch {
            XCTAssertEqual(error as? SNSFetchError, .tooLarge)
        }
    }
}
