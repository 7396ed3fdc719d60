import Foundation
import PostgresStore
import TestSupport
import TrackingModel
import XCTest

/// The store's session on a real server: a connection the server drops is replaced on
/// the next operation, the operation it interrupted commits nothing, and synchronous
/// callers reach the async store through `BlockingCall` even from Swift's shared pool.
final class PostgresSessionTests: XCTestCase {
    private func settings(_ cluster: PostgresTestCluster, _ db: String) -> PostgresSettings {
        PostgresSettings(
            host: cluster.host, port: cluster.port, user: PostgresTestCluster.user, database: db,
            password: PostgresPassword(PostgresTestCluster.password), sslMode: .disable)
    }

    func testADroppedConnectionIsReplacedByTheNextOperation() async throws {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase()
        let store = try await PostgresStore.open(settings(cluster, db))
        defer { Task { await store.close() } }
        let before = try await store.cursor(source: "s")
        XCTAssertNil(before)
        XCTAssertEqual(store.reconnections, 0)

        // Kill every backend of this database but psql's own, as an operator would.
        let killed = try cluster.psql(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE datname = '\(db)' AND pid <> pg_backend_pid()) k", database: db)
        XCTAssertEqual(killed, "1", "the store's one connection was terminated")

        // The operation that meets the dead connection may fail (it commits nothing); the
        // store then opens a new one by itself, within a few operations at most.
        var saved = false
        for _ in 0..<20 where !saved {
            do {
                _ = try await store.apply([], cursor: SourceCursor(source: "s", value: "42"))
                saved = true
            } catch {
                try await Task.sleep(nanoseconds: 50_000_000)
            }
        }
        XCTAssertTrue(saved, "an operation succeeded after the drop")
        let after = try await store.cursor(source: "s")
        XCTAssertEqual(after, "42")
        XCTAssertEqual(store.reconnections, 1, "one new connection replaced the dropped one")
    }

    func testBlockingCallsFromTheSharedPoolDoNotStarveIt() async throws {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase()
        let store = try await PostgresStore.open(settings(cluster, db))
        defer { Task { await store.close() } }
        // Far more blocked callers than the shared pool has threads (2 on these machines):
        // each waits on a store call that must run elsewhere to finish.
        let results = try await withThrowingTaskGroup(of: String?.self) { group in
            for i in 0..<32 {
                group.addTask {
                    try BlockingCall.run {
                        _ = try await store.apply([], cursor: SourceCursor(source: "s\(i)", value: "\(i)"))
                        return try await store.cursor(source: "s\(i)")
                    }
                }
            }
            var all: [String?] = []
            for try await r in group { all.append(r) }
            return all
        }
        XCTAssertEqual(Set(results.compactMap { $0 }), Set((0..<32).map(String.init)))
    }

    func testBlockingCallCarriesTheErrorBack() {
        struct Refused: Error {}
        XCTAssertThrowsError(try BlockingCall.run { () async throws -> Int in throw Refused() }) {
            XCTAssertTrue($0 is Refused)
        }
        XCTAssertEqual(try BlockingCall.run { 7 }, 7)
    }
}
