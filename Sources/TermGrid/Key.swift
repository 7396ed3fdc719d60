/// A key press (or mouse or resize event) as the terminal layer decodes it.
///
/// Backends produce these; keymaps in ChatterUI map them to named actions.
public enum Key: Hashable, Sendable {
    /// A printable character (including space).
    case char(Character)
    /// Ctrl plus a letter, lower case: `.ctrl("u")`. Ctrl-I, Ctrl-M and Ctrl-[ arrive as tab, enter and escape.
    case ctrl(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, tab, backTab, escape, backspace, delete
    /// F1 ... F12 as 1 ... 12.
    case function(Int)
    case mouse(MouseEvent)
    /// The terminal now has this size; redraw everything.
    case resize(Size)
    /// Something the backend could not name (its raw description), so it can be logged or ignored.
    case unknown(String)
}

/// A mouse event at a cell.
public struct MouseEvent: Hashable, Sendable {
    /// What happened.
    public enum Kind: Hashable, Sendable {
        case press, release, scrollUp, scrollDown
    }

    public var x: Int
    public var y: Int
    public var kind: Kind

    public init(x: Int, y: Int, kind: Kind) {
        self.x = x
        self.y = y
        self.kind = kind
    }
}
