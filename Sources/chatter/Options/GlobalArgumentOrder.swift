/// Global options before the subcommand, as in git or kubectl: `chatter --db X failed`
/// means `chatter failed --db X`. ArgumentParser only reads a subcommand's options after
/// its name, so the leading `--db`, `--as` and `--json` are moved behind the subcommand's
/// arguments (before a `--`, which ends the options).
enum GlobalArgumentOrder {
    /// The global options that take a value.
    static let valued: Set<String> = ["--db", "--as"]
    /// The global flags.
    static let flags: Set<String> = ["--json"]

    /// `arguments` (without the program name) with leading global options moved after
    /// the subcommand `subcommands` names; unchanged when no subcommand follows them
    /// (then the default subcommand reads them itself).
    static func rearranged(_ arguments: [String], subcommands: Set<String>) -> [String] {
        var globals: [String] = []
        var i = 0
        scan: while i < arguments.count {
            let a = arguments[i]
            if flags.contains(a) || valued.contains(where: { a.hasPrefix($0 + "=") }) {
                globals.append(a)
                i += 1
            } else if valued.contains(a), i + 1 < arguments.count {
                globals += [a, arguments[i + 1]]
                i += 2
            } else {
                break scan
            }
        }
        guard !globals.isEmpty, i < arguments.count, subcommands.contains(arguments[i]) else { return arguments }
        var rest = Array(arguments[i...])
        rest.insert(contentsOf: globals, at: rest.firstIndex(of: "--") ?? rest.endIndex)
        return rest
    }
}
