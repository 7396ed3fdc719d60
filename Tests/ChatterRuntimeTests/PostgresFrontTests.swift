import ChatterUI
import Foundation
import PostgresStore
import TestSupport
import TrackingModel
import XCTest

@testable import ChatterRuntime

/// The real front (loop, effect runner, store watcher) on a PostgreSQL store, on a
/// real server: a post committed by another connection reaches the frame; when the
/// listening connection is killed the header says the front polls and changes still
/// arrive; once the listener reconnected by itself the header says live again.
final class PostgresFrontTests: XCTestCase {
    private var cluster: PostgresTestCluster!
    private var db = ""
    private var settings: PostgresSettings!

    override func setUpWithError() throws {
        cluster = try PostgresTestCluster.shared()
        db = try cluster.createDatabase(prefix: "front")
        settings = PostgresSettings(
            host: cluster.host, port: cluster.port, user: PostgresTestCluster.user, database: db,
            password: PostgresPassword(PostgresTestCluster.password), sslMode: .disable)
    }

    /// Posts a message in a thread of its own through a store connection of its own
    /// (the PostgreSQL store notifies in the writing transaction).
    private func postElsewhere(_ other: PostgresStore, _ name: String, author: Int64) throws {
        _ = try other.post(
            PostRequest(
                thread: ThreadRef(model: "elsewhere", key: name), threadName: name, authorId: author,
                to: ["Far Away <far.away@example.com>"], subject: name, body: "Committed by another connection.",
                date: HeadlessFront.now + 600))
    }

    func testChangesFromAnotherConnectionReachTheFrameLiveAndWhilePolling() throws {
        let f = try HeadlessFront(postgres: settings, pollInterval: 0.5, reconnectDelay: 3)
        f.waitLoaded()
        f.wait("the live feed in the header") { $0.state.header.changes == .live && $0.screen.contains("changes live") }
        let threadsBefore = f.state.threads.rows.count

        let settings = settings!
        let other = try BlockingCall.run { try await PostgresStore.open(settings, migrate: false) }
        defer { try? BlockingCall.run { await other.close() } }
        try postElsewhere(other, "Live from elsewhere", author: f.me.id)
        f.wait("the other connection's post, live") { $0.screen.contains("Live from elsewhere") }
        XCTAssertEqual(f.state.header.changes, .live, "heard by notification")
        XCTAssertGreaterThan(f.state.threads.rows.count, threadsBefore)

        let killed = try cluster.psql(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE datname = '\(db)' AND query LIKE 'LISTEN%') k", database: db)
        XCTAssertEqual(killed, "1", "the listening connection was terminated")
        f.wait("the header saying the front polls") {
            $0.state.header.changes == .polling(every: 0.5) && $0.screen.contains("changes polled every 0.5 s")
        }
        try postElsewhere(other, "Polled from elsewhere", author: f.me.id)
        f.wait("the other connection's post, while polling") { $0.screen.contains("Polled from elsewhere") }
        XCTAssertEqual(f.state.header.changes, .polling(every: 0.5), "seen by polling: the listener waits 3 s to reconnect")

        f.wait("the header saying live again", timeout: 15) {
            $0.state.header.changes == .live && $0.screen.contains("changes live")
        }
        try postElsewhere(other, "Live again from elsewhere", author: f.me.id)
        f.wait("the other connection's post, live again") { $0.screen.contains("Live again from elsewhere") }
    }
}

/// Review through the front on PostgreSQL: a card reviewed in the Failed pane lowers
/// the counter, and another connection sees it.
final class PostgresFrontReviewTests: XCTestCase {
    func testAReviewInTheFrontReachesTheServer() throws {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase(prefix: "frontreview")
        let settings = PostgresSettings(
            host: cluster.host, port: cluster.port, user: PostgresTestCluster.user, database: db,
            password: PostgresPassword(PostgresTestCluster.password), sslMode: .disable)
        let f = try HeadlessFront(postgres: settings)
        f.waitLoaded()
        f.keys.type(.char("2"))
        f.wait("the Failed cards") { !$0.state.failed.loading && !$0.state.failed.cards.isEmpty }
        f.settle()
        let start = try f.frontStore.failedCount(for: f.me.id)
        XCTAssertEqual(f.state.counts.failed, start)
        f.keys.type(.char("r"))
        f.wait("the review confirmed") { $0.state.pendingReview.isEmpty && $0.state.undoStack.count == 1 }
        f.settle(0.6)
        let other = try BlockingCall.run { try await PostgresStore.open(settings, migrate: false) }
        defer { try? BlockingCall.run { await other.close() } }
        XCTAssertEqual(try other.failedCount(for: f.me.id), start - 1)
        XCTAssertEqual(f.state.counts.failed, start - 1)
        XCTAssertNil(f.state.status.flatMap { $0.isError ? $0.text : nil }, "no effect failed")
    }
}
