import ChatterRuntime
import ChatterUI
import Foundation
import PostgresStore
import TestSupport
import XCTest

/// The live feed a synchronous front watches on PostgreSQL: a commit made by another
/// process (psql) wakes `waitForChange`; a rolled-back one does not; when the listening
/// connection is killed the feed says it is not live, still sees commits by polling,
/// and is live again once it reconnected by itself.
final class PostgresChangeFeedTests: XCTestCase {
    var cluster: PostgresTestCluster!
    var db = ""
    var settings: PostgresSettings!

    override func setUpWithError() throws {
        cluster = try PostgresTestCluster.shared()
        db = try cluster.createDatabase(prefix: "feed")
        settings = PostgresSettings(
            host: cluster.host, port: cluster.port, user: PostgresTestCluster.user, database: db,
            password: PostgresPassword(PostgresTestCluster.password), sslMode: .disable)
        let settings = settings!
        try BlockingCall.run { await (try await PostgresStore.open(settings)).close() }
    }

    /// Waits (bounded) until `feed.isLive` is `live`.
    func waitUntil(_ feed: PostgresChangeFeed, live: Bool, within seconds: Double = 15) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while feed.isLive != live && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(feed.isLive, live, "the feed did not become \(live ? "live" : "not live") in \(seconds) s")
    }

    /// A committed write, notified in its transaction as the stores' writers do.
    func commitFromAnotherProcess(notify: Bool = true, rollback: Bool = false) throws {
        try cluster.psql(
            "BEGIN; INSERT INTO quarantine (source, path, position, reason, excerpt, first_seen, last_seen) "
                + "VALUES ('test', 'p', '\(UUID().uuidString)', 'r', 'e', 0, 0);"
                + (notify ? " SELECT pg_notify('chatter', 'test');" : "") + (rollback ? " ROLLBACK;" : " COMMIT;"),
            database: db)
    }

    func testACommitInAnotherProcessWakesTheFeedAndARollbackDoesNot() throws {
        let feed = PostgresChangeFeed(settings: settings, pollInterval: 0.2, reconnectDelay: 0.5)
        defer { feed.stop() }
        waitUntil(feed, live: true)
        XCTAssertEqual(feed.waitForChange(timeout: 0), .timedOut, "nothing happened yet")
        try commitFromAnotherProcess()
        XCTAssertEqual(feed.waitForChange(timeout: 5), .changed)
        XCTAssertEqual(feed.waitForChange(timeout: 0.3), .timedOut, "one commit is one change")
        try commitFromAnotherProcess(rollback: true)
        XCTAssertEqual(feed.waitForChange(timeout: 1), .timedOut, "a rolled-back transaction notifies nobody")
        for _ in 0..<3 { try commitFromAnotherProcess() }
        XCTAssertEqual(feed.waitForChange(timeout: 5), .changed)
        feed.poke()
        XCTAssertEqual(feed.waitForChange(timeout: 0), .changed, "a poke is a change")
        XCTAssertTrue(feed.isLive)
        XCTAssertEqual(feed.reconnections, 0)
    }

    func testAKilledListenerFallsBackToPollingAndReconnects() throws {
        let feed = PostgresChangeFeed(settings: settings, pollInterval: 0.2, reconnectDelay: 6)
        defer { feed.stop() }
        waitUntil(feed, live: true)
        let killed = try cluster.psql(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE datname = '\(db)' AND query LIKE 'LISTEN%') k", database: db)
        XCTAssertEqual(killed, "1", "the listening connection was terminated")
        waitUntil(feed, live: false, within: 3)
        XCTAssertEqual(feed.waitForChange(timeout: 1), .changed, "a drop is reported as a change: notifications may be lost")
        XCTAssertEqual(feed.waitForChange(timeout: 0.5), .timedOut)

        // Not notified: only the polling can see it.
        try commitFromAnotherProcess(notify: false)
        XCTAssertEqual(feed.waitForChange(timeout: 3), .changed, "seen by polling")
        XCTAssertFalse(feed.isLive, "still polling: the listener reconnects after 6 s")
        XCTAssertEqual(feed.reconnections, 0)

        waitUntil(feed, live: true, within: 20)
        XCTAssertEqual(feed.reconnections, 1)
        XCTAssertEqual(feed.waitForChange(timeout: 1), .changed, "a reconnect is reported as a change")
        try commitFromAnotherProcess()
        XCTAssertEqual(feed.waitForChange(timeout: 5), .changed, "live again")
    }

    /// The front's change source on PostgreSQL (runtime's `ChangeSource`): live in the
    /// header, a commit elsewhere is `.changed`, `wake()` ends a wait at once as `.quiet`,
    /// and a killed listener shows as polling until it is back.
    func testTheFrontsChangeSourceIsTheFeed() throws {
        let source = PostgresChangeSource(settings: settings, pollInterval: 0.2, reconnectDelay: 6)
        let deadline = Date(timeIntervalSinceNow: 15)
        while source.feed != .live && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(source.feed, .live)
        try commitFromAnotherProcess()
        XCTAssertEqual(source.waitForChange(timeout: 5), .changed)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { source.wake() }
        let started = Date()
        XCTAssertEqual(source.waitForChange(timeout: 30), .quiet)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "woken, not timed out")
        try cluster.psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(db)' AND query LIKE 'LISTEN%'",
            database: db)
        let dropped = Date(timeIntervalSinceNow: 3)
        while source.feed == .live && Date() < dropped { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(source.feed, .polling(every: 0.2), "the header says the front polls")
    }
}
