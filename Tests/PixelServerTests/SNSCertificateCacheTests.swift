import Foundation
import PixelServer
import X509
import XCTest

/// The certificate cache keeps at most its capacity, dropping the oldest URL first.
final class SNSCertificateCacheTests: XCTestCase {
    func testTheCacheIsBoundedAndDropsTheOldestFirst() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-sns-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let signer = try SNSTestSigner(dir: dir)
        let certificate = try Certificate(pemEncoded: String(decoding: signer.certificate, as: UTF8.self))
        let cache = SNSCertificateCache(capacity: 2)
        let urls = try (1...3).map { try XCTUnwrap(URL(string: "https://sns.eu-west-1.amazonaws.com/c\($0).pem")) }
        cache.store(certificate, for: urls[0])
        cache.store(certificate, for: urls[1])
        cache.store(certificate, for: urls[0])  // already held: no second entry
        XCTAssertEqual(cache.count, 2)
        cache.store(certificate, for: urls[2])
        XCTAssertEqual(cache.count, 2)
        XCTAssertNil(cache.certificate(for: urls[0]))
        XCTAssertNotNil(cache.certificate(for: urls[1]))
        XCTAssertEqual(cache.certificate(for: urls[2]), certificate)
    }
}
