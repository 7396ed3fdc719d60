import EventIngest
import Foundation
import TOMLKit

/// The `[ui]` table of config.toml: settings of the terminal front. Keys:
/// `banner_threshold` (failures of one sender-side cause at one domain that
/// raise the header's banner, default 10) and `banner_window_minutes` (within
/// how long, default 60).
enum UIConfigFile {
    /// The banner's threshold and window in minutes; the defaults when the file or the table is missing.
    static func banner(path: String = PollerConfig.defaultPath) throws -> (threshold: Int, windowMinutes: Int) {
        var rule = (threshold: 10, windowMinutes: 60)
        guard let table = try ConfigTable.load("ui", path: path) else { return rule }
        for (key, value) in table {
            guard let n = value.int, n > 0 else { throw CLIError.usage("\(path): ui.\(key): expected a positive whole number") }
            switch key {
            case "banner_threshold": rule.threshold = n
            case "banner_window_minutes": rule.windowMinutes = n
            default: throw CLIError.usage("\(path): ui.\(key): unknown setting (banner_threshold, banner_window_minutes)")
            }
        }
        return rule
    }
}
