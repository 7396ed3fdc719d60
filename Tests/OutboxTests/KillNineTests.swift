import Foundation
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// `kill -9` the sender at random points: no mail is lost, and every mail the
/// server got twice belongs to an entry flagged possible duplicate. A short
/// seeded run in the suite; `make soak` runs 1,000 sends with 120 kills
/// (CHATTER_SOAK_SENDS / CHATTER_SOAK_KILLS / CHATTER_SOAK_SEED).
final class KillNineTests: XCTestCase {
    func testKillNineAtRandomPointsLosesNothingAndFlagsDuplicates() throws {
        let env = ProcessInfo.processInfo.environment
        let sends = env["CHATTER_SOAK_SENDS"].flatMap(Int.init) ?? 150
        let kills = env["CHATTER_SOAK_KILLS"].flatMap(Int.init) ?? 12
        var rng = SeededGenerator(seed: env["CHATTER_SOAK_SEED"].flatMap(UInt64.init) ?? 20261125)
        let binary = ChatterBinary.url
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary.path), "chatter binary missing at \(binary.path)")

        let f = try OutboxFixture(realClock: true)
        f.peer.script.finalDelay = 0.01
        for i in 0..<sends {
            try f.post(to: ["r\(i)@x.org"], subject: "Mail \(i)", thread: "kill/\(i % 7)")
        }
        let args = [
            "send", "--once", "--db", f.store.path, "--smtp-host", "127.0.0.1", "--smtp-port", String(f.peer.port),
            "--smtp-security", "none", "--smtp-timeout", "5",
        ]
        var killedMidRun = 0
        for _ in 0..<kills {
            let p = try Self.spawn(binary, args)
            usleep(UInt32(20_000 + rng.next() % 180_000))
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                killedMidRun += 1
            }
            p.waitUntilExit()
        }
        var finalRuns = 0
        while try !f.store.outboxEntries(status: .queued, limit: 1).isEmpty || finalRuns == 0 {
            let p = try Self.spawn(binary, args)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0)
            finalRuns += 1
            if finalRuns > 5 { break }
        }

        let entries = try f.store.outboxEntries(limit: sends * 2)
        XCTAssertEqual(entries.count, sends)
        XCTAssertEqual(entries.filter { $0.status != .sent }.map(\.id), [], "every entry ends sent: none lost")
        var received: [Int64: Int] = [:]
        for mail in f.peer.mails {
            guard let line = mail.data.components(separatedBy: "\r\n").first(where: { $0.hasPrefix(trackingHeaderName + ": ") }),
                let id = Int64(line.dropFirst(trackingHeaderName.count + 2))
            else { continue }
            received[id, default: 0] += 1
        }
        let byTracking = Dictionary(uniqueKeysWithValues: entries.map { ($0.trackingId, $0) })
        XCTAssertEqual(Set(received.keys), Set(byTracking.keys), "the server got every mail")
        let duplicates = received.filter { $0.value > 1 }.map(\.key)
        for id in duplicates {
            XCTAssertEqual(byTracking[id]?.possibleDuplicate, true, "tracking \(id) got \(received[id]!) copies unflagged")
        }
        XCTAssertEqual(
            try f.store.trackings(TrackingFilter(state: .sent), limit: sends * 2).rows.count, sends)
        print("kill -9: \(sends) sends, \(killedMidRun) kills mid-run, \(duplicates.count) delivered twice (all flagged), "
              + "\(entries.filter(\.possibleDuplicate).count) flagged possible duplicate, \(finalRuns) final runs")
        XCTAssertGreaterThan(killedMidRun, kills / 2, "the kills must land while the sender runs")
    }

    static func spawn(_ binary: URL, _ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }
}
