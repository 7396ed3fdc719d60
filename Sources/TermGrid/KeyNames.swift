extension Key {
    /// The key's name in a keymap file: "j", "G", "space", "ctrl-u", "up", "pgdn", "enter", "backtab", "f5".
    ///
    /// `Key(name:)` reads it back. Mouse, resize and unknown events have names
    /// too ("mouse", "resize", "unknown") so logs can show them, but they do not parse.
    public var name: String {
        switch self {
        case .char(" "): return "space"
        case .char(let c): return String(c)
        case .ctrl(" "): return "ctrl-space"
        case .ctrl(let c): return "ctrl-\(c)"
        case .up: return "up"
        case .down: return "down"
        case .left: return "left"
        case .right: return "right"
        case .home: return "home"
        case .end: return "end"
        case .pageUp: return "pgup"
        case .pageDown: return "pgdn"
        case .enter: return "enter"
        case .tab: return "tab"
        case .backTab: return "backtab"
        case .escape: return "esc"
        case .backspace: return "backspace"
        case .delete: return "delete"
        case .function(let n): return "f\(n)"
        case .mouse: return "mouse"
        case .resize: return "resize"
        case .unknown: return "unknown"
        }
    }

    /// Parses a keymap name: a single character (case matters: "g" is not "G"), or a
    /// named key, case-insensitive, with aliases ("ctrl-u", "c-u", "^u"; "pgup",
    /// "pageup"; "esc", "escape"; "enter", "return"; "backtab", "shift-tab", "s-tab";
    /// "delete", "del"; "f1"..."f12"). Nil for anything else.
    public init?(name raw: String) {
        if raw.count == 1, let c = raw.first, DisplayWidth.of(c) > 0 {
            self = .char(c)
            return
        }
        let n = raw.lowercased()
        for prefix in ["ctrl-", "ctrl+", "c-", "^"] where n.hasPrefix(prefix) && n.count > prefix.count {
            let rest = String(n.dropFirst(prefix.count))
            if rest == "space" { self = .ctrl(" "); return }
            guard rest.count == 1, let c = rest.first, c.isASCII, c.isLetter || "[\\]^_@".contains(c) else { return nil }
            switch c {
            case "i": self = .tab
            case "m": self = .enter
            case "[": self = .escape
            case "h": self = .backspace
            default: self = .ctrl(c)
            }
            return
        }
        switch n {
        case "space": self = .char(" ")
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "home": self = .home
        case "end": self = .end
        case "pgup", "pageup", "page-up": self = .pageUp
        case "pgdn", "pagedown", "page-down", "pgdown": self = .pageDown
        case "enter", "return", "ret": self = .enter
        case "tab": self = .tab
        case "backtab", "shift-tab", "s-tab": self = .backTab
        case "esc", "escape": self = .escape
        case "backspace", "bs": self = .backspace
        case "delete", "del": self = .delete
        default:
            if n.hasPrefix("f"), let k = Int(n.dropFirst()), (1...12).contains(k) {
                self = .function(k)
                return
            }
            return nil
        }
    }

    /// The key as the help screen and footer show it: "j", "Ctrl-u", "↑", "PgDn", "Enter", "Shift-Tab".
    ///
    /// With `ascii`, arrows read "Up", "Down", "Left", "Right".
    public func label(ascii: Bool = false) -> String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(" "): return "Ctrl-Space"
        case .ctrl(let c): return "Ctrl-\(c)"
        case .up: return ascii ? "Up" : "↑"
        case .down: return ascii ? "Down" : "↓"
        case .left: return ascii ? "Left" : "←"
        case .right: return ascii ? "Right" : "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .function(let n): return "F\(n)"
        case .mouse: return "Mouse"
        case .resize: return "Resize"
        case .unknown(let s): return s
        }
    }
}
