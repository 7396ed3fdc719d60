import TermGrid
import Foundation
import TrackingModel

/// A line of keys.conf that could not be used; the defaults stay in force for it.
public struct KeymapError: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number in the file.
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "keys.conf:\(line): \(message)" }
}

/// Reads the user's keymap, `$XDG_CONFIG_HOME/chatter/keys.conf` (the loop reads
/// the file and passes its text; this parser does no I/O).
///
/// Format:
///
///     # a comment (also after a binding: j = move-down  # like vi)
///     [generic]          # sections: generic, threads, thread, failed, tracking, partners
///     C-n = move-down    # KEY = ACTION
///     x   = review
///     q   = none         # "none" unbinds the key in this section
///     [thread]
///     Space = select
///
/// - Lines before the first section belong to `[generic]`.
/// - A view section (`[threads]` the thread list, `[thread]` an open thread,
///   `[failed]` the Failed mailbox, `[tracking]` the tracking and events lists,
///   `[partners]`) is looked up first, then `[generic]`; popups and the Mailboxes
///   pane use `[generic]` only. `KEY = none` in a view section hides the generic
///   binding there.
/// - Key names (TermGrid's `Key(name:)`): a single character stands for itself
///   and is case-sensitive (`j`, `G`, `?`, `=`); named keys are case-insensitive:
///   `Space`, `Enter`, `Esc`, `Tab`, `S-Tab`, `Backspace`, `Delete`, `Up`, `Down`,
///   `Left`, `Right`, `Home`, `End`, `PgUp`, `PgDn`, `F1`…`F12`, and Ctrl with a
///   letter as `C-d` (also `Ctrl-d`, `^d`; `C-i`, `C-m`, `C-h` are Tab, Enter,
///   Backspace as terminals send them). `#` always starts a comment, so it cannot be bound.
/// - Action names: the first column of the help screen (`?`), e.g. `move-down`,
///   `page-up`, `failed-filter`, `review`, `retry`, `undo`, `toggle-order`.
/// - User bindings are added on top of the defaults; a key bound twice in one
///   section is reported and the first binding kept. Every bad line is reported
///   with its line number and changes nothing.
public enum KeymapParser {
    /// The defaults with the file's bindings applied, and the lines that were rejected.
    public static func parse(_ text: String, base: Keymap = .defaults) -> (Keymap, [KeymapError]) {
        var map = base
        var errors: [KeymapError] = []
        var section: KeyContext? = .generic
        /// Key → line of its first binding, per section, to report duplicates.
        var seen: [KeyContext: [Key: Int]] = [:]
        // "\r\n" is one Character in Swift: split on every line-break form.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let line = stripComment(String(raw)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    errors.append(KeymapError(line: number, message: "malformed section header \(quoted(line))"))
                    section = nil
                    continue
                }
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces).lowercased()
                section = KeyContext(rawValue: name)
                if section == nil {
                    let known = KeyContext.allCases.map(\.rawValue).joined(separator: ", ")
                    errors.append(
                        KeymapError(line: number, message: "unknown section \(quoted(name)) (known: \(known))"))
                }
                continue
            }
            guard let context = section else {
                errors.append(KeymapError(line: number, message: "binding ignored: it is under an unknown section"))
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                errors.append(KeymapError(line: number, message: "expected KEY = ACTION, got \(quoted(line))"))
                continue
            }
            var keyText = String(line[..<eq]).trimmingCharacters(in: .whitespaces)
            var actionText = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            // `= = action` binds the equals key itself.
            if keyText.isEmpty, actionText.hasPrefix("=") {
                keyText = "="
                actionText = actionText.dropFirst().trimmingCharacters(in: .whitespaces)
            }
            guard let key = Key(name: keyText) else {
                errors.append(KeymapError(line: number, message: "unknown key \(quoted(keyText))"))
                continue
            }
            let binding: Binding
            if actionText.lowercased() == "none" {
                binding = .unbound
            } else if let action = Action(rawValue: actionText.lowercased()) {
                binding = .action(action)
            } else {
                errors.append(KeymapError(line: number, message: "unknown action \(quoted(actionText))"))
                continue
            }
            if let first = seen[context]?[key] {
                errors.append(
                    KeymapError(
                        line: number,
                        message: "\(key.name) is already bound in [\(context.rawValue)] on line \(first); kept that one"))
                continue
            }
            seen[context, default: [:]][key] = number
            map.bind(key, binding, in: context)
        }
        return (map, errors)
    }

    /// The line without its `#` comment.
    private static func stripComment(_ line: String) -> String {
        guard let hash = line.firstIndex(of: "#") else { return line }
        return String(line[..<hash])
    }

    private static func quoted(_ text: String) -> String {
        "\"" + SafeText.clean(text) + "\""
    }
}
