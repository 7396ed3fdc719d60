import EventIngest
import Foundation
import TOMLKit

/// The `[serve]` table of `$XDG_CONFIG_HOME/chatter/config.toml`: settings of `chatter serve`
/// that are not secrets. Keys: `ses_topic_arns` (a string or an array of strings),
/// `ses_auto_confirm` (true/false). The command line overrides each.
struct ServeConfigFile: Equatable {
    var sesTopicArns: [String]?
    var sesAutoConfirm: Bool?

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
                if let one = v.string {
                    file.sesTopicArns = [one]
                } else if let array = v.array, case let arns = array.compactMap(\.string), arns.count == array.count {
                    file.sesTopicArns = arns
                } else {
                    throw CLIError.usage("\(path): serve.ses_topic_arns: expected a string or an array of strings")
                }
            case "ses_auto_confirm":
                guard let flag = v.bool else { throw CLIError.usage("\(path): serve.ses_auto_confirm: expected true or false") }
                file.sesAutoConfirm = flag
            default:
                throw CLIError.usage("\(path): serve.\(key): unknown setting (ses_topic_arns, ses_auto_confirm)")
            }
        }
        return file
    }
}
