import EventIngest
import Foundation
import PostgresStore
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// Two `chatter poll` processes, as on two mail hosts (each its own Postfix log), feed one
/// PostgreSQL database and are `kill -9`ed at seeded random moments and restarted, then run
/// to the end: the database holds exactly what one file store holds after reading both logs
/// once (every event once, the same states, unmatched items, queue links, cursors and
/// counters), and `chatter store check` finds no problem.
///
/// The suite runs a short seeded smoke; `make soak` sets CHATTER_SOAK_POLL_MAILS and
/// CHATTER_SOAK_POLL_KILLS for a long one (CHATTER_SOAK_SEED replays a run).
final class IngestTwoPollersTests: XCTestCase {
    private func environmentInt(_ name: String, _ fallback: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap(Int.init) ?? fallback
    }

    func testTwoPollersKilledAtRandomLoseAndDoubleNothing() throws {
        let perHost = environmentInt("CHATTER_SOAK_POLL_MAILS", 200)
        let kills = environmentInt("CHATTER_SOAK_POLL_KILLS", 4)
        var rng = SeededGenerator(seed: UInt64(environmentInt("CHATTER_SOAK_SEED", 2612)))
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: ChatterBinary.path), "build chatter first: \(ChatterBinary.path)")
        let dir = try IngestFixture.folder("two-pollers")
        defer { try? FileManager.default.removeItem(atPath: dir) }

        // One seed, two hosts' logs (a tenth of each host's mails bounce; a few name no message of ours).
        var configs: [String] = []
        var sources: [PollerSource] = []
        do {
            let seed = try IngestFixture.Seed(path: dir + "/seed.sqlite")
            for host in ["mxa", "mxb"] {
                var mails: [(messageId: String, recipient: String, bounce: Bool)] = []
                for i in 0..<perHost {
                    let messageId = "\(host)-\(i)@app.test"
                    let recipient = "r\(i)@\(host).remote.test"
                    if i % 50 != 7 { try seed.post(messageId: messageId, to: [recipient]) }
                    mails.append((messageId, recipient, i % 10 == 3))
                }
                let log = "\(dir)/\(host).log"
                try IngestFixture.postfixLog(host: host, mails: mails).write(toFile: log, atomically: true, encoding: .utf8)
                let config = "\(dir)/\(host).toml"
                try """
                    [poller]
                    interval = 0.05

                    [[source]]
                    kind = "postfix-log"
                    path = "\(log)"
                    batch_size = 16

                    """.write(toFile: config, atomically: true, encoding: .utf8)
                configs.append(config)
                sources.append(PollerSource(kind: .postfixLog, path: log, batchSize: 16))
            }
        }

        // The reference: both logs read once into a copy of the seed file.
        let reference = try IngestFixture.fileCopy(of: dir + "/seed.sqlite")
        let referenceReport = Poller(store: reference.store, sources: sources).runOnce()
        let expected = try IngestFixture.snapshot(reference.query)
        let total = try XCTUnwrap(expected["events"]?.count)
        XCTAssertEqual(total + referenceReport.unmatched, 2 * perHost, "one signal per mail")
        XCTAssertGreaterThan(referenceReport.unmatched, 0)

        let copy = try IngestFixture.postgresCopy(of: dir + "/seed.sqlite")
        var pollers: [Process?] = [nil, nil]
        var startedAt = [Date(), Date()]
        let logFile = dir + "/poll.log"
        FileManager.default.createFile(atPath: logFile, contents: nil)
        func start(_ index: Int) throws {
            let p = Process()
            p.executableURL = ChatterBinary.url
            p.arguments = ["poll", "--db", copy.url, "--config", configs[index]]
            var env = ProcessInfo.processInfo.environment
            env["CHATTER_DB"] = nil
            p.environment = env
            let log = try XCTUnwrap(FileHandle(forWritingAtPath: logFile))
            log.seekToEndOfFile()
            p.standardOutput = FileHandle.nullDevice
            p.standardError = log
            try p.run()
            pollers[index] = p
            startedAt[index] = Date()
        }
        func events() throws -> Int { Int(try copy.query("SELECT count(*) FROM events").first ?? "") ?? -1 }

        // Kill points: after a seeded pause, one of the two (seeded) dies by SIGKILL and is restarted.
        var killedMidway = 0
        try start(0)
        try start(1)
        for _ in 0..<kills {
            usleep(UInt32(150_000 + rng.below(500_000)))
            let victim = rng.below(2)
            let done = try events()
            if done > 0 && done < total { killedMidway += 1 }
            if let p = pollers[victim] {
                kill(p.processIdentifier, SIGKILL)
                p.waitUntilExit()
                XCTAssertEqual(p.terminationReason, .uncaughtSignal)
            }
            try start(victim)
        }
        // Both run to the end of their logs.
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline {
            let cursors = try copy.query("SELECT source || ' ' || cursor FROM source_cursors").map(IngestFixture.canonicalJSON)
            if try events() == total, cursors.sorted() == expected["source_cursors"] { break }
            usleep(100_000)
        }
        // A poller restarted last may still be starting (its SIGTERM handler not yet set):
        // stop each once it has run for a while.
        let settled = (startedAt.max() ?? Date()).addingTimeInterval(2)
        if settled > Date() { usleep(UInt32(settled.timeIntervalSinceNow * 1_000_000)) }
        for p in pollers.compactMap({ $0 }) {
            kill(p.processIdentifier, SIGTERM)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "a poller stops cleanly on SIGTERM")
        }
        let logText = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""

        XCTAssertGreaterThan(killedMidway, 0, "a poller was killed while the logs were being read")
        XCTAssertEqual(try events(), total, "every event once:\n\(logText.suffix(2000))")
        IngestFixture.assertSame(try IngestFixture.snapshot(copy.query), expected, "two pollers killed \(kills) times")
        let check = try ChatterBinary.run(["store", "check", "--db", copy.url])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertFalse(logText.contains(PostgresTestCluster.password), "no password in the log")
    }
}
