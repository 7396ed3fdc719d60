import Foundation
import GRDB
import TrackingModel
import TrackingStore
import XCTest

/// `gc` on a 90-day demo store keeping 30 days: what it must keep, what it removes, the
/// counters still right; `backup` while a writer runs gives a copy that passes `check`;
/// `check` finds a counter put wrong on purpose.
final class StoreRetentionTests: XCTestCase {
    var dir: URL!
    let now = 1_764_000_000.0

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-gc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func demo(size: Int) throws -> TrackingStore {
        let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Assets/demo/dataset.json")
        let dataset = try DemoDataset.load(from: Data(contentsOf: assets))
        var options = DemoOptions()
        options.size = size
        options.now = now
        let path = dir.appendingPathComponent("demo.sqlite").path
        _ = try TrackingStore.buildDemo(at: path, dataset, options: options)
        return try TrackingStore(path: path)
    }

    private func ids(_ db: DatabaseQueue, _ sql: String) throws -> Set<Int64> {
        try db.read { Set(try Int64.fetchAll($0, sql: sql)) }
    }

    func testGcKeepsWhatTheRuleKeepsAndRemovesTheRest() throws {
        let store = try demo(size: 600)
        XCTAssertEqual(try store.check().filter { $0.problems > 0 }, [])
        let db = try DatabaseQueue(path: store.path)
        let cutoff = now - 30 * 86400
        let failedStates = TrackingState.allCases.filter(\.isFailed).map { "'\($0.rawValue)'" }.joined(separator: ",")
        let protectedFailures = try ids(
            db, "SELECT t.id FROM trackings t JOIN messages m ON m.id = t.message_id WHERE m.needs_action = 1 AND t.state IN (\(failedStates))")
        let newestPerAddress = try ids(
            db, "SELECT (SELECT n.id FROM trackings n WHERE n.address = a.address ORDER BY n.created_at DESC, n.id DESC LIMIT 1) FROM (SELECT DISTINCT address FROM trackings WHERE address IS NOT NULL) a")
        let referred = try ids(db, "SELECT tracking_id FROM outbox UNION SELECT tracking_id FROM audit_log WHERE tracking_id IS NOT NULL")
        let recent = try ids(db, "SELECT id FROM trackings WHERE max(created_at, coalesce(last_ts, 0)) >= \(cutoff)")
        let all = try ids(db, "SELECT id FROM trackings")
        let bounced = try db.read { try Row.fetchAll($0, sql: "SELECT id, email_bounced FROM partners ORDER BY id") }
        let eventsBefore = try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM events") ?? 0 }
        let expectedGone = all.subtracting(protectedFailures).subtracting(newestPerAddress).subtracting(referred).subtracting(recent)
        XCTAssertGreaterThan(expectedGone.count, all.count / 3, "the demo's 90 days should leave plenty to remove")
        XCTAssertFalse(protectedFailures.subtracting(recent).isEmpty, "old failures needing action exist")

        let dry = try store.collectGarbage(olderThan: cutoff, batchSize: 100, dryRun: true)
        XCTAssertEqual(try ids(db, "SELECT id FROM trackings"), all, "a dry run writes nothing")
        let real = try store.collectGarbage(olderThan: cutoff, batchSize: 100, dryRun: false)
        XCTAssertEqual(dry.trackings, real.trackings)
        XCTAssertEqual(dry.events, real.events)
        XCTAssertEqual(real.trackings, expectedGone.count)
        XCTAssertGreaterThan(real.batches, 1)
        XCTAssertEqual(try ids(db, "SELECT id FROM trackings"), all.subtracting(expectedGone))
        let eventsAfter = try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM events") ?? 0 }
        XCTAssertEqual(eventsAfter, eventsBefore - real.events)
        XCTAssertGreaterThan(real.events, 0)
        XCTAssertEqual(try db.read { try Row.fetchAll($0, sql: "SELECT id, email_bounced FROM partners ORDER BY id") }, bounced)
        XCTAssertEqual(try store.check().filter { $0.problems > 0 }, [], "counters still agree with a recount")
        XCTAssertEqual(try store.collectGarbage(olderThan: cutoff, dryRun: false).trackings, 0, "nothing left to remove")
    }

