import Foundation
import TOMLKit

/// The `[smtp]` table of `$XDG_CONFIG_HOME/chatter/config.toml` (default
/// `~/.config/chatter/config.toml`), the sender's settings beside the poller's
/// sources. Keys: host, port, security, user, password_command, from, base_url,
/// pixel, sendmail, timeout, mail_per_recipient.
struct SMTPConfigFile {
    var values: [String: String] = [:]

    /// The file's `[smtp]` values, or none when there is no file.
    static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SMTPConfigFile {
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".config")
        let path = (configHome as NSString).appendingPathComponent("chatter/config.toml")
        guard let data = FileManager.default.contents(atPath: path) else { return SMTPConfigFile() }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// The `[smtp]` table of config.toml, read with TOMLKit (the poller reads
    /// the same file's `[poller]` and `[[source]]`); values as text.
    static func parse(_ text: String, path: String) throws -> SMTPConfigFile {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw CLIError.usage("\(path):\(e.source.begin.line): \(e.description)")
        }
        var file = SMTPConfigFile()
        guard let value = table["smtp"] else { return file }
        guard let smtp = value.table else { throw CLIError.usage("\(path): smtp: expected a table ([smtp])") }
        for (key, v) in smtp {
            if let s = v.string {
                file.values[key] = s
            } else if let i = v.int {
                file.values[key] = String(i)
            } else if let d = v.double {
                file.values[key] = String(d)
            } else if let b = v.bool {
                file.values[key] = b ? "true" : "false"
            } else {
                throw CLIError.usage("\(path): smtp.\(key): expected a string, a number or true/false")
            }
        }
        return file
    }
}
