import EventIngest
import Foundation
import PostgresStore
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// How an ingest batch on PostgreSQL survives the server: a deadlock with another writer is
/// retried inside the store (the batch body runs again, once, and nothing is doubled); a
/// connection killed in the middle of a batch (`pg_terminate_backend`) keeps nothing of it,
/// and the next batch reconnects by itself; a poller running through such kills ends with
/// exactly what the file store holds for the same log.
final class IngestRecoveryTests: XCTestCase {
    /// Two posted messages' tracking rows in a fresh database.
    private func twoRows() throws -> (PostgresTestCluster, String, PostgresStore, Int64, Int64, String) {
        let dir = try IngestFixture.folder("ingest-recovery")
        let seed = try IngestFixture.Seed(path: dir + "/seed.sqlite")
        try seed.post(messageId: "one@app.test", to: ["one@x.test"])
        try seed.post(messageId: "two@app.test", to: ["two@x.test"])
        let copy = try IngestFixture.postgresCopy(of: dir + "/seed.sqlite")
        let ids = try copy.query("SELECT id FROM trackings ORDER BY id").compactMap { Int64($0) }
        XCTAssertEqual(ids.count, 2)
        return (copy.cluster, copy.database, copy.store, ids[0], ids[1], dir)
    }

    private func event(_ trackingId: Int64, _ key: String) -> NewEvent {
        NewEvent(trackingId: trackingId, type: .hardBounce, timestamp: 1_795_608_000, source: "recovery", key: key,
            details: EventDetails(errorDescription: "550 5.1.1 user unknown", cause: .userUnknown))
    }

    func testADeadlockRunsTheBatchAgainAndKeepsItOnce() throws {
        let (cluster, db, store, first, second, dir) = try twoRows()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The other writer's connection gives up waiting sooner than ours: ours finds the cycle.
        try cluster.psql("ALTER DATABASE \(db) SET deadlock_timeout = '100ms'")
        var runs = 0
        var other: Process?
        let outcomes = try store.ingest { tx -> [ApplyOutcome] in
            runs += 1
            let a = try tx.apply(event(first, "a"))
            if runs == 1 {
                // Another writer locks the second row, then waits for the first (ours).
                other = try Self.psqlInBackground(
                    cluster, db,
                    "BEGIN; UPDATE trackings SET queue_id = queue_id WHERE id = \(second); "
                        + "UPDATE trackings SET queue_id = queue_id WHERE id = \(first); COMMIT;")
                try Self.waitForALockWait(cluster, db)
                usleep(400_000)  // past the other's own deadlock check: the cycle closes on our side
            }
            let b = try tx.apply(event(second, "b"))
            try tx.saveCursor(SourceCursor(source: "recovery", value: "2"))
            return [a, b]
        }
        other?.waitUntilExit()
        XCTAssertEqual(runs, 2, "the deadlock rolled the batch back and ran it again")
        XCTAssertEqual(other?.terminationStatus, 0, "the other writer committed")
        XCTAssertEqual(outcomes, [.applied(stateChanged: true), .applied(stateChanged: true)])
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM events WHERE source = 'recovery'", database: db), "2")
        XCTAssertEqual(try store.cursor(source: "recovery"), "2")
        let problems = try BlockingCall.run { try await store.check() }.filter { $0.problems > 0 }
        XCTAssertEqual(problems, [], "counters exact")
    }

    func testAConnectionKilledMidBatchKeepsNothingAndTheNextBatchReconnects() throws {
        let (cluster, db, store, first, second, dir) = try twoRows()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertThrowsError(
            try store.ingest { tx in
                _ = try tx.apply(event(first, "a"))
                try tx.saveCursor(SourceCursor(source: "recovery", value: "1"))
                try Self.terminateBackends(cluster, db)
                _ = try tx.apply(event(second, "b"))
            }
        ) { XCTAssertTrue($0 is PostgresStoreError, "\($0)") }
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM events WHERE source = 'recovery'", database: db), "0")
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM source_cursors", database: db), "0")

        let outcomes = try store.ingest { tx in
            [try tx.apply(event(first, "a")), try tx.apply(event(second, "b"))]
        }
        XCTAssertEqual(outcomes, [.applied(stateChanged: true), .applied(stateChanged: true)])
        XCTAssertEqual(store.reconnections, 1)
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM events WHERE source = 'recovery'", database: db), "2")
    }

