import Foundation
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

@testable import EventIngest

/// The built `chatter ingest` / `poll --once` on inputs that used to stop it or never let it
/// stop: a `.gz` given by hand, a line of several MiB, a plain folder of mails and provider JSON.
/// The binary runs under `timeout`, so a hang fails the test (exit 124) instead of the suite.
///
/// `CHATTER_SOAK_LINE_MB` sets the over-long line's size (the suite: 5 MiB; `make soak`: 100).
final class IngestInputsCommandTests: XCTestCase {
    /// Runs the binary with a time limit; 124 when it had to be killed.
    private struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    private func chatter(_ args: [String], env: [String: String] = [:], seconds: Int = 60) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["-s", "KILL", String(seconds), ChatterBinary.path] + args
        var environment = ProcessInfo.processInfo.environment
        for name in ["CHATTER_AS", "CHATTER_DB"] { environment[name] = nil }
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        p.waitUntilExit()
        let status = p.terminationReason == .uncaughtSignal ? 124 : p.terminationStatus
        return Run(
            status: status == 137 ? 124 : status, stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    private func gzip(_ path: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-f", path]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
    }

    func testGzipGivenByHandExitsInEveryModeAndIsDetectedByContent() throws {
        let fx = try PollerFixture()
        try fx.postCaptureMessages()
        // A name that says neither "mail" nor "postfix": the content decides.
        let plain = fx.path("archive.2")
        try FileManager.default.copyItem(atPath: PollerFixture.samples.appendingPathComponent("postfix.log").path, toPath: plain)
        try gzip(plain)
        let gz = plain + ".gz"
        let first = try chatter(["ingest", "--db", fx.store.path, gz])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasPrefix("applied ") && !first.stdout.hasPrefix("applied 0,"), first.stdout)
        let again = try chatter(["ingest", "--db", fx.store.path, gz])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.hasPrefix("applied 0, duplicate 0,"), "a finished .gz resumes at its end: \(again.stdout)")
        for args in [["--dry-run"], ["--dry-run", "--format", "postfix"], ["--format", "postfix", "--from-start"]] {
            let run = try chatter(["ingest", "--db", fx.store.path] + args + [gz])
            XCTAssertEqual(run.status, 0, "\(args): \(run.stderr)")
        }
        let dry = try chatter(["ingest", "--dry-run", "--json", gz])
        XCTAssertTrue(dry.stdout.contains(#""type":"hard_bounce""#), dry.stdout)

        // Our JSON lines, compressed, under a bare name.
        let id = try XCTUnwrap(try fx.post(messageId: "gz@app.test", to: ["gz@x.test"])["gz@x.test"]).id
        let events = fx.path("events")
        try Data(#"{"type":"delivered","timestamp":1795608000,"tracking_id":"\#(id)"}"#.utf8 + [10])
            .write(to: URL(fileURLWithPath: events))
        try gzip(events)
        let jsonl = try chatter(["ingest", "--db", fx.store.path, events + ".gz"])
        XCTAssertEqual(jsonl.status, 0, jsonl.stderr)
        XCTAssertEqual(try fx.store.tracking(id: id).state, .delivered)
    }

    func testOverlongLineIsQuarantinedAndTheLinesAfterItAreRead() throws {
        let megabytes = Int(ProcessInfo.processInfo.environment["CHATTER_SOAK_LINE_MB"] ?? "") ?? 5
        let fx = try PollerFixture()
        var ids: [Int64] = []
        for n in 0..<4 {
            ids.append(try XCTUnwrap(try fx.post(messageId: "l\(n)@app.test", to: ["l\(n)@x.test"])["l\(n)@x.test"]).id)
        }
        func line(_ n: Int) -> Data {
            Data(#"{"type":"delivered","timestamp":1795608000,"tracking_id":"\#(ids[n])"}"#.utf8 + [10])
        }
        let events = fx.path("events.jsonl")
        FileManager.default.createFile(atPath: events, contents: line(0))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: events))
        try handle.seekToEnd()
        let longOffset = try handle.offset()
        try handle.write(contentsOf: Data(#"{"type":"open","description":""#.utf8))
        let chunk = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
        for _ in 0..<megabytes { try handle.write(contentsOf: chunk) }
        try handle.write(contentsOf: Data("\"}\n".utf8))
        try handle.write(contentsOf: line(1))
        try handle.close()

        let start = Date()
        let run = try MeasuredProcess(ChatterBinary.url, ["ingest", "--db", fx.store.path, events]).wait()
        XCTAssertEqual(run.status, 0, run.stderr)
        print(
            "over-long line: \(megabytes) MiB: ingest \(String(format: "%.2f", Date().timeIntervalSince(start))) s, "
                + "peak \(run.peakKiB / 1024) MiB")
        XCTAssertLessThan(run.peakKiB, 400 << 10, "the line is never held whole")
        XCTAssertTrue(run.stdout.contains("applied 2,") && run.stdout.contains("quarantined 1,"), run.stdout)
        XCTAssertEqual(try fx.store.tracking(id: ids[1]).state, .delivered, "the line after the long one was read")
        let listing = try chatter(["quarantine", "--json", "--db", fx.store.path])
        XCTAssertTrue(listing.stdout.contains("line too long ("), listing.stdout)
        XCTAssertTrue(listing.stdout.contains("\"offset \(longOffset)\""), listing.stdout)

        // The poller reads on past it in the same run too.
        let log = fx.path("more.jsonl")
        var data = line(2)
        data.append(Data(repeating: UInt8(ascii: "b"), count: 2 << 20))
        data.append(Data("\n".utf8))
        data.append(line(3))
        try data.write(to: URL(fileURLWithPath: log))
        try FileManager.default.createDirectory(atPath: fx.path("config/chatter"), withIntermediateDirectories: true)
        try "[[source]]\nkind = \"events\"\npath = \"\(log)\"\nformat = \"jsonl\"\n"
            .write(toFile: fx.path("config/chatter/config.toml"), atomically: true, encoding: .utf8)
        let poll = try chatter(["poll", "--once", "--db", fx.store.path], env: ["XDG_CONFIG_HOME": fx.path("config")])
        XCTAssertEqual(poll.status, 0, poll.stderr)
        XCTAssertEqual(try fx.store.tracking(id: ids[3]).state, .delivered)
        XCTAssertEqual(try fx.count("SELECT count(*) FROM quarantine"), 2)

        // A dry run lists it as quarantined and goes on as well.
        let dry = try chatter(["ingest", "--dry-run", "--json", log])
        XCTAssertEqual(dry.stdout.split(separator: "\n").count, 3, dry.stdout)
        XCTAssertTrue(dry.stdout.contains(#""reason":"line too long ("#), dry.stdout)
    }

    func testPlainFolderOfMailsAndProviderJSONIsReadFileByFile() throws {
        let fx = try PollerFixture()
        try fx.postCaptureMessages()
        let folder = fx.path("inbox")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let mbox = String(decoding: try Data(contentsOf: PollerFixture.samples.appendingPathComponent("bounces.mbox")), as: UTF8.self)
        // The capture's second mail: the DSN of nosuchuser@testhost.localdomain.
        let dsn = mbox.components(separatedBy: "\nFrom ")[1]
        try String(dsn.drop { $0 != "\n" }.dropFirst()).write(toFile: folder + "/bounce.eml", atomically: true, encoding: .utf8)
        try #"[{"email":"bad2@remote.test","timestamp":1795608000,"event":"bounce","sg_event_id":"sg1","reason":"550 5.1.1 unknown user","status":"5.1.1","type":"bounce"}]"#
            .write(toFile: folder + "/sendgrid.json", atomically: true, encoding: .utf8)

        let dry = try chatter(["ingest", "--dry-run", "--json", folder])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains(#""source":"dsn""#), dry.stdout)
        XCTAssertTrue(dry.stdout.contains(#""source":"sendgrid""#), dry.stdout)
        let eml = try chatter(["ingest", "--dry-run", "--json", "--format", "eml", folder])
        XCTAssertEqual(eml.status, 0, eml.stderr)
        XCTAssertTrue(eml.stdout.contains(#""source":"dsn""#), eml.stdout)

        let run = try chatter(["ingest", "--db", fx.store.path, folder])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("quarantined 0,"), run.stdout)
        XCTAssertEqual(try fx.state("20241125.2@app.testhost.localdomain", "nosuchuser@testhost.localdomain"), .bounced)
        XCTAssertEqual(try fx.count("SELECT count(*) FROM unmatched WHERE source = 'sendgrid'"), 1, "no Message-ID: kept as unmatched")
    }
}
