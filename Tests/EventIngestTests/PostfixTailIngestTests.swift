@testable import DeliverySignals
import Foundation
import TestSupport
import XCTest

@testable import EventIngest

/// The tailer and the Postfix ingestor together, the way the poller uses them:
/// each batch's events, queue links and cursor are "committed" together; a crash
/// drops everything since the last commit.
final class PostfixTailIngestTests: XCTestCase {
    /// Links with commit / rollback, standing in for the store's transaction.
    private final class TransactionalLinks: QueueLinkStore {
        var committed: [String: QueueLink] = [:]
        var working: [String: QueueLink] = [:]
        func latestLink(host: String, queueId: String) -> QueueLink? { working[host + "/" + queueId] }
        func save(_ link: QueueLink) { working[link.host + "/" + link.queueId] = link }
        func commit() { committed = working }
        func rollback() { working = committed }
    }

    private func oneShotKeys() throws -> [String] {
        let text = try String(contentsOfFile: PostfixFixture.capturePath, encoding: .utf8)
        return try PostfixFixture.run(text, ingestor: PostfixFixture.ingestor()).events.map(\.key)
    }

    func testBatchesRestartsAndCrashesGiveExactlyTheOneShotEvents() throws {
        let dir = try LogDirectory()
        let lines = try String(contentsOfFile: PostfixFixture.capturePath, encoding: .utf8).split(separator: "\n")
        // The capture split over a rotated file and the live one, read on a first backfill.
        try dir.append(lines[..<60].joined(separator: "\n") + "\n", to: dir.path("app.log.1"))
        try dir.setMTime(dir.path("app.log.1"), PostfixFixture.captureReference - 60)
        try dir.gzip(dir.path("app.log.1"))
        try dir.append(lines[60...].joined(separator: "\n") + "\n")

        var rng = SeededGenerator(seed: 7)
        let links = TransactionalLinks()
        var committedKeys: [String] = []
        var cursor: FileCursor?
        var tailer = LogTailer(path: dir.live, cursor: nil)
        var ingestor = PostfixFixture.ingestor(links: links)
        var idle = 0
        var crashes = 0
        while idle < 2 {
            var batchKeys: [String] = []
            let after = try tailer.read(maxLines: Int.random(in: 1...9, using: &rng)) { line, offset, path in
                if case .events(let events) = try ingestor.ingest(line, offset: offset, path: path) {
                    batchKeys += events.map(\.key)
                }
            }
            let empty = after == cursor && batchKeys.isEmpty
            if Int.random(in: 0..<4, using: &rng) == 0 {
                // kill -9 before the commit: nothing of the batch survives.
                links.rollback()
                crashes += 1
            } else {
                links.commit()
                committedKeys += batchKeys
                cursor = after
                idle = empty ? idle + 1 : 0
            }
            tailer = LogTailer(path: dir.live, cursor: cursor)
            ingestor = PostfixFixture.ingestor(links: links)
        }
        XCTAssertGreaterThan(crashes, 5)
        XCTAssertEqual(Set(committedKeys).count, committedKeys.count, "no event twice")
        XCTAssertEqual(committedKeys.sorted(), try oneShotKeys().sorted())
    }
}