    func testAPollerThroughKilledConnectionsEndsWithTheFileStoresRows() throws {
        let dir = try IngestFixture.folder("ingest-terminate")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seed = try IngestFixture.Seed(path: dir + "/seed.sqlite")
        var mails: [(messageId: String, recipient: String, bounce: Bool)] = []
        for i in 0..<300 { mails.append(("t\(i)@app.test", "r\(i)@remote.test", i % 4 == 0)) }
        for mail in mails { try seed.post(messageId: mail.messageId, to: [mail.recipient]) }
        let log = dir + "/mail.log"
        try IngestFixture.postfixLog(host: "mx1", mails: mails).write(toFile: log, atomically: true, encoding: .utf8)
        let sources = [PollerSource(kind: .postfixLog, path: log, batchSize: 10)]

        let reference = try IngestFixture.fileCopy(of: dir + "/seed.sqlite")
        Poller(store: reference.store, sources: sources).runOnce()
        let expected = try IngestFixture.snapshot(reference.query)
        XCTAssertEqual(expected["events"]?.count, mails.count, "one event per mail")

        let copy = try IngestFixture.postgresCopy(of: dir + "/seed.sqlite")
        let (cluster, db) = (copy.cluster, copy.database)
        var options = Poller.Options()
        options.interval = 0.02
        options.initialBackoff = 0.05
        options.maxBackoff = 0.2
        let poller = Poller(store: copy.store, sources: sources, options: options)
        poller.start { _ in }
        var kills = 0
        var seenMidway = false
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let done = Int(try cluster.psql("SELECT count(*) FROM events", database: db)) ?? 0
            if done >= mails.count { break }
            if kills < 4 {
                if done > 0 { seenMidway = true }
                try Self.terminateBackends(cluster, db)
                kills += 1
            }
            usleep(150_000)
        }
        poller.stop()
        XCTAssertTrue(seenMidway, "a connection was killed while the log was being read")
        XCTAssertGreaterThanOrEqual(copy.store.reconnections, 1, "the poller reconnected by itself")
        XCTAssertNil(poller.status.error)
        IngestFixture.assertSame(try IngestFixture.snapshot(copy.query), expected, "after killed connections")
        let problems = try BlockingCall.run { try await copy.store.check() }.filter { $0.problems > 0 }
        XCTAssertEqual(problems, [])
    }

    // MARK: Helpers

    /// Ends every other session on `db` (the store's), as an operator's `pg_terminate_backend` does.
    static func terminateBackends(_ cluster: PostgresTestCluster, _ db: String) throws {
        try cluster.psql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '\(db)' AND pid <> pg_backend_pid()")
    }

    /// Waits until some session of `db` waits for a lock.
    static func waitForALockWait(_ cluster: PostgresTestCluster, _ db: String) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let waiting = try cluster.psql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(db)' AND wait_event_type = 'Lock'")
            if waiting != "0" { return }
            usleep(20_000)
        }
        XCTFail("no session waited for a lock")
    }

    /// `psql -c sql` on `db`, running while the test goes on.
    static func psqlInBackground(_ cluster: PostgresTestCluster, _ db: String, _ sql: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        p.arguments = [
            "-u", "postgres", "--", PostgresTestCluster.binDir + "/psql", "-h", cluster.dir, "-p", "\(cluster.port)", "-d", db,
            "-v", "ON_ERROR_STOP=1", "-qAtX", "-c", sql,
        ]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }
}
