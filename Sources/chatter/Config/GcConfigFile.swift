import EventIngest
import Foundation
import TOMLKit

/// The `[gc]` table of config.toml: `chatter poll` runs `gc --keep KEEP` at start and then
/// every EVERY (default `1d`). Keys: `keep` (required in the table), `every`.
struct GcConfigFile: Equatable {
    var keep: RetentionDuration
    var every: RetentionDuration

    /// The schedule, or nil when the file has no `[gc]`.
    static func load(path: String) throws -> GcConfigFile? {
        guard let table = try ConfigTable.load("gc", path: path) else { return nil }
        var keep: RetentionDuration?
        var every = try RetentionDuration(parsing: "1d")
        for (key, value) in table {
            guard let text = value.string else { throw CLIError.usage("\(path): gc.\(key): expected a duration like \"90d\"") }
            switch key {
            case "keep": keep = try RetentionDuration(parsing: text)
            case "every": every = try RetentionDuration(parsing: text)
            default: throw CLIError.usage("\(path): gc.\(key): unknown setting (keep, every)")
            }
        }
        guard let keep else { throw CLIError.usage("\(path): [gc] needs keep = \"DURATION\"") }
        return GcConfigFile(keep: keep, every: every)
    }
}
