import Foundation
import PostgresStore
import TestSupport
import TrackingModel
import XCTest

/// Two `chatter send` processes against one PostgreSQL database and one SMTP receiver on
/// loopback: side by side they split the queue and every recipient gets one mail; killed
/// with `kill -9` at seeded random points and restarted, then drained, every queued
/// recipient was sent, and a recipient the receiver got twice belongs to an entry the
/// store flagged possible duplicate (as the SQLite store reconciles: without delivery
/// evidence an interrupted attempt is resent flagged). A short run in the suite; `make
/// soak` sends more with more kills (CHATTER_SOAK_PG_SENDS / CHATTER_SOAK_PG_KILLS /
/// CHATTER_SOAK_SEED).
final class OutboxTwoSendersTests: XCTestCase {
    func testTwoSendersSplitTheQueueAndSurviveKillNine() throws {
        let env = ProcessInfo.processInfo.environment
        let sends = env["CHATTER_SOAK_PG_SENDS"].flatMap(Int.init) ?? 80
        let rounds = env["CHATTER_SOAK_PG_KILLS"].flatMap(Int.init) ?? 6
        var rng = SeededGenerator(seed: env["CHATTER_SOAK_SEED"].flatMap(UInt64.init) ?? 20261203)
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: ChatterBinary.path), "chatter missing at \(ChatterBinary.path)")

        let (cluster, db, settings) = try OutboxContractStore.database(prefix: "senders")
        let url = cluster.url(database: db)
        let store = try BlockingCall.run { try await PostgresStore.open(settings) }
        let me = try store.user(email: "me@yourcompany.example", name: "Mitchell Admin")
        let peer = SMTPPeer()
        peer.script.finalDelay = 0.03
        try peer.start()
        defer { peer.stop() }
        // Every fifth message goes as one shared mail to two recipients: its group is claimed together.
        func queue(_ range: Range<Int>) throws {
            for i in range {
                let to = i % 5 == 0 ? ["r\(i)a@x.org", "r\(i)b@x.org"] : ["r\(i)@x.org"]
                _ = try store.postAndQueue(
                    PostRequest(
                        thread: ThreadRef(model: "kill", key: String(i % 7)), authorId: me.id, to: to, subject: "Mail \(i)",
                        body: "Hello \(i)"), sharedMail: i % 5 == 0)
            }
        }
        let args = [
            "send", "--once", "--json", "--db", url, "--smtp-host", "127.0.0.1", "--smtp-port", String(peer.port),
            "--smtp-security", "none", "--smtp-timeout", "5",
        ]

        // Side by side, nobody killed: the queue is split, nothing is sent twice.
        try queue(0..<sends / 2)
        let firstCount = try store.outboxCounts().byStatus[.queued] ?? 0
        let pair = try (0..<2).map { _ in try Self.spawn(args) }
        var sentBy: [Int] = []
        for p in pair {
            p.process.waitUntilExit()
            XCTAssertEqual(p.process.terminationStatus, 0)
            let out = String(decoding: p.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let json = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
            sentBy.append(json?["sent"] as? Int ?? -1)
        }
        XCTAssertEqual(sentBy.reduce(0, +), firstCount, "between them they sent every entry once: \(sentBy)")
        XCTAssertEqual(Self.received(peer).values.filter { $0 > 1 }.count, 0, "nobody got a mail twice")
        XCTAssertEqual(Self.received(peer).count, firstCount)

        // Killed at random points, restarted, then drained: each round queues more and starts both again.
        let chunk = max(1, (sends - sends / 2) / rounds)
        var killed = 0
        for round in 0..<rounds {
            try queue(sends / 2 + round * chunk..<(round == rounds - 1 ? sends : sends / 2 + (round + 1) * chunk))
            let running = try (0..<2).map { _ in try Self.spawn(args) }
            let delays = running.map { _ in UInt32(40_000 + rng.next() % 300_000) }
            var slept: UInt32 = 0
            for (p, delay) in zip(running, delays).sorted(by: { $0.1 < $1.1 }) {
                usleep(delay - slept)
                slept = delay
                if p.process.isRunning {
                    kill(p.process.processIdentifier, SIGKILL)
                    killed += 1
                }
            }
            for p in running { p.process.waitUntilExit() }
        }
        var finalRuns = 0
        while finalRuns < 5 {
            let p = try Self.spawn(args)
            p.process.waitUntilExit()
            XCTAssertEqual(p.process.terminationStatus, 0)
            finalRuns += 1
            let counts = try store.outboxCounts().byStatus
            if (counts[.queued] ?? 0) + (counts[.sending] ?? 0) == 0 { break }
        }

        let entries = try store.outboxEntries(status: nil, possibleDuplicatesOnly: false, messageId: nil, limit: 10 * sends)
        let recipients = Dictionary(
            uniqueKeysWithValues: try cluster.psql(
                "SELECT o.id || ' ' || t.address FROM outbox o JOIN trackings t ON t.id = o.tracking_id", database: db
            ).split(separator: "\n").map { line in
                let parts = line.split(separator: " ")
                return (Int64(parts[0])!, String(parts[1]))
            })
        XCTAssertEqual(entries.filter { $0.status != .sent }.map(\.id), [], "every entry ends sent: none lost")
        let received = Self.received(peer)
        XCTAssertEqual(Set(received.keys), Set(recipients.values), "the receiver got every recipient")
        for entry in entries {
            let got = received[recipients[entry.id]!] ?? 0
            if got > 1 { XCTAssertTrue(entry.possibleDuplicate, "entry \(entry.id) sent \(got) times unflagged") }
            XCTAssertLessThanOrEqual(got, entry.attempts, "entry \(entry.id): more mails than attempts")
            XCTAssertEqual(entry.attempts > 1, entry.possibleDuplicate, "entry \(entry.id): a resent attempt is flagged")
        }
        XCTAssertEqual(
            try cluster.psql("SELECT count(*) FROM trackings WHERE state = 'sent'", database: db), String(recipients.count))
        XCTAssertEqual(
            try cluster.psql("SELECT count(*) FROM events WHERE type = 'sent'", database: db), String(recipients.count),
            "one sent event per recipient, whoever sent it")
        let twice = received.filter { $0.value > 1 }.count
        print(
            "two senders: \(recipients.count) recipients, \(killed) kills mid-run, \(twice) delivered twice (all flagged), "
                + "\(entries.filter(\.possibleDuplicate).count) flagged, \(finalRuns) final runs")
        XCTAssertGreaterThan(killed, rounds, "the kills must land while the senders run")
    }

    /// How many mails each recipient address got.
    static func received(_ peer: SMTPPeer) -> [String: Int] {
        var out: [String: Int] = [:]
        for mail in peer.mails { for r in mail.recipients { out[r, default: 0] += 1 } }
        return out
    }

    static func spawn(_ args: [String]) throws -> (process: Process, output: Pipe) {
        let p = Process()
        p.executableURL = ChatterBinary.url
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["CHATTER_DB"] = nil
        p.environment = environment
        try p.run()
        return (p, pipe)
    }
}
