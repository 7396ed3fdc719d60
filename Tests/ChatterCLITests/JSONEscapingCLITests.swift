import Foundation
import XCTest

/// `--json` listings and `ingest --dry-run --json` never print a raw C1 control or bidi
/// control; the human listing shows invisible characters visibly.
final class JSONEscapingCLITests: XCTestCase {
    private var dir: URL!
    private var db: String { dir.appendingPathComponent("store.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private let raw: [Character] = ["\u{9B}", "\u{85}", "\u{202E}", "\u{202A}", "\u{2066}", "\u{2069}"]

    func testJSONOutputEscapesC1AndBidiControls() throws {
        let hostile = "Evil\u{9B}31m\u{85}\u{202E}gpj.exe\u{202A}\u{2066}x\u{2069}\u{200B}"
        let post = try Chatter.run([
            "post", "--db", db, "--as", "me@x.org", "--thread", "h/1", "--thread-name", hostile, "--to", "red@x.org",
            "--subject", hostile, "--body", "b",
        ])
        XCTAssertEqual(post.status, 0, post.stderr)
        for args in [["threads"], ["trackings"], ["thread", "h/1"]] {
            let out = try Chatter.run(args + ["--json", "--db", db])
            XCTAssertEqual(out.status, 0, out.stderr)
            for bad in raw { XCTAssertFalse(out.stdout.contains(bad), "\(args) printed U+\(String(bad.unicodeScalars.first!.value, radix: 16))") }
            XCTAssertTrue(out.stdout.contains(#"\u009b31m"#) && out.stdout.contains(#"\u202egpj.exe"#), out.stdout)
        }
        let human = try Chatter.run(["thread", "h/1", "--db", db])
        XCTAssertTrue(human.stdout.contains("x<U+2069><U+200B>"), human.stdout)

        let events = dir.appendingPathComponent("events.jsonl")
        let line = #"{"type":"hard_bounce","timestamp":1795608000,"recipient":"a@x.org","description":"550 \u009b2J \u202egpj.exe"}"#
        try Data((line + "\n").utf8).write(to: events)
        let dry = try Chatter.run(["ingest", "--dry-run", "--json", events.path])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        for bad in raw { XCTAssertFalse(dry.stdout.contains(bad), "dry run printed U+\(String(bad.unicodeScalars.first!.value, radix: 16))") }
        XCTAssertTrue(dry.stdout.contains(#""description":"550 \u009b2J \u202egpj.exe""#), dry.stdout)
    }
}
