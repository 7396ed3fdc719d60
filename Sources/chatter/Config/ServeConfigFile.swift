import EventIngest
import Foundation
import TOMLKit

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
        try values(of: ConfigTable.load("serve", path: path), path: path)
    }

    /// The `[serve]` table of config.toml text; unknown keys and wrong types are usage errors.
    static func parse(_ text: String, path: String) throws -> ServeConfigFile {
        try values(of: ConfigTable.parse("serve", text, path: path), path: path)
    }

    private static func values(of serve: TOMLTable?, path: String) throws -> ServeConfigFile {
        var file = ServeConfigFile()
        guard let serve else { return file }
        for (key, v) in serve {
            switch key {
            case "ses_topic_arns":
                file.sesTopicArns = try strings(v, key: key, path: path)
            case "trusted_proxies":
                file.trustedProxies = try strings(v, key: key, path: path)
            case "ses_auto_confirm":
                guard let flag = v.bool else { throw CLIError.usage("\(path): serve.ses_auto_confirm: expected true or false") }
                file.sesAutoConfirm = flag
            default:
                throw CLIError.usage(
                    "\(path): serve.\(key): unknown setting (ses_topic_arns, ses_auto_confirm, trusted_proxies)")
            }
        }
        return file
    }

    /// A string or an array of strings.
    private static func strings(_ v: TOMLValueConvertible, key: String, path: String) throws -> [String] {
        if let one = v.string { return [one] }
        if let array = v.array, case let all = array.compactMap(\.string), all.count == array.count { return all }
        throw CLIError.usage("\(path): serve.\(key): expected a string or an array of strings")
    }
}
