import Foundation
import Glibc
import TestSupport
import XCTest

/// The front on a PostgreSQL store, end to end: `chatter ui --db postgres://…` in a
/// private tmux server on a database filled from a demo file (`chatter store copy`),
/// while other processes write: a `chatter post` shows in the pane; when the
/// front's listening connection is killed (psql, `pg_terminate_backend`) the header
/// says it polls and the next post still shows; then the header is live again.
final class FrontPostgresE2ETests: XCTestCase {
    private var tmux: Tmux?
    private var scratch: Scratch!

    override func setUpWithError() throws {
        scratch = try Scratch(size: 120)
    }

    override func tearDown() {
        tmux?.kill()
        tmux = nil
        scratch = nil
    }

    private func post(_ url: String, name: String) throws {
        let r = try Binary.run([
            "post", "--db", url, "--thread", "e2e/pg/\(name)", "--thread-name", name,
            "--to", "Far Away <far.away@example.com>", "--subject", name, "--body", "Posted by another process.",
        ])
        XCTAssertEqual(r.status, 0, r.out)
    }

    func testAChangeFromAnotherProcessShowsInThePane() throws {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase(prefix: "e2eui")
        let url = cluster.url(database: db)
        let copy = try Binary.run(["store", "copy", "--from", scratch.db, "--to", url])
        XCTAssertEqual(copy.status, 0, copy.out)

        let command =
            "env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 '\(Binary.path)' ui --db '\(url)'; echo EXITED $?; sleep 30"
        let t = try Tmux(command: command, width: 120, height: 40)
        tmux = t
        try t.wait("the loaded front") { FrontScreen.failedCounter($0) != nil && !FrontScreen.threadRows($0).isEmpty }
        let loaded = try t.wait(for: "changes live")
        XCTAssertFalse(loaded.contains("Posted on PostgreSQL"))

        try post(url, name: "Posted on PostgreSQL")
        try t.wait("the other process's post in the thread list") {
            FrontScreen.threadRows($0).contains { $0.contains("Posted on PostgreSQL") }
        }

        let killed = try cluster.psql(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE datname = '\(db)' AND query LIKE 'LISTEN%') k", database: db)
        XCTAssertEqual(killed, "1", "the front's listening connection was terminated")
        try t.wait(for: "changes polled every 1 s")
        try post(url, name: "Posted while polling")
        try t.wait("the post made while the front polls") {
            FrontScreen.threadRows($0).contains { $0.contains("Posted while polling") }
        }
        try t.wait(for: "changes live", timeout: 15)

        try t.send("q")
        try t.wait(for: "EXITED 0")
    }
}
