import Foundation
import TermGrid

/// Key names as written in keys.conf and shown on the help screen.
///
/// A printable character stands for itself (`j`, `G`, `?`, `/`), except space
/// (`Space`). `C-x` is Ctrl with x (`C-d`; case does not matter), `S-Tab` is
/// Shift-Tab. Named keys: `Enter`, `Esc`, `Tab`, `Backspace`, `Delete`, `Up`,
/// `Down`, `Left`, `Right`, `Home`, `End`, `PgUp`, `PgDn`, `F1`…`F24`.
/// Aliases accepted when reading: `Return`, `Escape`, `BS`, `Del`, `PageUp`,
/// `PageDown`, `BackTab`, `Ctrl-x`, `^x`; named keys are case-insensitive.
public enum KeyName {
    /// The canonical name of a key, or nil for keys that cannot be bound (mouse, resize, unknown).
    public static func name(of key: Key) -> String? {
        switch key {
        case .char(let c):
            if c == " " { return "Space" }
            return String(c)
        case .ctrl(let c): return "C-" + String(c).lowercased()
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .function(let n): return "F\(n)"
        case .mouse, .resize, .unknown: return nil
        }
    }

    /// The key a name stands for, or nil when the name is not a key.
    public static func parse(_ text: String) -> Key? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.count == 1, let c = t.first {
            return c.isWhitespace || c.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
                ? nil : .char(c)
        }
        let lower = t.lowercased()
        if let named = named[lower] { return named }
        for prefix in ["c-", "ctrl-", "^"] where lower.hasPrefix(prefix) {
            let rest = t.dropFirst(prefix.count)
            guard rest.count == 1, let c = rest.first, c.isLetter || "[]\\_@".contains(c) else { return nil }
            return .ctrl(Character(String(c).lowercased()))
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...24).contains(n) {
            return .function(n)
        }
        return nil
    }

    private static let named: [String: Key] = [
        "space": .char(" "), "enter": .enter, "return": .enter, "esc": .escape, "escape": .escape,
        "tab": .tab, "s-tab": .backTab, "backtab": .backTab, "backspace": .backspace, "bs": .backspace,
        "delete": .delete, "del": .delete, "up": .up, "down": .down, "left": .left, "right": .right,
        "home": .home, "end": .end, "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown,
        "pagedown": .pageDown,
    ]
}
