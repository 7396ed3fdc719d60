import DeliverySignals
import Foundation
import TOMLKit
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
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, reason: "cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses config text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> PollerConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ConfigError(file: file, line: e.source.begin.line, reason: e.description)
        } catch {
            throw ConfigError(file: file, line: nil, reason: String(describing: error))
        }
        let lines = ConfigLines(text)
        var config = PollerConfig()
        var defaultBatch = 1000
        // `[smtp]` belongs to the sender (`chatter send` and the front read it), `[serve]` to `chatter serve`,
        // `[gc]` to poll's retention schedule (read by the chatter command).
        for key in table.keys where !["poller", "source", "smtp", "serve", "gc"].contains(key) {
            throw ConfigError(file: file, line: lines.line(ofKey: key, inBlock: nil), reason: "unknown setting \(key)")
        }
        if let value = table["poller"] {
            guard let poller = value.table else {
                throw ConfigError(file: file, line: lines.line(ofKey: "poller", inBlock: nil), reason: "poller must be a table")
            }
            let reader = ConfigTableReader(table: poller, file: file, lines: lines, block: .poller)
            try reader.checkKeys(["interval", "batch_size"])
            if let interval = try reader.number("interval") {
                guard interval > 0, interval <= 3600 else { throw reader.error("interval", "must be between 0 and 3600 seconds") }
                config.interval = interval
            }
            if let batch = try reader.int("batch_size") {
                guard batch > 0 else { throw reader.error("batch_size", "must be positive") }
                defaultBatch = batch
            }
        }
        if let value = table["source"] {
            guard let array = value.array else {
                throw ConfigError(
                    file: file, line: lines.line(ofKey: "source", inBlock: nil), reason: "source must be [[source]] entries")
            }
            for (index, element) in array.enumerated() {
                guard let entry = element.table else {
                    throw ConfigError(file: file, line: lines.sourceHeader(index), reason: "source \(index + 1) is not a table")
                }
                let reader = ConfigTableReader(table: entry, file: file, lines: lines, block: .source(index))
                config.sources.append(try source(reader, defaultBatch: defaultBatch))
            }
        }
        return config
    }

    private static func source(_ r: ConfigTableReader, defaultBatch: Int) throws(ConfigError) -> PollerSource {
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

/// A bad config: the file, the line (when known) and the reason.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var reason: String

    public init(file: String, line: Int?, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { file + (line.map { ":\($0)" } ?? "") + ": " + reason }
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

/// Finding the line of a key in the config text (TOMLKit gives positions only for syntax errors).
struct ConfigLines {
    enum Block: Equatable {
        case poller
        case source(Int)
    }

    private let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    private func isHeader(_ line: Substring) -> Bool { line.trimmingCharacters(in: .whitespaces).hasPrefix("[") }

    /// The 1-based line of the `index`-th `[[source]]` header.
    func sourceHeader(_ index: Int) -> Int? {
        var seen = -1
        for (number, line) in lines.enumerated() {
            let compact = line.filter { $0 != " " && $0 != "\t" }
            if compact.hasPrefix("[[source]]") {
                seen += 1
                if seen == index { return number + 1 }
            }
        }
        return nil
    }

    /// The line of `key = ` inside a block (nil block: before the first header), else the block's header.
    func line(ofKey key: String, inBlock block: Block?) -> Int? {
        var start = 0
        var header: Int?
        switch block {
        case nil: start = 0
        case .source(let index):
            guard let h = sourceHeader(index) else { return nil }
            header = h
            start = h
        case .poller:
            guard let h = lines.firstIndex(where: { $0.filter { $0 != " " } == "[poller]" }) else { return nil }
            header = h + 1
            start = h + 1
        }
        var number = start
        while number < lines.count {
            let line = lines[number]
            if isHeader(line) { break }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(key), trimmed.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix("=") {
                return number + 1
            }
            number += 1
        }
        return header
    }
}

/// Typed reading of one config table, with errors that name the line.
struct ConfigTableReader {
    let table: TOMLTable
    let file: String
    let lines: ConfigLines
    let block: ConfigLines.Block

    func error(_ key: String?, _ reason: String) -> ConfigError {
        let line = key.map { lines.line(ofKey: $0, inBlock: block) }
            ?? { if case .source(let i) = block { return lines.sourceHeader(i) } else { return lines.line(ofKey: "", inBlock: block) } }()
        let prefix: String
        switch block {
        case .poller: prefix = "[poller]"
        case .source(let index): prefix = "source \(index + 1)"
        }
        return ConfigError(file: file, line: line, reason: prefix + ": " + reason)
    }

    func checkKeys(_ known: Set<String>) throws(ConfigError) {
        for key in table.keys where !known.contains(key) {
            throw error(key, "unknown setting \(key) (known: " + known.sorted().joined(separator: ", ") + ")")
        }
    }

    func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else { throw error(key, "\(key) must be a string") }
        return text
    }

    func int(_ key: String) throws(ConfigError) -> Int? {
        guard let value = table[key] else { return nil }
        guard let number = value.int else { throw error(key, "\(key) must be an integer") }
        return number
    }

    func number(_ key: String) throws(ConfigError) -> Double? {
        guard let value = table[key] else { return nil }
        if let number = value.double { return number }
        if let number = value.int { return Double(number) }
        throw error(key, "\(key) must be a number")
    }

    func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let flag = value.bool else { throw error(key, "\(key) must be true or false") }
        return flag
    }

    func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = table[key] else { return nil }
        if let single = value.string { return [single] }
        guard let array = value.array else { throw error(key, "\(key) must be a list of strings") }
        var out: [String] = []
        for element in array {
            guard let text = element.string else { throw error(key, "\(key) must be a list of strings") }
            out.append(text)
        }
        return out
    }
}
