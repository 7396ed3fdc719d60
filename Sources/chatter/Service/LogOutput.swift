import ArgumentParser
import Foundation
import Logging

/// `--log-format`: one line per log event on stderr, as text or as JSON.
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

/// The log options of the long-running commands (`poll`, `serve`).
struct LogOptions: ParsableArguments {
    @Option(name: .long, help: "Log lines as text or json (one JSON object per line, for log shippers).")
    var logFormat: LogFormat = .text

    /// Sends every swift-log logger of the process to stderr in this format; under
    /// journald (stderr is `$JOURNAL_STREAM`) each line starts with its syslog priority `<N>`.
    func bootstrap() {
        let format = logFormat
        let journal = LogLine.stderrIsJournal(ProcessInfo.processInfo.environment)
        LoggingSystem.bootstrap { label in LogLine(label: label, format: format, journal: journal) }
    }
}

extension LogOptions {
    /// A command's own operator lines (`chatter serve: listening on …`): as before on stderr
    /// in text (with the journald priority under journald), a log event in JSON.
    func announcer(label: String) -> @Sendable (String) -> Void {
        let logger = Logger(label: label)
        let format = logFormat
        let journal = LogLine.stderrIsJournal(ProcessInfo.processInfo.environment)
        return { line in
            switch format {
            case .text: err((journal ? "<\(LogLine.priority(.info))>" : "") + label.replacingOccurrences(of: ".", with: " ") + ": " + line)
            case .json: logger.info("\(line)")
            }
        }
    }
}

/// A swift-log handler writing one line per event to stderr. Metadata whose key names a
/// secret (password, secret, token, key, authorization) is never written.
struct LogLine: LogHandler {
    let label: String
    let format: LogFormat
    let journal: Bool
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        let line = Self.render(
            level: event.level, label: label, message: "\(event.message)", metadata: all, format: format, journal: journal,
            time: Date())
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// One log line (pure, for the tests).
    static func render(
        level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, format: LogFormat, journal: Bool,
        time: Date
    ) -> String {
        let fields = metadata.sorted { $0.key < $1.key }.map { ($0.key, isSecret($0.key) ? "[redacted]" : "\($0.value)") }
        let prefix = journal ? "<\(priority(level))>" : ""
        switch format {
        case .text:
            let extra = fields.map { " \($0.0)=\($0.1)" }.joined()
            let stamp = journal ? "" : ISO8601DateFormatter().string(from: time) + " "
            return "\(prefix)\(stamp)\(level) \(label): \(message)\(extra)"
        case .json:
            var object: [String: Any] = [
                "time": time.timeIntervalSince1970, "level": level.rawValue, "label": label, "message": message,
            ]
            if !fields.isEmpty { object["metadata"] = Dictionary(fields, uniquingKeysWith: { _, b in b }) }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return prefix + String(decoding: data, as: UTF8.self)
        }
    }

    /// The syslog priority of a level (journald reads `<N>` at the start of a line).
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// Whether a metadata key names something never to log.
    static func isSecret(_ key: String) -> Bool {
        let k = key.lowercased()
        return ["password", "secret", "token", "key", "authorization", "credential"].contains { k.contains($0) }
    }

    /// `$JOURNAL_STREAM` is `DEVICE:INODE` of the stream systemd connected; it counts only
    /// when stderr is still that stream (not redirected by a wrapper).
    static func stderrIsJournal(_ env: [String: String]) -> Bool {
        guard let value = env["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let dev = UInt64(parts[0]), let ino = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(2, &info) == 0 else { return false }
        return UInt64(info.st_dev) == dev && UInt64(info.st_ino) == ino
    }
}
