import ConfigFile

/// The `[gc]` table of config.toml: `chatter poll` runs `gc --keep KEEP` at start and then
/// every EVERY (default `1d`). Keys: `keep` (required in the table), `every`.
struct GcConfigFile: Equatable {
    var keep: RetentionDuration
    var every: RetentionDuration

    /// The schedule, or nil when the file has no `[gc]`.
    static func load(path: String) throws -> GcConfigFile? {
        guard let gc = try ConfigSections.load("gc", path: path) else { return nil }
        return try ConfigSections.usage { () throws(ConfigError) in
            try gc.checkKeys(["keep", "every"])
            guard let keep = try duration(gc, "keep") else { throw gc.error(nil, "needs keep = \"DURATION\" (like \"90d\")") }
            return GcConfigFile(keep: keep, every: try duration(gc, "every") ?? RetentionDuration.oneDay)
        }
    }

    /// A duration key (`"90d"`), refused with its line when it is not one.
    private static func duration(_ gc: ConfigSection, _ key: String) throws(ConfigError) -> RetentionDuration? {
        guard let text = try gc.string(key) else { return nil }
        do {
            return try RetentionDuration(parsing: text)
        } catch {
            throw gc.error(key, "\(key): \(error)")
        }
    }
}
