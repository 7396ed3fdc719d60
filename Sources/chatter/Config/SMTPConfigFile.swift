import EventIngest
import Foundation
import TOMLKit

/// The `[smtp]` table of `$XDG_CONFIG_HOME/chatter/config.toml` (default
/// `~/.config/chatter/config.toml`), the sender's settings beside the poller's
/// sources. Keys: host, port, security, user, password_command, from, base_url,
/// pixel, sendmail, timeout, mail_per_recipient.
struct SMTPConfigFile {
    var values: [String: String] = [:]

    /// The file's `[smtp]` values, or none when there is no file.
    static func load() throws -> SMTPConfigFile {
        try values(of: ConfigTable.load("smtp"), path: PollerConfig.defaultPath)
    }

    /// The `[smtp]` table of config.toml text (tests).
    static func parse(_ text: String, path: String) throws -> SMTPConfigFile {
        try values(of: ConfigTable.parse("smtp", text, path: path), path: path)
    }

    /// The table's values as text.
    private static func values(of smtp: TOMLTable?, path: String) throws -> SMTPConfigFile {
        var file = SMTPConfigFile()
        guard let smtp else { return file }
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
