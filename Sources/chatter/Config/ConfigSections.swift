import ConfigFile
import EventIngest

/// The sections of `$XDG_CONFIG_HOME/chatter/config.toml` (the file the poller reads too, at
/// `PollerConfig.defaultPath`) that belong to the chatter command: `[smtp]` for the sender,
/// `[serve]` for `chatter serve`, `[gc]` for poll's retention schedule. Read through the one
/// config reader (`ConfigFile`); a missing file or section is no setting, a bad one is a usage
/// error naming the file and line.
enum ConfigSections {
    /// The section `name` of the file at `path`, nil when there is none.
    static func load(_ name: String, path: String = PollerConfig.defaultPath) throws -> ConfigSection? {
        try usage { () throws(ConfigError) in try ConfigFile.load(path: path)?.table(name) }
    }

    /// The section `name` of config `text` (read from `path`, named in errors).
    static func parse(_ name: String, _ text: String, path: String) throws -> ConfigSection? {
        try usage { () throws(ConfigError) in try ConfigFile(text: text, path: path).table(name) }
    }

    /// Runs `read`, a config error becoming a usage error (exit code 1) with its file and line.
    static func usage<T>(_ read: () throws(ConfigError) -> T) throws -> T {
        do {
            return try read()
        } catch {
            throw CLIError.usage(error.description)
        }
    }
}