    func testANewStoreIsCreatedWithIncrementalAutoVacuumSoGcGivesSpaceBack() throws {
        let path = try demo(size: 600).path
        let store = try TrackingStore(path: path)
        XCTAssertEqual(try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") }, 2)
        let report = try store.collectGarbage(olderThan: now - 30 * 86400, dryRun: false)
        XCTAssertGreaterThan(report.trackings, 0)
        XCTAssertTrue(report.vacuumed)
        XCTAssertLessThan(report.bytesAfter, report.bytesBefore)
        let created = NSTemporaryDirectory() + "chatter-new-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: created + suffix) } }
        _ = try TrackingStore(path: created)
        XCTAssertEqual(try DatabaseQueue(path: created).read { try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") }, 2)
    }

    /// A store made before new stores got incremental auto-vacuum, converted once by hand.
    func testGcGivesSpaceBackWhenTheStoreHasIncrementalAutoVacuum() throws {
        let path = try demo(size: 600).path
        try DatabaseQueue(path: path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            try db.execute(sql: "VACUUM")
        }
        let store = try TrackingStore(path: path)
        let report = try store.collectGarbage(olderThan: now - 30 * 86400, dryRun: false)
        XCTAssertGreaterThan(report.trackings, 0)
        XCTAssertTrue(report.vacuumed)
        XCTAssertEqual(report.freePagesAfter, 0)
        XCTAssertLessThan(report.bytesAfter, report.bytesBefore)
        XCTAssertEqual(try store.check().filter { $0.problems > 0 }, [])
    }

    func testBackupWhileAWriterRunsPassesCheck() throws {
        let store = try demo(size: 300)
        let trackingId = try DatabaseQueue(path: store.path).read { try Int64.fetchOne($0, sql: "SELECT min(id) FROM trackings")! }
        let writer = try TrackingStore(path: store.path)
        let stop = ManagedAtomicFlag()
        let done = DispatchSemaphore(value: 0)
        let start = now
        DispatchQueue.global().async {
            var n = 0
            while !stop.isSet {
                _ = try? writer.apply([
                    NewEvent(trackingId: trackingId, type: .deferral, timestamp: start + Double(n), source: "bk", key: "k\(n)")
                ])
                n += 1
            }
            done.signal()
        }
        usleep(50_000)
        let copy = dir.appendingPathComponent("copy.sqlite").path
        let bytes = try store.backup(to: copy)
        stop.set()
        done.wait()
        XCTAssertGreaterThan(bytes, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: copy + ".partial"))
        let restored = try TrackingStore(path: copy)
        XCTAssertEqual(try restored.check().filter { $0.problems > 0 }, [])
        let copied = try DatabaseQueue(path: copy).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM events WHERE source = 'bk'") ?? 0 }
        let live = try DatabaseQueue(path: store.path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM events WHERE source = 'bk'") ?? 0 }
        XCTAssertGreaterThan(live, 0)
        XCTAssertLessThanOrEqual(copied, live)
        XCTAssertThrowsError(try store.backup(to: copy), "never overwrites") { error in
            guard case StoreError.invalidInput = error else { return XCTFail("\(error)") }
        }
    }

    func testCheckFindsACounterThatDisagrees() throws {
        let store = try demo(size: 100)
        XCTAssertEqual(try store.check().map(\.problems).reduce(0, +), 0)
        try DatabaseQueue(path: store.path).write { db in
            try db.execute(sql: "UPDATE messages SET failed_trackings = failed_trackings + 2 WHERE id = (SELECT min(id) FROM messages WHERE needs_action = 0)")
            try db.execute(sql: "UPDATE threads SET message_count = message_count + 1 WHERE id = (SELECT min(id) FROM threads)")
        }
        let problems = try store.check().filter { $0.problems > 0 }
        XCTAssertEqual(problems.map(\.name), ["message_failed_trackings", "thread_message_count"])
        XCTAssertTrue(problems[0].detail.contains("stored"), problems[0].detail)
    }
}

/// A flag set by one thread, read by another.
private final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
