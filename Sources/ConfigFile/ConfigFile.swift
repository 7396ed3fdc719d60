import Foundation
import TOMLKit

/// One config.toml, parsed once: each part of chatter reads its own section through it
/// (`[poller]` and `[[source]]` the poller, `[smtp]` the sender, `[serve]` the server,
/// `[gc]` poll's retention schedule), and every error names the file and the line.
public struct ConfigFile {
    /// The file, as named in errors.
    public let path: String
    let root: TOMLTable
    let lines: ConfigLines

    /// The file at `path`, or nil when there is none (no file: no settings).
    public static func load(path: String) throws(ConfigError) -> ConfigFile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try ConfigFile(text: String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses config text; `path` names it in errors.
    public init(text: String, path: String) throws(ConfigError) {
        self.path = path
        do {
            root = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ConfigError(file: path, line: e.source.begin.line, reason: e.description)
        } catch {
            throw ConfigError(file: path, line: nil, reason: String(describing: error))
        }
        lines = ConfigLines(text)
    }

    /// The names bound at the top of the file.
    public var keys: [String] { Array(root.keys) }

    /// An error about the top-level name `key`, at its line.
    public func error(topLevel key: String, _ reason: String) -> ConfigError {
        ConfigError(file: path, line: lines.line(ofKey: key, inBlock: nil), reason: reason)
    }

    /// The table `[name]`, nil when the file has none; a name bound to something else is an error.
    public func table(_ name: String) throws(ConfigError) -> ConfigSection? {
        guard let value = root[name] else { return nil }
        guard let table = value.table else { throw error(topLevel: name, "\(name) must be a table") }
        return ConfigSection(table: table, file: path, lines: lines, block: .table(name))
    }

    /// The `[[name]]` entries, in order (none when absent).
    public func tables(_ name: String) throws(ConfigError) -> [ConfigSection] {
        guard let value = root[name] else { return [] }
        guard let array = value.array else { throw error(topLevel: name, "\(name) must be [[\(name)]] entries") }
        var sections: [ConfigSection] = []
        for (index, element) in array.enumerated() {
            guard let entry = element.table else {
                throw ConfigError(
                    file: path, line: lines.header(ofEntry: index, of: name), reason: "\(name) \(index + 1) is not a table")
            }
            sections.append(ConfigSection(table: entry, file: path, lines: lines, block: .entry(name, index)))
        }
        return sections
    }
}
