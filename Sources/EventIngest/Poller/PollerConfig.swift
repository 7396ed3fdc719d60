import ConfigFile
import DeliverySignals
import Foundation
import TrackingStore

/// The poller's settings from `$XDG_CONFIG_HOME/chatter/config.toml`.
///
/// ```toml
/// [poller]
/// interval = 0.1          # seconds between rounds when every source is idle
/// batch_size = 1000       # default for every source
///
/// [[source]]
/// kind = "postfix-log"    # postfix-log | maildir | events
/// path = "/var/log/postfix.log"
/// smarthosts = ["[smtp.example.net]:587"]   # relays that mean hand-off, not delivery
/// timezone = "Europe/Paris"                 # of syslog timestamps (UTC, +01:00, a zone name)
/// backfill = true                           # read rotated siblings on the first read
///
/// [[source]]
/// kind = "maildir"
/// path = "~/Maildir/.bounces"
/// done_folder = "~/Maildir/.bounces-done"
/// max_mail_bytes = 4194304                  # a bigger mail: only its first bytes are read
///
/// [[source]]
/// kind = "events"
/// path = "/var/spool/chatter/events"        # a file or a folder
/// format = "sendgrid"                       # detected when absent
/// ```
public struct PollerConfig: Sendable, Hashable {
    public var sources: [PollerSource]
    /// Pause between idle rounds, seconds.
    public var interval: Double

    public init(sources: [PollerSource] = [], interval: Double = 0.1) {
        self.sources = sources
        self.interval = interval
    }

    /// `$XDG_CONFIG_HOME/chatter/config.toml` (default `~/.config/chatter/config.toml`).
    public static var defaultPath: String {
        (StoreFiles.configHome() as NSString).appendingPathComponent("chatter/config.toml")
    }

    /// Reads and checks a config file.
    public static func load(path: String) throws(ConfigError) -> PollerConfig {
        guard let file = try ConfigFile.load(path: path) else {
            throw ConfigError(file: path, line: nil, reason: "cannot read the file")
        }
        return try read(file)
    }

    /// Parses config text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> PollerConfig {
        try read(ConfigFile(text: text, path: file))
    }

    /// The poller's sections of a config file: `[poller]` and the `[[source]]` entries.
    public static func read(_ file: ConfigFile) throws(ConfigError) -> PollerConfig {
        var config = PollerConfig()
        var defaultBatch = 1000
        // `[smtp]` belongs to the sender (`chatter send` and the front read it), `[serve]` to `chatter serve`,
        // `[gc]` to poll's retention schedule (read by the chatter command).
        for key in file.keys where !["poller", "source", "smtp", "serve", "gc"].contains(key) {
            throw file.error(topLevel: key, "unknown setting \(key)")
        }
        if let poller = try file.table("poller") {
            try poller.checkKeys(["interval", "batch_size"])
            if let interval = try poller.number("interval") {
                guard interval > 0, interval <= 3600 else { throw poller.error("interval", "must be between 0 and 3600 seconds") }
                config.interval = interval
            }
            if let batch = try poller.int("batch_size") {
                guard batch > 0 else { throw poller.error("batch_size", "must be positive") }
                defaultBatch = batch
            }
        }
        for entry in try file.tables("source") {
            config.sources.append(try source(entry, defaultBatch: defaultBatch))
        }
        return config
    }

    private static func source(_ r: ConfigSection, defaultBatch: Int) throws(ConfigError) -> PollerSource {
        try r.checkKeys([
            "kind", "path", "format", "smarthosts", "timezone", "done_folder", "batch_size", "backfill", "api_key_env",
            "settle", "interval", "max_mail_bytes",
        ])
        guard let kindName = try r.string("kind") else { throw r.error(nil, "missing kind (postfix-log, maildir, events or mailgun-api)") }
        guard let kind = PollerSource.Kind(rawValue: kindName) else {
            throw r.error("kind", "unknown kind \(kindName) (postfix-log, maildir, events or mailgun-api)")
        }
        guard let path = try r.string("path"), !path.isEmpty else { throw r.error(nil, "missing path") }
        var format: FormatDetect.Format?
        if let name = try r.string("format") {
            guard let known = FormatDetect.Format(rawValue: name) else {
                throw r.error(
                    "format", "unknown format \(name) (" + FormatDetect.Format.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            format = known
        }
        var zone = PostfixTimeZone.utc
        if let name = try r.string("timezone") {
            guard let parsed = PostfixTimeZone(name: name) else { throw r.error("timezone", "unknown time zone \(name)") }
            zone = parsed
        }
        let batch = try r.int("batch_size") ?? defaultBatch
        guard batch > 0 else { throw r.error("batch_size", "must be positive") }
        let settle = try r.number("settle") ?? 1800
        guard settle >= 0 else { throw r.error("settle", "must not be negative") }
        let interval = try r.number("interval") ?? 60
        guard interval > 0 else { throw r.error("interval", "must be positive") }
        let maxMail = try r.int("max_mail_bytes") ?? MaildirReader.defaultMaxMailBytes
        guard maxMail > 0 else { throw r.error("max_mail_bytes", "must be positive") }
        if kind == .mailgunApi {
            guard let url = URL(string: path), url.scheme == "https" || url.scheme == "http" else {
                throw r.error("path", "a mailgun-api path is the events URL (https://api.mailgun.net/v3/DOMAIN/events)")
            }
        }
        return PollerSource(
            kind: kind, path: kind == .mailgunApi ? path : expand(path), format: format,
            smarthosts: try r.strings("smarthosts") ?? [], timeZone: zone, doneFolder: try r.string("done_folder").map(expand),
            batchSize: batch, backfillRotated: try r.bool("backfill") ?? true,
            apiKeyEnv: try r.string("api_key_env") ?? "MAILGUN_API_KEY", settle: settle, fetchInterval: interval,
            maxMailBytes: maxMail)
    }

    /// `~/x` → home + `/x`.
    static func expand(_ path: String) -> String {
        path.hasPrefix("~/") ? (StoreFiles.home() as NSString).appendingPathComponent(String(path.dropFirst(2))) : path
    }
}

extension PostfixTimeZone {
    /// `UTC` / `Z`, a fixed offset (`+01:00`, `-0530`), or a zone name (`Europe/Paris`).
    public init?(name: String) {
        let text = name.trimmingCharacters(in: .whitespaces)
        if text.uppercased() == "UTC" || text == "Z" || text.uppercased() == "GMT" {
            self = .utc
            return
        }
        if let sign = text.first, sign == "+" || sign == "-" {
            let digits = text.dropFirst().filter { $0 != ":" }
            guard digits.count == 4, digits.allSatisfy(\.isASCII), let value = Int(digits) else { return nil }
            let hours = value / 100
            let minutes = value % 100
            guard hours <= 14, minutes < 60 else { return nil }
            self = .fixed(seconds: (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60))
            return
        }
        guard let zone = TimeZone(identifier: text) else { return nil }
        self = .named(zone)
    }
}
