import ArgumentParser
import EventIngest
import Foundation
import Outbox

/// The sender's options, shared by `send`, `serve` and the front. Each one
/// overrides the `[smtp]` key of the config file, so scripts need no file.
struct SMTPOptions: ParsableArguments {
    @Option(name: .long, help: "Submission server host (config: host; default 127.0.0.1).")
    var smtpHost: String?

    @Option(name: .long, help: "Submission server port (config: port; default 25, 465 with --smtp-security tls).")
    var smtpPort: Int?

    @Option(name: .long, help: "none | starttls | opportunistic | tls (config: security; default opportunistic).")
    var smtpSecurity: String?

    @Option(name: .long, help: "AUTH user (config: user). The password comes from $CHATTER_SMTP_PASSWORD or the config's password_command.")
    var smtpUser: String?

    @Option(name: .long, help: "Seconds for every SMTP stage instead of RFC 5321's (config: timeout).")
    var smtpTimeout: Double?

    @Flag(name: .long, help: "Accept any TLS certificate (tests with a self-signed server only).")
    var smtpInsecureTls = false

    @Option(name: .long, help: "Send through this sendmail binary instead of SMTP (config: sendmail).")
    var sendmail: String?

    @Option(name: .long, help: "The From address (config: from; default the author's).")
    var from: String?

    @Option(name: .long, help: "Base URL of `chatter serve` for the pixel (config: base_url; default http://127.0.0.1:8025).")
    var baseUrl: String?

    @Flag(name: .long, help: "Send no open-tracking pixel (config: pixel = false).")
    var noPixel = false

    @Option(
        name: .long,
        help: "The local Postfix log, read to settle mail a killed sender left mid-attempt (default: the first postfix-log [[source]] of config.toml).")
    var postfixLog: String?

    /// The config file's `[smtp]` values (read once).
    func file() throws -> SMTPConfigFile { try SMTPConfigFile.load() }

    /// The pixel base URL in force: `--base-url`, else the configured one
    /// (`PixelBase`), else `fallback` (`chatter serve` passes where it listens).
    func resolvedBaseURL(fallback: String = PixelBase.defaultURL) -> String {
        baseUrl ?? PixelBase.configured ?? fallback
    }

    /// How mail is dressed.
    func mailSettings(_ file: SMTPConfigFile, fallbackBaseURL: String = PixelBase.defaultURL) -> MailSettings {
        MailSettings(
            fromAddress: from ?? file.values["from"], pixelBaseURL: resolvedBaseURL(fallback: fallbackBaseURL),
            pixelEnabled: !noPixel && file.values["pixel"] != "false")
    }

    /// The transport: sendmail when asked, else SMTP with the password from the
    /// environment or the configured command (never from the command line, never logged).
    /// `warn` gets, once, the warning of a password that will go out in clear text.
    func transport(_ file: SMTPConfigFile, warn: (String) -> Void) throws -> any MailTransport {
        if let path = sendmail ?? file.values["sendmail"] { return SendmailTransport(path: path) }
        let securityName = smtpSecurity ?? file.values["security"] ?? "opportunistic"
        guard let security = SMTPSecurity(rawValue: securityName) else {
            throw CLIError.usage("--smtp-security wants none, starttls, opportunistic or tls, got \(securityName)")
        }
        let host = smtpHost ?? file.values["host"] ?? "127.0.0.1"
        let port = smtpPort ?? file.values["port"].flatMap(Int.init) ?? (security == .tls ? 465 : 25)
        guard (1...65535).contains(port) else { throw CLIError.usage("--smtp-port wants 1-65535, got \(port)") }
        let user = smtpUser ?? file.values["user"]
        var password: String?
        if user != nil {
            password = try Self.password(command: file.values["password_command"])
        }
        let timeouts = try self.timeouts(file)
        let helo = ProcessInfo.processInfo.hostName.isEmpty ? "localhost" : ProcessInfo.processInfo.hostName
        let config = SMTPConfig(
            host: host, port: port, security: security, user: user, password: password, heloName: helo,
            timeouts: timeouts, verifyCertificate: !smtpInsecureTls)
        if let warning = config.clearTextAuthWarning { warn("warning: " + warning) }
        return SMTPTransport(config: config)
    }

    /// The SMTP stage timeouts: RFC 5321's, or `--smtp-timeout` / `timeout` for every stage.
    func timeouts(_ file: SMTPConfigFile) throws -> SMTPTimeouts {
        guard let t = smtpTimeout ?? file.values["timeout"].flatMap(Double.init) else { return SMTPTimeouts() }
        guard t > 0 else { throw CLIError.usage("--smtp-timeout wants seconds > 0") }
        return .all(t)
    }

    /// What reconciliation reads to settle mail a killed sender left mid-attempt: `--postfix-log`,
    /// else the first `postfix-log` source of config.toml (with its `timezone`); nil: neither.
    /// Absence from the log is trusted only past the longest SMTP attempt; never with sendmail,
    /// whose child may still submit after its parent died. Sources the poller refuses do not
    /// stop the sender: `warn` says so and only `--postfix-log` counts.
    func deliveryEvidence(_ file: SMTPConfigFile, warn: (String) -> Void) throws -> PostfixLogEvidence? {
        let configPath = PollerConfig.defaultPath
        var source: PollerSource?
        if FileManager.default.fileExists(atPath: configPath) {
            do {
                source = try PollerConfig.load(path: configPath).sources.first { $0.kind == .postfixLog }
            } catch {
                warn("no Postfix log from the poller's sources (\(error))")
            }
        }
        guard let path = postfixLog ?? source?.path else { return nil }
        let zone = source.flatMap { $0.path == path ? $0.timeZone : nil } ?? .utc
        let viaSendmail = (sendmail ?? file.values["sendmail"]) != nil
        let margin = try viaSendmail ? Double.infinity : timeouts(file).attemptBudget
        return PostfixLogEvidence(path: path, zone: zone, margin: margin)
    }

    /// `$CHATTER_SMTP_PASSWORD`, else the first line printed by the password command.
    static func password(command: String?) throws -> String? {
        if let p = ProcessInfo.processInfo.environment["CHATTER_SMTP_PASSWORD"], !p.isEmpty { return p }
        guard let command, !command.isEmpty else {
            throw CLIError.usage("--smtp-user needs a password: set CHATTER_SMTP_PASSWORD or password_command in [smtp]")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CLIError.usage("the password command failed (exit \(p.terminationStatus))") }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
    }
}
