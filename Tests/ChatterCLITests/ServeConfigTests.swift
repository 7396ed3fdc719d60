import Foundation
import XCTest

/// `chatter serve` reads the SES settings from `[serve]` of config.toml, lets the command
/// line override them, and refuses malformed ones before listening.
final class ServeConfigTests: XCTestCase {
    private var dir: URL!
    private var db: String { dir.appendingPathComponent("store.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("chatter"), withIntermediateDirectories: true)
        XCTAssertEqual(try Chatter.run(["partner", "add", "--name", "X", "--email", "x@y.org", "--db", db]).status, 0)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func writeConfig(_ text: String) throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent("chatter/config.toml"))
    }

    func testMalformedSESSettingsAreUsageErrors() throws {
        try assertRefused(config: "[serve]\nses_topic_arns = 5\n", naming: "config.toml:2: [serve]: ses_topic_arns must be a list of strings")
        try assertRefused(config: "[serve]\nses_topics = [\"arn:aws:sns:eu-west-1:1:t\"]\n", naming: "config.toml:2: [serve]: unknown setting ses_topics")
        try assertRefused(["--ses-topic-arn", "ses-events"], naming: "ses-events")
    }

    /// `chatter serve` with `config` as config.toml and `args` exits 1 at start, naming `what` on stderr.
    private func assertRefused(
        config: String = "", _ args: [String] = [], naming what: String, line: UInt = #line
    ) throws {
        try writeConfig(config)
        let run = try Chatter.run(
            ["serve", "--listen", "127.0.0.1:0"] + args + ["--db", db], env: ["XDG_CONFIG_HOME": dir.path])
        XCTAssertEqual(run.status, 1, run.stderr, line: line)
        XCTAssertTrue(run.stderr.contains(what), run.stderr, line: line)
    }

    /// The line `chatter serve` prints about its webhooks, then it is stopped.
    private func webhooksLine(_ args: [String]) throws -> String { try startLine("webhooks:", args) }

    /// The first line `chatter serve` prints with `key` (it prints its start lines together), then it is stopped.
    private func startLine(_ key: String, _ args: [String]) throws -> String {
        let process = Process()
        process.executableURL = Chatter.binary
        process.arguments = ["serve", "--listen", "127.0.0.1:0", "--db", db] + args
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = dir.path
        environment["MAILGUN_SIGNING_KEY"] = nil
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !text.contains("X-Forwarded-For:") || !text.hasSuffix("\n") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return text.split(separator: "\n").first { $0.contains(key) }.map(String.init) ?? text
    }

    func testTrustedProxiesComeFromConfigTomlOrTheCommandLineAndBadOnesAreUsageErrors() throws {
        XCTAssertTrue(try startLine("X-Forwarded-For:", []).contains("ignored (no trusted proxy)"))
        try writeConfig("[serve]\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]\n")
        XCTAssertTrue(try startLine("X-Forwarded-For:", []).contains("from 10.0.0.0/8, ::1"))
        let overridden = try startLine("X-Forwarded-For:", ["--trusted-proxy", "192.168.1.5/32"])
        XCTAssertTrue(overridden.hasSuffix("from 192.168.1.5/32"), overridden)
        try assertRefused(config: "[serve]\ntrusted_proxies = \"10.0.0.0/33\"\n", naming: "10.0.0.0/33")
        try assertRefused(config: "[serve]\ntrusted_proxies = 5\n", naming: "config.toml:2: [serve]: trusted_proxies must be a list of strings")
        try assertRefused(["--max-connections", "999999999"], naming: "--max-connections")
    }

    func testTopicsComeFromConfigTomlAndTheCommandLineOverridesThem() throws {
        try writeConfig(
            """
            [serve]
            ses_topic_arns = ["arn:aws:sns:eu-west-1:123456789012:a", "arn:aws:sns:eu-west-1:123456789012:b"]
            ses_auto_confirm = true
            """)
        XCTAssertTrue(try webhooksLine([]).contains("ses (2 topic(s), auto-confirm)"))
        let overridden = try webhooksLine(["--ses-topic-arn", "arn:aws:sns:us-east-1:1:c", "--no-ses-auto-confirm"])
        XCTAssertTrue(overridden.contains("ses (1 topic(s))"), overridden)
    }
}
