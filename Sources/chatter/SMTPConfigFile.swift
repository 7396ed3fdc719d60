import Foundation

/// The `[smtp]` table of `$XDG_CONFIG_HOME/chatter/config.toml` (default
/// `~/.config/chatter/config.toml`). Only what the sender needs is read: string,
/// integer and boolean values of `key = value` lines in that one table; every
/// other table (e.g. `[[source]]`) is skipped. Keys: host, port, security, user,
/// password_command, from, base_url, pixel, sendmail.
struct SMTPConfigFile {
    var values: [String: String] = [:]

    /// The file's `[smtp]` values, or none when there is no file.
    static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SMTPConfigFile {
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".config")
        let path = (configHome as NSString).appendingPathComponent("chatter/config.toml")
        guard let data = FileManager.default.contents(atPath: path) else { return SMTPConfigFile() }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    static func parse(_ text: String, path: String) throws -> SMTPConfigFile {
        var file = SMTPConfigFile()
        var inSMTP = false
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                inSMTP = line.replacingOccurrences(of: " ", with: "").hasPrefix("[smtp]")
                continue
            }
            guard inSMTP else { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw CLIError.usage("\(path):\(n + 1): expected key = value in [smtp]")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard let parsed = scalar(value) else {
                throw CLIError.usage("\(path):\(n + 1): \(key): expected a \"string\", an integer or true/false")
            }
            file.values[key] = parsed
        }
        return file
    }

    /// A TOML basic string (escapes \" \\ \n \t), an integer or a boolean, with an optional trailing comment.
    private static func scalar(_ text: String) -> String? {
        if text.hasPrefix("\"") {
            var out = ""
            var escaped = false
            for ch in text.dropFirst() {
                if escaped {
                    switch ch {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    default: out.append(ch)
                    }
                    escaped = false
                } else if ch == "\\" {
                    escaped = true
                } else if ch == "\"" {
                    return out
                } else {
                    out.append(ch)
                }
            }
            return nil
        }
        let bare = text.split(separator: "#", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if bare == "true" || bare == "false" || Int(bare) != nil { return bare }
        return nil
    }
}
