import ConfigFile
import EventIngest

/// The `[serve]` table of `$XDG_CONFIG_HOME/chatter/config.toml`: settings of `chatter serve`
/// that are not secrets. Keys: `ses_topic_arns` (a string or an array of strings),
/// `ses_auto_confirm` (true/false), `trusted_proxies` (a CIDR or an array of them). The
/// command line overrides each.
struct ServeConfigFile: Equatable {
    var sesTopicArns: [String]?
    var sesAutoConfirm: Bool?
    var trustedProxies: [String]?

    /// The file's `[serve]` values, or none when there is no file.
    static func load(path: String = PollerConfig.defaultPath) throws -> ServeConfigFile {
        try values(of: ConfigSections.load("serve", path: path))
    }

    /// The `[serve]` table of config.toml text; unknown keys and wrong types are usage errors.
    static func parse(_ text: String, path: String) throws -> ServeConfigFile {
        try values(of: ConfigSections.parse("serve", text, path: path))
    }

    private static func values(of serve: ConfigSection?) throws -> ServeConfigFile {
        guard let serve else { return ServeConfigFile() }
        return try ConfigSections.usage { () throws(ConfigError) in
            try serve.checkKeys(["ses_topic_arns", "ses_auto_confirm", "trusted_proxies"])
            return ServeConfigFile(
                sesTopicArns: try serve.strings("ses_topic_arns"), sesAutoConfirm: try serve.bool("ses_auto_confirm"),
                trustedProxies: try serve.strings("trusted_proxies"))
        }
    }
}
