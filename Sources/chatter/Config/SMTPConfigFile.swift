import ConfigFile
import EventIngest

/// The `[smtp]` table of `$XDG_CONFIG_HOME/chatter/config.toml` (default
/// `~/.config/chatter/config.toml`), the sender's settings beside the poller's
/// sources. Keys: host, port, security, user, password_command, from, base_url,
/// pixel, sendmail, timeout, mail_per_recipient.
struct SMTPConfigFile {
    var values: [String: String] = [:]

    /// The file's `[smtp]` values, or none when there is no file.
    static func load() throws -> SMTPConfigFile {
        try values(of: ConfigSections.load("smtp"))
    }

    /// The `[smtp]` table of config.toml text (tests).
    static func parse(_ text: String, path: String) throws -> SMTPConfigFile {
        try values(of: ConfigSections.parse("smtp", text, path: path))
    }

    /// The table's values as text (each key is checked where it is used).
    private static func values(of smtp: ConfigSection?) throws -> SMTPConfigFile {
        var file = SMTPConfigFile()
        guard let smtp else { return file }
        try ConfigSections.usage { () throws(ConfigError) in
            for key in smtp.keys { file.values[key] = try smtp.text(key) }
        }
        return file
    }
}
