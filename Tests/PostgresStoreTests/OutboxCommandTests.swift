import Foundation
import PostgresStore
import TestSupport
import TrackingModel
import XCTest

/// `chatter post`, `chatter outbox` and `chatter send` on a `postgres://` store, run as a
/// user runs them: the same output and exit codes as on a store file.
final class OutboxCommandTests: XCTestCase {
    func testPostListAndSendOnAPostgresStore() throws {
        let (cluster, db, _) = try OutboxContractStore.database(prefix: "cli")
        let url = cluster.url(database: db)
        let peer = SMTPPeer()
        try peer.start()
        defer { peer.stop() }
        let me = ["--db", url, "--as", "me@yourcompany.example"]

        let empty = try ChatterBinary.run(["outbox", "--db", url])
        XCTAssertEqual(empty.status, 2, "an empty database is no store yet: \(empty.stderr)")
        let broken = try ChatterBinary.run(
            ["post"] + me + ["--thread", "sale.order/1", "--to", "bob@", "--subject", "Quote", "--body", "Hi", "--send"])
        XCTAssertEqual(broken.status, 1, broken.stderr)
        XCTAssertTrue(broken.stderr.contains("invalid address"), broken.stderr)
        XCTAssertFalse(broken.stderr.contains(PostgresTestCluster.password), "no password is printed")

        let posted = try ChatterBinary.run(
            ["post"] + me + [
                "--thread", "sale.order/1", "--to", "Ann <ann@client.example>, bob@client.example", "--subject", "Quote",
                "--body", "Hi", "--send", "--json",
            ])
        XCTAssertEqual(posted.status, 0, posted.stderr)
        let post = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(posted.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((post["trackings"] as? [[String: Any]])?.compactMap { $0["address"] as? String }, [
            "ann@client.example", "bob@client.example",
        ])
        let queued = try ChatterBinary.run(["outbox", "--db", url, "--status", "queued", "--json"])
        XCTAssertEqual(queued.status, 0, queued.stderr)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(queued.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["recipient"] as? String }, ["bob@client.example", "Ann <ann@client.example>"])
        XCTAssertEqual(Set(rows.map { $0["message_id"] as? Int }), [post["message_id"] as? Int])

        let sent = try ChatterBinary.run(
            [
                "send", "--once", "--db", url, "--smtp-host", "127.0.0.1", "--smtp-port", String(peer.port),
                "--smtp-security", "none", "--smtp-timeout", "5",
            ])
        XCTAssertEqual(sent.status, 0, sent.stderr)
        XCTAssertEqual(sent.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "sent 2, deferred 0, failed 0")
        XCTAssertEqual(peer.mails.flatMap(\.recipients).sorted(), ["ann@client.example", "bob@client.example"])
        let table = try ChatterBinary.run(["outbox", "--db", url])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertEqual(table.stdout.components(separatedBy: "\n").filter { $0.contains(" sent ") }.count, 2, table.stdout)
    }
}
