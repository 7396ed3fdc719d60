import EventIngest
import Foundation
import TOMLKit

/// One table of `$XDG_CONFIG_HOME/chatter/config.toml` (the file the poller
/// reads too, at `PollerConfig.defaultPath`): `[smtp]` for the sender, `[serve]`
/// for `chatter serve`. A missing file or table is no setting; a file that is not
/// TOML, or a name bound to something else than a table, is a usage error with
/// the file (and line).
enum ConfigTable {
    /// The table `name` of the config file at `path`, nil when there is none.
    static func load(_ name: String, path: String = PollerConfig.defaultPath) throws -> TOMLTable? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try parse(name, String(decoding: data, as: UTF8.self), path: path)
    }

    /// The table `name` of TOML `text` (read from `path`, named in errors).
    static func parse(_ name: String, _ text: String, path: String) throws -> TOMLTable? {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw CLIError.usage("\(path):\(e.source.begin.line): \(e.description)")
        }
        guard let value = table[name] else { return nil }
        guard let found = value.table else { throw CLIError.usage("\(path): \(name): expected a table ([\(name)])") }
        return found
    }
}
