@testable import DeliverySignals
import TestSupport
import XCTest

/// The byte-level link keys and the in-place link updates the correlator uses: hashing must
/// never merge two queue ids, and the in-memory path must give what the plain
/// `latestLink` / `save` path gives.
final class PostfixLinkKeyTests: XCTestCase {
    /// A store with only the two base requirements: the correlator reaches it through the default `withLatestLink`.
    private final class PlainStore: QueueLinkStore {
        var links: [String: QueueLink] = [:]
        func latestLink(host: String, queueId: String) -> QueueLink? { links[host + "/" + queueId] }
        func save(_ link: QueueLink) {
            let key = link.host + "/" + link.queueId
            if let existing = links[key], existing.firstSeen > link.firstSeen { return }
            links[key] = link
        }
    }

    func testKeysWithTheSameHashButDifferentIdsStayApart() {
        let words: (UInt64, UInt64, UInt64) = (1, 0, 0)
        let a = PostfixLinkKey(hash: 42, length: 10, words: words, overflow: nil, host: "vm")
        let b = PostfixLinkKey(hash: 42, length: 10, words: (2, 0, 0), overflow: nil, host: "vm")
        let otherHost = PostfixLinkKey(hash: 42, length: 10, words: words, overflow: nil, host: "mx")
        let shorter = PostfixLinkKey(hash: 42, length: 9, words: words, overflow: nil, host: "vm")
        XCTAssertNotEqual(a, b)
        XCTAssertNotEqual(a, otherHost)
        XCTAssertNotEqual(a, shorter)
        var table: [PostfixLinkKey: String] = [:]
        table[a] = "a"
        table[b] = "b"
        table[otherHost] = "otherHost"
        table[shorter] = "shorter"
        XCTAssertEqual(table.count, 4)
        XCTAssertEqual(table[a], "a")
        XCTAssertEqual(table[b], "b")
    }

    func testKeysFromBytesAndFromTextAgree() {
        for id in ["ABCDEF0001", "3Pt2mN2VXxznjll", "", "A", String(repeating: "Q", count: 24), String(repeating: "Q", count: 40)] {
            var bytes = Array(id.utf8)
            let fromBytes = bytes.withUnsafeMutableBufferPointer { buffer in
                PostfixLinkKey(host: "vm", hostHash: PostfixLinkKey.hostHash("vm"), queueId: UnsafeBufferPointer(buffer))
            }
            XCTAssertEqual(fromBytes, PostfixLinkKey(host: "vm", queueId: id), id)
            XCTAssertEqual(fromBytes.hash, PostfixLinkKey(host: "vm", queueId: id).hash, id)
        }
    }

    func testLongIdsDifferingAfterTheInlineBytesStayApart() {
        let prefix = String(repeating: "A", count: PostfixLinkKey.inlineBytes)
        let a = PostfixLinkKey(host: "vm", queueId: prefix + "X")
        let b = PostfixLinkKey(host: "vm", queueId: prefix + "Y")
        let c = PostfixLinkKey(host: "vm", queueId: prefix)
        XCTAssertNotEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(Set([a, b, c]).count, 3)
        // A NUL byte is not padding: "AB" and "AB\0" are two ids.
        XCTAssertNotEqual(PostfixLinkKey(host: "vm", queueId: "AB"), PostfixLinkKey(host: "vm", queueId: "AB\u{0}"))
    }

    func testTheSameQueueIdOnTwoHostsIsTwoLinks() throws {
        let text = """
            Nov 25 10:00:00 vm postfix/cleanup[1]: ABCDEF0001: message-id=<on-vm@x>
            Nov 25 10:00:00 mx2 postfix/cleanup[1]: ABCDEF0001: message-id=<on-mx2@x>
            Nov 25 10:00:01 vm postfix/local[2]: ABCDEF0001: to=<a@x>, relay=local, delay=1, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)
            Nov 25 10:00:01 mx2 postfix/local[2]: ABCDEF0001: to=<a@x>, relay=local, delay=1, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)
            """
        let links = InMemoryQueueLinkStore()
        let (events, _) = try PostfixFixture.run(text, ingestor: PostfixFixture.ingestor(links: links))
        XCTAssertEqual(events.map(\.tieBack.messageId), ["on-vm@x", "on-mx2@x"])
        XCTAssertEqual(links.count, 2)
        XCTAssertEqual(links.latestLink(host: "mx2", queueId: "ABCDEF0001")?.messageId, "on-mx2@x")
    }

    /// Lines in any order (times running backwards, reused ids, other hosts, long notification ids):
    /// the in-place path of the in-memory stores gives exactly the events and links of the plain path.
    func testInPlaceUpdatesMatchThePlainStorePathOnShuffledCaptures() throws {
        let capture = try String(contentsOfFile: PostfixFixture.capturePath, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var rng = SeededGenerator(seed: 11)
        for round in 0..<12 {
            var lines: [String] = []
            for _ in 0..<2 {
                for var line in (round == 0 ? capture : capture.shuffled(using: &rng)) {
                    if Int.random(in: 0..<5, using: &rng) == 0 { line = line.replacingOccurrences(of: " vm ", with: " vm2 ") }
                    if Int.random(in: 0..<10, using: &rng) == 0, line.hasPrefix("Nov 25") {
                        line = "Nov " + String(format: "%2d", Int.random(in: 20...25, using: &rng)) + line.dropFirst(6)
                    }
                    if Int.random(in: 0..<4, using: &rng) == 0 {
                        line = line.replacingOccurrences(of: "notification: ", with: "notification: " + String(repeating: "Z", count: 30))
                    }
                    lines.append(line)
                }
            }
            let text = lines.joined(separator: "\n")
            let plain = PlainStore()
            let memory = InMemoryQueueLinkStore()
            let expected = try PostfixFixture.run(text, ingestor: PostfixFixture.ingestor(links: plain))
            XCTAssertEqual(try PostfixFixture.run(text, ingestor: PostfixFixture.ingestor(links: memory)).events, expected.events)
            XCTAssertEqual(memory.count, plain.links.count)
            for (key, link) in plain.links {
                XCTAssertEqual(memory.latestLink(host: link.host, queueId: link.queueId), link, key)
            }
            if round == 0 {
                // In log order (the cache, unlike the stores, keeps no older-life rule, so only in order):
                // the cache's in-place path gives the same events and, after a flush, the same links.
                let backing = PlainStore()
                let cached = CachingQueueLinkStore(backing: backing)
                XCTAssertEqual(try PostfixFixture.run(text, ingestor: PostfixFixture.ingestor(links: cached)).events, expected.events)
                try cached.flush()
                XCTAssertEqual(backing.links, plain.links)
            }
            XCTAssertGreaterThan(expected.events.count, 30)
        }
    }
}
