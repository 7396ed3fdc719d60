import Foundation
import TestSupport
import XCTest

/// `chatter ingest` and `chatter poll` with a `postgres://` `--db`, as a user runs them: the
/// same JSON counts as on the file store for the same inputs, a resumed ingest reads nothing,
/// an empty database is "no store" (exit 2), and what stays file-only is refused (exit 1).
final class IngestCommandOnPostgresTests: XCTestCase {
    func testIngestPrintsTheFileStoresCountsAndPollRefusesWhatIsFileOnly() throws {
        let inputs = try IngestContract.inputs.get()
        let file = try IngestFixture.fileCopy(of: inputs.seed)
        let copy = try IngestFixture.postgresCopy(of: inputs.seed)
        let paths = [inputs.events, inputs.maildir]

        let onFile = try ChatterBinary.run(["ingest", "--db", file.store.path, "--json"] + paths)
        XCTAssertEqual(onFile.status, 0, onFile.stderr)
        let onServer = try ChatterBinary.run(["ingest", "--db", copy.url, "--json"] + paths)
        XCTAssertEqual(onServer.status, 0, onServer.stderr)
        XCTAssertEqual(onServer.stdout, onFile.stdout)
        XCTAssertTrue(onServer.stdout.contains(#""unmatched": 1"#), onServer.stdout)
        XCTAssertFalse(onServer.stdout.contains(#""applied": 0,"#), onServer.stdout)
        let again = try ChatterBinary.run(["ingest", "--db", copy.url, "--json"] + paths)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains(#""applied": 0, "duplicate": 0"#), again.stdout)
        IngestFixture.assertSame(try IngestFixture.snapshot(copy.query), try IngestFixture.snapshot(file.query), "ingest")

        let emptyDb = try copy.cluster.createDatabase(prefix: "empty")
        let empty = try ChatterBinary.run(["ingest", "--db", copy.cluster.url(database: emptyDb), inputs.events])
        XCTAssertEqual(empty.status, 2, empty.stderr)
        XCTAssertFalse(empty.stderr.contains(PostgresTestCluster.password), empty.stderr)

        let config = (inputs.seed as NSString).deletingLastPathComponent + "/poll-\(UUID().uuidString).toml"
        try "[[source]]\nkind = \"events\"\npath = \"\(inputs.events)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let metrics = try ChatterBinary.run(["poll", "--db", copy.url, "--config", config, "--metrics", "127.0.0.1:0"])
        XCTAssertEqual(metrics.status, 1, metrics.stderr)
        XCTAssertTrue(metrics.stderr.contains("--metrics"), metrics.stderr)
        let once = try ChatterBinary.run(["poll", "--db", copy.url, "--config", config, "--once", "--json"])
        XCTAssertEqual(once.status, 0, once.stderr)
        XCTAssertTrue(once.stdout.contains(#""applied": 0,"#), once.stdout)
    }
}
