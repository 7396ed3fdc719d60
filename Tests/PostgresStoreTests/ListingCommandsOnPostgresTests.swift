import Foundation
import TestSupport
import XCTest

/// The listing commands (`failed`, `threads`, `thread`, `trackings`, `events`,
/// `partners`) given a `postgres://` `--db` print exactly what they print for the
/// SQLite file the database was copied from, page after page (`--after` as printed),
/// table and JSON; a missing row or user is "not found" (exit 2) as on a file.
final class ListingCommandsOnPostgresTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "listcli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func chatter(_ args: [String], env: [String: String] = [:]) throws -> ChatterBinary.Result {
        try ChatterBinary.run(args, env: ["HOME": dir, "CHATTER_AS": ""].merging(env) { $1 })
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

    /// Every page of a listing, following the `more: --after` hint (a table's), on both stores.
    func samePages(_ args: [String], file path: String, url: String, line: UInt = #line) throws -> Int {
        var after: [String] = []
        var pages = 0
        while true {
            let r = try same(args + after, file: path, url: url, line: line)
            XCTAssertEqual(r.status, 0, r.stderr, line: line)
            pages += 1
            guard let hint = r.stderr.split(separator: "\n").first(where: { $0.hasPrefix("more: --after ") }) else { return pages }
            after = ["--after", String(hint.dropFirst("more: --after ".count))]
            if pages > 200 { return pages }
        }
    }

    func testListingsOnPostgresPrintWhatTheFilePrints() throws {
        let cluster = try PostgresTestCluster.shared()
        let url = cluster.url(database: try cluster.createDatabase(prefix: "listcli"))
        let path = dir + "/a.sqlite"
        XCTAssertEqual(try chatter(["demo", "--db", path, "--size", "150"]).status, 0)
        let copied = try chatter(["store", "copy", "--from", path, "--to", url])
        XCTAssertEqual(copied.status, 0, copied.stderr)

        XCTAssertGreaterThan(try samePages(["failed", "--limit", "7"], file: path, url: url), 2)
        try same(["failed", "--json", "--limit", "0"], file: path, url: url)
        try same(["failed", "--json", "--after", "1791351422.4611466:55"], file: path, url: url)
        try same(["failed", "--count"], file: path, url: url)
        let groups = try same(["failed", "--group-by", "cause,domain", "--json"], file: path, url: url)
        XCTAssertTrue(groups.stdout.contains(#""cause""#), groups.stdout)
        try same(["failed", "--cause", "user_unknown"], file: path, url: url)
        try same(["failed", "--search", "5.1.1", "--json"], file: path, url: url)
        XCTAssertGreaterThan(try samePages(["threads", "--limit", "10"], file: path, url: url), 2)
        try same(["threads", "--failed", "--json"], file: path, url: url)
        let threads = try chatter(["threads", "--json", "--limit", "3", "--db", path])
        let refs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(threads.stdout.utf8)) as? [[String: Any]])
            .compactMap { $0["ref"] as? String }
        XCTAssertEqual(refs.count, 3, threads.stdout)
        for ref in refs {
            _ = try samePages(["thread", ref, "--limit", "2"], file: path, url: url)
            try same(["thread", ref, "--json"], file: path, url: url)
        }
        XCTAssertGreaterThan(try samePages(["trackings", "--limit", "40"], file: path, url: url), 2)
        try same(["trackings", "--state", "failed", "--json"], file: path, url: url)
        try same(["trackings", "--state", "bounced"], file: path, url: url)
        try same(["trackings", "--search", "example", "--limit", "20"], file: path, url: url)
        XCTAssertGreaterThan(try samePages(["events", "--limit", "60"], file: path, url: url), 2)
        try same(["events", "--tracking", "3", "--json"], file: path, url: url)
        try same(["events", "--type", "delivered", "--limit", "15"], file: path, url: url)
        try same(["partners"], file: path, url: url)
        try same(["partners", "--bounced", "--json"], file: path, url: url)
        try same(["partners", "--limit", "5"], file: path, url: url)

        let missing = try same(["thread", "no/such"], file: path, url: url)
        XCTAssertEqual(missing.status, 2, missing.stderr)
        let stranger = try same(["failed", "--as", "nobody@nowhere.example"], file: path, url: url)
        XCTAssertEqual(stranger.status, 2, stranger.stderr)
        let badState = try same(["trackings", "--state", "nonsense"], file: path, url: url)
        XCTAssertEqual(badState.status, 1, badState.stderr)

        // A database without a chatter store is "no store", as a missing file is.
        let empty = try chatter(["threads", "--db", cluster.url(database: try cluster.createDatabase(prefix: "empty"))])
        XCTAssertEqual(empty.status, 2, empty.stderr)
        // Commands that do not serve PostgreSQL yet still refuse the URL, naming those that do.
        let stats = try chatter(["stats", "--db", url])
        XCTAssertEqual(stats.status, 1, stats.stderr)
        XCTAssertTrue(stats.stderr.contains("`chatter failed`"), stats.stderr)
    }
}
