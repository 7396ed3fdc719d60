import ChatterUI
import Foundation

/// The user's keymap file: `$XDG_CONFIG_HOME/chatter/keys.conf`, else `~/.config/chatter/keys.conf`.
public enum KeysConfig {
    /// Where keys.conf is looked for.
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".config")
        return (config as NSString).appendingPathComponent("chatter/keys.conf")
    }

    /// The keymap in force (defaults when there is no file) and the errors to show.
    public static func load(path: String) -> (Keymap, [KeymapError]) {
        guard FileManager.default.fileExists(atPath: path) else { return (.defaults, []) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return (.defaults, [KeymapError(line: 0, message: "cannot read \(path)")])
        }
        return KeymapParser.parse(String(decoding: data, as: UTF8.self))
    }
}
