import Foundation
import GRDB
import TrackingModel
import XCTest

@testable import TrackingStore

/// Precedence through the store, schema safety, query plans and statement counts.
final class StoreBehaviourTests: XCTestCase {
    /// The truth table of the model, applied through the store one event at a
    /// time in every arrival order (incremental and re-derived paths).
    func testPrecedenceTruthTableThroughTheStore() throws {
        let f = try Fixture()
        let table: [([(EventType, Double)], TrackingState?)] = [
            ([(.sent, 1), (.open, 3), (.delivered, 2)], .opened),
            ([(.sent, 1), (.hardBounce, 5), (.delivered, 3)], .bounced),
            ([(.sent, 1), (.delivered, 5), (.hardBounce, 3)], .delivered),
            ([(.error, 1), (.retry, 2), (.sent, 3)], .sent),
            ([(.retry, 2), (.hardBounce, 1)], nil),
            ([(.sent, 1), (.deferral, 3), (.delivered, 2)], .delivered),
            ([(.unsub, 4), (.open, 5), (.delivered, 2)], .unsub),
            ([(.reject, 5), (.delivered, 5), (.sent, 1)], .rejected),
            ([(.sent, 1), (.deferral, 2), (.deferral, 3), (.softBounce, 4)], .softBounced),
            ([(.sent, 1), (.open, 2), (.hardBounce, 3), (.open, 40)], .opened),
        ]
        let base = f.clock.now
        for (events, expected) in table {
            let indexed = Array(events.enumerated())
            for perm in permutations(indexed) {
                let r = try f.post(to: ["p@x.org"])
                let tid = r.trackings[0].id
                for (i, e) in perm {
                    _ = try f.store.apply(
                        NewEvent(trackingId: tid, type: e.0, timestamp: base + e.1, source: "perm", key: "\(tid):\(i)"))
                }
                XCTAssertEqual(try f.state(tid), expected, "\(perm.map { "\($0.1.0.rawValue)@\($0.1.1)" })")
                let m = try f.store.message(id: r.id)
                XCTAssertEqual(m.isFailed, expected?.isFailed ?? false)
            }
        }
        // Counters agree with a recount after all that.
        XCTAssertEqual(try f.store.failedCount(for: f.me.id), try f.store.recountFailed(for: f.me.id))
        try f.store.pool.read { db in
            let drift = try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM messages m WHERE m.failed_trackings != (SELECT COUNT(*) FROM trackings t
                      WHERE t.message_id = m.id AND t.state IN ('error','rejected','spam','bounced','soft-bounced'))
                    """)
            XCTAssertEqual(drift, 0)
            let threadDrift = try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM threads th WHERE th.failed_count != (SELECT COUNT(*) FROM messages m
                      WHERE m.thread_id = th.id AND m.needs_action = 1 AND m.failed_trackings > 0)
                    """)
            XCTAssertEqual(threadDrift, 0)
        }
    }

    func permutations<T>(_ items: [T]) -> [[T]] {
        if items.count <= 1 { return [items] }
        var out: [[T]] = []
        for (i, x) in items.enumerated() {
            var rest = items
            rest.remove(at: i)
            for p in permutations(rest) { out.append([x] + p) }
        }
        return out
    }

    func testStoreFromANewerSchemaIsRefusedUntouched() throws {
        let f = try Fixture()
        _ = try f.post(to: ["a@x.org"])
        let path = f.path
        try f.store.checkpoint()
        try f.store.pool.write { db in
            try db.execute(
                sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        try f.store.checkpoint()
        try f.store.pool.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try TrackingStore(path: path)) { error in
            guard case StoreError.newerSchema(_, let names) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(names, ["v99-from-the-future"])
            XCTAssertTrue("\(error)".contains("newer version of chatter"))
        }
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(before, after)
    }

    func testNotAStoreIsAClearError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.sqlite").path
        try Data("this is not sqlite at all, just text that is long enough to be a header".utf8)
            .write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try TrackingStore(path: path)) { error in
            guard case StoreError.notAStore = error else { return XCTFail("\(error)") }
        }
    }

    /// Every listing uses an index: no full table scan, no temporary sort.
    func testEveryListingQueryUsesAnIndex() throws {
        let f = try Fixture()
        let dataset = try DemoDataset.load(from: Data(contentsOf: assetURL("demo/dataset.json")))
        var options = DemoOptions()
        options.size = 400
        options.now = f.clock.now
        // The demo needs an empty store: build it in a second file.
        let path = f.dir.appendingPathComponent("demo.sqlite").path
        var storeOptions = StoreOptions()
        let log = f.sql
        storeOptions.trace = { log.add($0) }
        _ = try TrackingStore.buildDemo(at: path, dataset, options: options)
        let store = try TrackingStore(path: path, options: storeOptions)
        let me = try store.user(email: dataset.me.email!)
        let anyThread = try store.threads(limit: 1).rows[0]
        let cursor = PageCursor(time: f.clock.now, id: 1_000_000)
        f.sql.recording = true
        _ = try store.failedMessages(for: me.id, after: cursor, limit: 20)
        _ = try store.failedCount(for: me.id)
        _ = try store.threads(failedOnly: true, after: cursor, limit: 20)
        _ = try store.threads(failedOnly: false, after: cursor, limit: 20)
        _ = try store.thread(anyThread.ref, after: cursor, limit: 20)
        _ = try store.trackings(TrackingFilter(), after: cursor, limit: 20)
        _ = try store.trackings(TrackingFilter(state: .some(.bounced)), after: cursor, limit: 20)
        _ = try store.trackings(TrackingFilter(state: .some(nil)), limit: 20)
        _ = try store.trackings(TrackingFilter(recipient: "azure.interior@example.com"), after: cursor, limit: 20)
        _ = try store.events(EventFilter(), after: cursor, limit: 20)
        _ = try store.events(EventFilter(trackingId: 3), limit: 20)
        _ = try store.events(EventFilter(type: .open), after: cursor, limit: 20)
        _ = try store.partners(bouncedOnly: true, limit: 20)
        _ = try store.partners(limit: 20)
        f.sql.recording = false
        let statements = f.sql.take().filter { $0.hasPrefix("SELECT") && !$0.contains("sqlite_master") }
        XCTAssertGreaterThan(statements.count, 15)
        try store.pool.read { db in
            for sql in statements {
                let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
                for step in plan {
                    // A scan of json_each walks the id list passed as a parameter, not a table.
                    let scansTable = step.hasPrefix("SCAN ") && !step.contains("USING") && !step.contains("CONSTANT ROW")
                        && !step.contains("json_each VIRTUAL TABLE")
                    XCTAssertFalse(scansTable, "full scan in \(sql)\n\(plan)")
                    XCTAssertFalse(step.contains("TEMP B-TREE FOR ORDER BY"), "sort without index in \(sql)\n\(plan)")
                }
            }
        }
    }

    /// A page costs the same number of statements whatever its size (no N+1).
    func testStatementCountDoesNotGrowWithPageSize() throws {
        let f = try Fixture()
        for i in 0..<60 {
            let r = try f.post(thread: "t/\(i % 3)", to: ["a\(i)@x.org", "b\(i)@x.org"], cc: ["c\(i)@x.org"])
            try f.event(r.trackings[0].id, .hardBounce)
        }
        func count(_ body: () throws -> Void) rethrows -> Int {
            try body()  // warm-up: a fresh reader connection first reads the schema
            f.sql.recording = true
            try body()
            f.sql.recording = false
            return f.sql.take().filter { $0.hasPrefix("SELECT") }.count
        }
        let small = try count { _ = try f.store.failedMessages(for: f.me.id, limit: 2) }
        let large = try count { _ = try f.store.failedMessages(for: f.me.id, limit: 60) }
        XCTAssertEqual(small, large)
        let t1 = try count { _ = try f.store.thread(ThreadRef(parsing: "t/0")!, limit: 2) }
        let t2 = try count { _ = try f.store.thread(ThreadRef(parsing: "t/0")!, limit: 50) }
        XCTAssertEqual(t1, t2)
        let p1 = try count { _ = try f.store.partners(limit: 1) }
        let p2 = try count { _ = try f.store.partners(limit: 100) }
        XCTAssertEqual(p1, p2)
    }

    func testKeysetPagesCoverEverythingOnce() throws {
        let f = try Fixture()
        var posted: [Int64] = []
        for i in 0..<37 {
            f.clock.advance(i % 4 == 0 ? 0 : 1)  // equal dates too
            let r = try f.post(thread: "p/1", to: ["x\(i)@x.org"])
            try f.event(r.trackings[0].id, .reject)
            posted.append(r.id)
        }
        var seen: [Int64] = []
        var cursor: PageCursor?
        repeat {
            let page = try f.store.failedMessages(for: f.me.id, after: cursor, limit: 5)
            seen += page.rows.map(\.id)
            cursor = page.next
        } while cursor != nil
        XCTAssertEqual(seen.count, 37)
        XCTAssertEqual(Set(seen), Set(posted))
        XCTAssertEqual(seen, posted.reversed())
    }

    func testDemoCoversEveryStateMarkerAndFailureKind() throws {
        let f = try Fixture()
        let dataset = try DemoDataset.load(from: Data(contentsOf: assetURL("demo/dataset.json")))
        let path = f.dir.appendingPathComponent("demo.sqlite").path
        var options = DemoOptions()
        options.now = f.clock.now
        let report = try TrackingStore.buildDemo(at: path, dataset, options: options)
        let store = try TrackingStore(path: path)
        XCTAssertEqual(report.messages, 300)
        XCTAssertGreaterThanOrEqual(report.partners, 40)
        XCTAssertEqual(report.threads, 25)
        let stats = try store.stats(for: nil)
        for state in [nil] + TrackingState.allCases.map({ Optional($0) }) {
            XCTAssertGreaterThan(stats.trackingsByState[state] ?? 0, 0, "state \(String(describing: state))")
        }
        var markers = Set<Marker>()
        var cursor: PageCursor?
        for th in try store.threads(limit: 100).rows {
            cursor = nil
            repeat {
                let v = try store.thread(th.ref, after: cursor, limit: 100)
                for m in v.history { for r in m.recipients { markers.insert(r.marker) } }
                cursor = v.nextCursor
            } while cursor != nil
        }
        XCTAssertEqual(markers, Set(Marker.allCases))
        let me = try store.user(email: dataset.me.email!)
        let failed = try store.failedCount(for: me.id)
        XCTAssertEqual(failed, try store.recountFailed(for: me.id), "the kept counter matches the rule")
        XCTAssertGreaterThan(failed, 10)
        XCTAssertLessThan(failed, 60)
        let errorTypes = Set(try store.trackings(TrackingFilter(state: .some(.error)), limit: 1000).rows.compactMap(\.errorType))
        XCTAssertTrue(errorTypes.contains("no_recipient"))
        XCTAssertGreaterThan(errorTypes.count, 1, "SMTP errors too")
        XCTAssertGreaterThan(try store.partners(bouncedOnly: true).count, 0)
        // Some failures were reviewed already.
        XCTAssertGreaterThan(stats.trackingsByState.filter { $0.key?.isFailed ?? false }.count, 0)
        // Same seed, same store.
        XCTAssertEqual(
            try TrackingStore.buildDemo(at: f.dir.appendingPathComponent("demo2.sqlite").path, dataset, options: options),
            report)
        XCTAssertThrowsError(try TrackingStore.buildDemo(at: path, dataset, options: options), "refuses an existing file")
        XCTAssertEqual(try store.stats(for: nil).messages, 300, "and leaves it alone")
    }

    /// A store deleted without its -wal and -shm must not corrupt the next demo
    /// built under its name (SQLite would replay the old WAL onto the new file).
    func testDemoIgnoresTheOrphanWALOfADeletedStore() throws {
        let f = try Fixture()
        let dataset = try DemoDataset.load(from: Data(contentsOf: assetURL("demo/dataset.json")))
        let path = f.dir.appendingPathComponent("reused.sqlite").path
        do {
            var options = StoreOptions()
            options.writerCacheMiB = 1
            let old = try TrackingStore(path: path, options: options)
            let me = try old.user(email: "old@x.org")
            // Leave committed frames in the WAL, then drop the main file only.
            try old.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            for i in 0..<200 {
                _ = try old.post(PostRequest(thread: ThreadRef(model: "o", key: "\(i)"), authorId: me.id, to: ["o\(i)@x.org"], subject: "s", body: String(repeating: "x", count: 2000)))
            }
            try FileManager.default.copyItem(atPath: path + "-wal", toPath: path + "-wal.keep")
            try old.pool.close()
        }
        try FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: path + "-wal")
        try FileManager.default.moveItem(atPath: path + "-wal.keep", toPath: path + "-wal")
        var options = DemoOptions()
        options.size = 300
        options.now = f.clock.now
        _ = try TrackingStore.buildDemo(at: path, dataset, options: options)
        let store = try TrackingStore(path: path)
        XCTAssertEqual(try store.stats(for: nil).messages, 300)
        let integrity = try store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(integrity, "ok")
    }

    func assetURL(_ path: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Assets").appendingPathComponent(path)
    }
}
