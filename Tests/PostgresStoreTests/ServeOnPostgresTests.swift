import Foundation
import PostgresStore
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// `chatter serve --db postgres://…` as an operator runs it, over real HTTP: a pixel hit
/// records one open on the server and a repeat within the window does not, `/healthz`
/// answers 200 and `/metrics` carries the store's gauges, and a provider webhook applies
/// its event on PostgreSQL.
final class ServeOnPostgresTests: XCTestCase {
    func testPixelHealthAndWebhookOnPostgres() throws {
        let cluster = try PostgresTestCluster.shared()
        let dir = NSTemporaryDirectory() + "pgserve-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/demo.sqlite"
        let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Assets/demo/dataset.json")
        var options = DemoOptions()
        options.size = 60
        // A day back, so no open of the demo falls in the pixel's duplicate window.
        options.now = Date().timeIntervalSince1970 - 86_400
        _ = try TrackingStore.buildDemo(at: file, try DemoDataset.load(from: Data(contentsOf: assets)), options: options)
        let db = try cluster.createDatabase(prefix: "serve")
        let url = cluster.url(database: db)
        let copy = try ChatterBinary.run(["store", "copy", "--from", file, "--to", url])
        XCTAssertEqual(copy.status, 0, copy.stderr)
        func sql(_ text: String) throws -> String {
            try cluster.psql(text, database: db).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let pixelRow = try sql(
            "SELECT id || ' ' || token FROM trackings WHERE state IN ('sent', 'delivered') AND token IS NOT NULL ORDER BY id LIMIT 1"
        ).split(separator: " ").map(String.init)
        let sentRow = try sql("SELECT id FROM trackings WHERE state = 'sent' ORDER BY id DESC LIMIT 1")
        XCTAssertEqual(pixelRow.count, 2, "the demo has an openable row with a token")
        XCTAssertFalse(sentRow.isEmpty, "the demo has a sent row")
        guard pixelRow.count == 2, !sentRow.isEmpty else { return }

        let server = try ServeProcess(url: url, environment: ["POSTMARK_WEBHOOK_PASSWORD": "s3cret"], args: ["--postmark-user", "pm"])
        defer { server.stop() }
        let port = try server.port()

        let opens = "SELECT count(*) FROM events WHERE tracking_id = \(pixelRow[0]) AND type = 'open' AND source = 'pixel'"
        XCTAssertEqual(try sql(opens), "0")
        let pixel = "http://127.0.0.1:\(port)/t/\(pixelRow[0])/\(pixelRow[1])/blank.gif"
        XCTAssertEqual(try Self.curl([pixel]).status, "200")
        XCTAssertEqual(try sql(opens), "1", "the first hit records one open on the server")
        XCTAssertEqual(try Self.curl([pixel]).status, "200")
        XCTAssertEqual(try sql(opens), "1", "a repeat within the window records nothing")
        let wrong = "http://127.0.0.1:\(port)/t/\(pixelRow[0])/\(String(repeating: "0", count: pixelRow[1].count))/blank.gif"
        XCTAssertEqual(try Self.curl([wrong]).status, "200")
        XCTAssertEqual(try sql(opens), "1", "a wrong token records nothing")

        let health = try Self.curl(["http://127.0.0.1:\(port)/healthz"])
        XCTAssertEqual(health.status, "200")
        XCTAssertEqual(health.body, "ok\n")
        let metrics = try Self.curl(["http://127.0.0.1:\(port)/metrics"]).body
        let events = try sql("SELECT count(*) FROM events")
        XCTAssertTrue(metrics.contains("chatter_store_up 1"), metrics)
        XCTAssertTrue(metrics.contains("chatter_store_events \(events)"), metrics)

        let delivered = "SELECT count(*) FROM events WHERE tracking_id = \(sentRow) AND type = 'delivered'"
        let before = try sql(delivered)
        let body = """
            {"RecordType":"Delivery","MessageID":"pm-serve-1","Recipient":"jane@x.org","DeliveredAt":"2026-11-25T10:00:00Z",
             "Details":"smtp;250 ok","Metadata":{"tracking_id":"\(sentRow)"}}
            """
        let hook = try Self.curl([
            "-u", "pm:s3cret", "-H", "Content-Type: application/json", "--data-binary", body,
            "http://127.0.0.1:\(port)/webhooks/postmark",
        ])
        XCTAssertEqual(hook.status, "200", hook.body)
        XCTAssertEqual(try sql(delivered), String(Int(before)! + 1), "the webhook's delivery is applied on PostgreSQL")
        XCTAssertEqual(try sql("SELECT state FROM trackings WHERE id = \(sentRow)"), "delivered")
    }

    /// One request with curl: the status code and the body.
    static func curl(_ args: [String]) throws -> (status: String, body: String) {
        let r = try ChatterBinary.run(
            URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "--max-time", "10", "-w", "\n%{http_code}"] + args)
        var lines = r.stdout.components(separatedBy: "\n")
        let status = lines.popLast() ?? ""
        return (status, lines.joined(separator: "\n"))
    }
}

/// `chatter serve --listen 127.0.0.1:0 --db URL` running; its port read from its start lines.
final class ServeProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var output = Data()

    init(url: String, environment extra: [String: String], args: [String]) throws {
        process.executableURL = ChatterBinary.url
        process.arguments = ["serve", "--listen", "127.0.0.1:0", "--db", url] + args
        var environment = ProcessInfo.processInfo.environment
        for name in ["CHATTER_DB", "CHATTER_AS", "CHATTER_SMTP_PASSWORD", "MAILGUN_SIGNING_KEY"] { environment[name] = nil }
        environment["XDG_CONFIG_HOME"] = NSTemporaryDirectory() + "pgserve-config-" + UUID().uuidString
        environment["CHATTER_CONFIG"] = nil
        process.environment = environment.merging(extra) { $1 }
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.withLock { self.output.append(data) }
        }
        try process.run()
    }

    var text: String { lock.withLock { String(decoding: output, as: UTF8.self) } }

    /// The port it listens on, once it says so (at most 30 s).
    func port() throws -> Int {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                let port = Int(text[range].split(separator: ":").last ?? "")
            {
                return port
            }
            usleep(50_000)
        }
        throw NSError(domain: "ServeProcess", code: 1, userInfo: [NSLocalizedDescriptionKey: "serve did not listen: \(text)"])
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
