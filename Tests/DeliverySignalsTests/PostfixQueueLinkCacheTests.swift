@testable import DeliverySignals
import TestSupport
import XCTest

final class PostfixQueueLinkCacheTests: XCTestCase {
    private final class CountingStore: QueueLinkStore {
        var links: [String: QueueLink] = [:]
        var reads = 0
        var writes = 0
        func latestLink(host: String, queueId: String) -> QueueLink? {
            reads += 1
            return links[host + "/" + queueId]
        }
        func save(_ link: QueueLink) {
            writes += 1
            links[link.host + "/" + link.queueId] = link
        }
    }

    func testCaptureThroughTheCacheGivesTheSameEventsWithFewerStoreCalls() throws {
        let text = try String(contentsOfFile: PostfixFixture.capturePath, encoding: .utf8)
        let direct = CountingStore()
        let plain = try PostfixFixture.run(text, ingestor: PostfixFixture.ingestor(links: direct)).events
        let backing = CountingStore()
        let cache = CachingQueueLinkStore(backing: backing)
        let cached = try PostfixFixture.run(text, ingestor: PostfixFixture.ingestor(links: cache)).events
        XCTAssertEqual(cached, plain)
        XCTAssertEqual(backing.writes, 0, "nothing written before the flush")
        try cache.flush()
        XCTAssertEqual(backing.links, direct.links)
        XCTAssertLessThan(backing.reads, direct.reads / 3)
        XCTAssertLessThan(backing.writes, direct.writes / 3)
    }

    func testDiscardAfterRollbackRereadsTheStore() throws {
        let backing = CountingStore()
        let cache = CachingQueueLinkStore(backing: backing)
        cache.save(QueueLink(host: "vm", queueId: "ABCDEF0001", firstSeen: 1, messageId: "m@x"))
        XCTAssertEqual(try cache.latestLink(host: "vm", queueId: "ABCDEF0001")?.messageId, "m@x")
        cache.discard()
        XCTAssertNil(try cache.latestLink(host: "vm", queueId: "ABCDEF0001"))
        try cache.flush()
        XCTAssertEqual(backing.writes, 0)
    }
}
