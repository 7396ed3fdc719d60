import Foundation
import XCTest

/// `chatter --version`, global options before the subcommand, and a `--db` URL refused.
final class GlobalOptionsTests: XCTestCase {
    var dir: URL!
    var db: String { dir.appendingPathComponent("store.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-global-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func testVersionPrintsNumberAndCommit() throws {
        let r = try Chatter.run(["--version"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let line = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let shape = try NSRegularExpression(pattern: #"^\d+\.\d+\.\d+ \(commit [A-Za-z0-9._+-]+\)$"#)
        XCTAssertNotNil(shape.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)), line)
        // The commit is the one `make` wrote for this build (scripts/build-info.sh), else "unknown".
        let header = Shell.repository.appendingPathComponent("Sources/CBuildInfo/build_commit.h")
        let expected = (try? String(contentsOf: header, encoding: .utf8))?.split(separator: "\"").dropFirst().first.map(String.init)
        XCTAssertTrue(line.hasSuffix("(commit \(expected ?? "unknown"))"), "\(line) vs \(expected ?? "no header")")
    }

    func testGlobalOptionsBeforeTheSubcommandMeanTheSame() throws {
        XCTAssertEqual(try Chatter.run(["demo", "--db", db]).status, 0)
        let after = try Chatter.run(["failed", "--db", db, "--json", "--limit", "5"])
        let before = try Chatter.run(["--db", db, "--json", "failed", "--limit", "5"])
        let equalsForm = try Chatter.run(["--db=\(db)", "--as", "admin@yourcompany.example", "--json", "failed", "--limit", "5"])
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertEqual(before.status, 0, before.stderr)
        XCTAssertEqual(equalsForm.status, 0, equalsForm.stderr)
        XCTAssertTrue(after.stdout.hasPrefix("["), after.stdout)
        XCTAssertEqual(before.stdout, after.stdout)
        XCTAssertEqual(equalsForm.stdout, after.stdout)
        // Before a subcommand with its own flags after it.
        let count = try Chatter.run(["--db", db, "failed", "--count"])
        XCTAssertEqual(count.status, 0, count.stderr)
        XCTAssertEqual(Int(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), try Chatter.failedTotal(db: db))
    }

    func testUrlStoreIsRefusedNotTakenForAFile() throws {
        for url in ["postgres://db.example/chatter", "sqlite:///tmp/x.sqlite", "mysql+tcp://h/x"] {
            let r = try Chatter.run(["--db", url, "stats"], env: ["HOME": dir.path])
            XCTAssertEqual(r.status, 1, "\(url): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("URL"), r.stderr)
            let env = try Chatter.run(["stats"], env: ["CHATTER_DB": url, "HOME": dir.path])
            XCTAssertEqual(env.status, 1, env.stderr)
            XCTAssertTrue(env.stderr.contains("$CHATTER_DB"), env.stderr)
            let demo = try Chatter.run(["demo", "--db", url], env: ["HOME": dir.path])
            XCTAssertEqual(demo.status, 1, demo.stderr)
        }
        // Nothing was created for any of them: no file named like the URL's pieces.
        XCTAssertFalse(FileManager.default.fileExists(atPath: "postgres:"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }
}
