import EventIngest
import ConfigFile

/// The `[ui]` table of config.toml: settings of the terminal front. Keys:
/// `banner_threshold` (failures of one sender-side cause at one domain that
/// raise the header's banner, default 10) and `banner_window_minutes` (within
/// how long, default 60).
struct UIConfigFile: Equatable {
    var bannerThreshold: Int?
    var bannerWindowMinutes: Int?

    /// The `[ui]` settings; none when the file or the table is missing.
    static func load(path: String = PollerConfig.defaultPath) throws -> UIConfigFile {
        guard let ui = try ConfigSections.load("ui", path: path) else { return UIConfigFile() }
        return try ConfigSections.usage { () throws(ConfigError) in
            try ui.checkKeys(["banner_threshold", "banner_window_minutes"])
            return UIConfigFile(
                bannerThreshold: try positive(ui, "banner_threshold"),
                bannerWindowMinutes: try positive(ui, "banner_window_minutes"))
        }
    }

    /// A whole number above zero, refused with its line otherwise.
    private static func positive(_ ui: ConfigSection, _ key: String) throws(ConfigError) -> Int? {
        guard let n = try ui.int(key) else { return nil }
        guard n > 0 else { throw ui.error(key, "\(key) must be a positive whole number") }
        return n
    }
}
