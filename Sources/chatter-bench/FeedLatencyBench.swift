import ArgumentParser
import Foundation
import PostgresStore

/// Commit → NOTIFY → `waitForChange` latency across two processes on PostgreSQL: a
/// `psql` child commits `count` small transactions (a quarantine row and the
/// notification, as a writer does), 50 ms apart, each stamping the server's clock just
/// before its COMMIT; this process waits on a `PostgresChangeFeed` and stamps each wake.
/// A commit's latency = the first wake after its stamp − the stamp (an upper bound: it
/// includes the commit itself; commits that arrive together wake the watcher once).
struct FeedLatencyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed-latency", abstract: "Commit to waitForChange latency across two processes (PostgreSQL).")

    @Option(help: "A postgres:// URL of a chatter store (its quarantine table gets the test rows).") var db: String
    @Option var count: Int = 200
    @Option var psql: String = "psql"

    func run() throws {
        guard case .postgres(let settings) = try StoreLocation.parse(db, environment: ProcessInfo.processInfo.environment)
        else { throw BenchError("--db must be a postgres:// URL") }
        let feed = PostgresChangeFeed(settings: settings)
        defer { feed.stop() }
        let deadline = Date(timeIntervalSinceNow: 10)
        while !feed.isLive && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        guard feed.isLive else { throw BenchError("the feed did not go live") }
        _ = feed.waitForChange(timeout: 0)

        let tag = UUID().uuidString
        var script = ""
        for i in 0..<count {
            script += """
                BEGIN;
                INSERT INTO quarantine (source, path, position, reason, excerpt, first_seen, last_seen)
                  VALUES ('feed-latency', '\(tag)', '\(i)', 'bench', '', 0, 0);
                SELECT pg_notify('chatter', 'bench');
                SELECT extract(epoch FROM clock_timestamp());
                COMMIT;
                SELECT pg_sleep(0.05);

                """
        }
        script += "DELETE FROM quarantine WHERE source = 'feed-latency' AND path = '\(tag)';\n"
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        child.arguments = [psql, "-qAtX", "-v", "ON_ERROR_STOP=1", db]
        let input = Pipe()
        let output = Pipe()
        child.standardInput = input
        child.standardOutput = output
        try child.run()
        // Written from another thread: the script outgrows the pipe, and this thread must be waiting.
        let writer = input.fileHandleForWriting
        let bytes = Data(script.utf8)
        Thread.detachNewThread {
            writer.write(bytes)
            try? writer.close()
        }

        // Until the writer is done and quiet (2 s); commits that came together are one wake.
        var wakes: [Double] = []
        while feed.waitForChange(timeout: 2) == .changed { wakes.append(Date().timeIntervalSince1970) }
        let stamps = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        child.waitUntilExit()
        guard child.terminationStatus == 0, stamps.count == count else {
            throw BenchError("psql status \(child.terminationStatus), \(stamps.count) commits")
        }
        // Each commit is seen at the first wake after its stamp.
        var latencies: [Double] = []
        var next = 0
        for stamp in stamps {
            while next < wakes.count && wakes[next] < stamp { next += 1 }
            guard next < wakes.count else { throw BenchError("a commit at \(stamp) was never seen") }
            latencies.append((wakes[next] - stamp) * 1000)
        }
        report([
            ("bench", "feed_latency"), ("commits", count), ("wakes", wakes.count), ("p50_ms", percentile(latencies, 0.5)),
            ("p99_ms", percentile(latencies, 0.99)), ("max_ms", latencies.max() ?? 0), ("live", feed.isLive),
        ])
    }
}
