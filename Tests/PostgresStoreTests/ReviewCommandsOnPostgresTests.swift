import Foundation
import TestSupport
import XCTest

/// `chatter review`, `unreview`, `retry` (one message, by recipient, a failure group, dry
/// runs) and `partner set-email` given a `postgres://` `--db` print exactly what they print
/// for the SQLite file the database was copied from, doing the same to each (table and
/// JSON: the same ids, outbox entries and counts); refusals give the same exit codes and
/// words, and `store check` finds the server's counters exact after.
final class ReviewCommandsOnPostgresTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "reviewcli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func chatter(_ args: [String]) throws -> ChatterBinary.Result {
        try ChatterBinary.run(args, env: ["HOME": dir, "CHATTER_AS": ""])
    }

    /// Runs `args` on both stores: same exit code, same output. Returns the file's run.
    @discardableResult
    func same(_ args: [String], file path: String, url: String, line: UInt = #line) throws -> ChatterBinary.Result {
        let onFile = try chatter(args + ["--db", path])
        let onServer = try chatter(args + ["--db", url])
        XCTAssertEqual(onServer.status, onFile.status, "\(args): \(onServer.stderr)", line: line)
        XCTAssertEqual(onServer.stdout, onFile.stdout, "\(args)", line: line)
        XCTAssertEqual(
            onServer.stderr.replacingOccurrences(of: url, with: "DB"), onFile.stderr.replacingOccurrences(of: path, with: "DB"),
            "\(args)", line: line)
        XCTAssertFalse(onServer.stderr.contains(PostgresTestCluster.password), onServer.stderr, line: line)
        return onFile
    }

    func json(_ r: ChatterBinary.Result) throws -> Any { try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) }

    func testReviewRetryAndAddressFixOnPostgresDoWhatTheyDoOnTheFile() throws {
        let cluster = try PostgresTestCluster.shared()
        let url = cluster.url(database: try cluster.createDatabase(prefix: "reviewcli"))
        let path = dir + "/a.sqlite"
        XCTAssertEqual(try chatter(["demo", "--db", path, "--size", "150"]).status, 0)
        let copied = try chatter(["store", "copy", "--from", path, "--to", url])
        XCTAssertEqual(copied.status, 0, copied.stderr)

        let failed = try XCTUnwrap(try json(try same(["failed", "--json", "--limit", "50"], file: path, url: url)) as? [[String: Any]])
            .compactMap { $0["id"] as? Int }
        XCTAssertGreaterThan(failed.count, 8, "the demo fills the Failed mailbox")
        let ids = failed.map(String.init)

        // Review and its undo.
        try same(["review", ids[0], ids[1], "--dry-run", "--json"], file: path, url: url)
        let reviewed = try same(["review", ids[0], ids[1], "--json"], file: path, url: url)
        XCTAssertEqual(reviewed.status, 0, reviewed.stderr)
        XCTAssertTrue(reviewed.stdout.contains("\"reviewed\": [\(ids[0]), \(ids[1])]"), reviewed.stdout)
        try same(["review", ids[0]], file: path, url: url)
        let undone = try same(["unreview", ids[1]], file: path, url: url)
        XCTAssertTrue(undone.stdout.contains("need action again: \(ids[1])"), undone.stdout)
        try same(["failed", "--count"], file: path, url: url)
        let unknown = try same(["review", "99999999"], file: path, url: url)
        XCTAssertEqual(unknown.status, 2, unknown.stderr)

        // Retry of one message: dry run, by recipient, then the rest.
        try same(["retry", ids[2], "--dry-run", "--json"], file: path, url: url)
        try same(["retry", ids[2], "--dry-run"], file: path, url: url)
        let broken = try same(["retry", ids[2], "--recipient", "broken@"], file: path, url: url)
        XCTAssertEqual(broken.status, 1, broken.stderr)
        let retried = try same(["retry", ids[2], "--json"], file: path, url: url)
        XCTAssertEqual(retried.status, 0, retried.stderr)
        let outcome = try XCTUnwrap(try json(retried) as? [String: Any])
        XCTAssertEqual((outcome["outbox"] as? [Any])?.count, outcome["would_queue"] as? Int, retried.stdout)
        try same(["retry", ids[3]], file: path, url: url)

        // A failure group.
        let groups = try XCTUnwrap(
            try json(try same(["failed", "--group-by", "cause,domain", "--json"], file: path, url: url)) as? [[String: Any]])
        let group = try XCTUnwrap(groups.compactMap { $0["group"] as? String }.first)
        try same(["retry", "--group", group, "--dry-run", "--json"], file: path, url: url)
        let grouped = try same(["retry", "--group", group, "--json"], file: path, url: url)
        XCTAssertEqual(grouped.status, 0, grouped.stderr)
        try same(["review", "--all-mine", "--json"], file: path, url: url)

        // The address fix.
        let partners = try XCTUnwrap(try json(try same(["partners", "--bounced", "--json"], file: path, url: url)) as? [[String: Any]])
        let partner = try XCTUnwrap(partners.compactMap { $0["id"] as? Int }.first, "the demo has a bounced partner")
        let fixed = try same(["partner", "set-email", String(partner), "Fixed <fixed@client.example>", "--json"], file: path, url: url)
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        let bad = try same(["partner", "set-email", String(partner), "fixed@"], file: path, url: url)
        XCTAssertEqual(bad.status, 1, bad.stderr)
        try same(["partners", "--json"], file: path, url: url)

        let check = try chatter(["store", "check", "--db", url])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
    }
}
