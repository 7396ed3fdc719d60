import TOMLKit

/// One section of a config file (`[name]`, or the n-th `[[name]]`): typed reading of its keys,
/// with errors that name the file, the key's line and the section (`[poller]: …`, `source 2: …`).
public struct ConfigSection {
    let table: TOMLTable
    let file: String
    let lines: ConfigLines
    let block: ConfigLines.Block

    /// The keys the section sets.
    public var keys: [String] { Array(table.keys) }

    /// An error about `key` (nil: the section itself), at the key's line, else the section's header.
    public func error(_ key: String?, _ reason: String) -> ConfigError {
        let line = key.map { lines.line(ofKey: $0, inBlock: block) } ?? lines.header(of: block)
        let prefix: String
        switch block {
        case .table(let name): prefix = "[\(name)]"
        case .entry(let name, let index): prefix = "\(name) \(index + 1)"
        }
        return ConfigError(file: file, line: line, reason: prefix + ": " + reason)
    }

    /// Refuses a key outside `known`.
    public func checkKeys(_ known: Set<String>) throws(ConfigError) {
        for key in table.keys where !known.contains(key) {
            throw error(key, "unknown setting \(key) (known: " + known.sorted().joined(separator: ", ") + ")")
        }
    }

    /// A string value; nil when the key is absent.
    public func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else { throw error(key, "\(key) must be a string") }
        return text
    }

    /// An integer value; nil when the key is absent.
    public func int(_ key: String) throws(ConfigError) -> Int? {
        guard let value = table[key] else { return nil }
        guard let number = value.int else { throw error(key, "\(key) must be an integer") }
        return number
    }

    /// A number (integer or float); nil when the key is absent.
    public func number(_ key: String) throws(ConfigError) -> Double? {
        guard let value = table[key] else { return nil }
        if let number = value.double { return number }
        if let number = value.int { return Double(number) }
        throw error(key, "\(key) must be a number")
    }

    /// `true` / `false`; nil when the key is absent.
    public func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let flag = value.bool else { throw error(key, "\(key) must be true or false") }
        return flag
    }

    /// A list of strings (one string is a list of one).
    public func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = table[key] else { return nil }
        if let single = value.string { return [single] }
        guard let array = value.array else { throw error(key, "\(key) must be a list of strings") }
        var out: [String] = []
        for element in array {
            guard let text = element.string else { throw error(key, "\(key) must be a list of strings") }
            out.append(text)
        }
        return out
    }

    /// A scalar as text: a string as is, a number or true/false as written in TOML's canonical form.
    public func text(_ key: String) throws(ConfigError) -> String? {
        guard let value = table[key] else { return nil }
        if let s = value.string { return s }
        if let i = value.int { return String(i) }
        if let d = value.double { return String(d) }
        if let b = value.bool { return b ? "true" : "false" }
        throw error(key, "\(key) must be a string, a number or true/false")
    }
}
