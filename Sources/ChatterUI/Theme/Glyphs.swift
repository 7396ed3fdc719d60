import TermGrid
import TrackingModel

/// The glyphs of markers and frames, Unicode or ASCII (`--ascii`, non-UTF-8 locale).
///
/// Markers differ by glyph, never by colour alone. Unicode set: `⊘` unknown
/// (the reference's "ban"), `◷` waiting (clock), `✗` error, `✓` sent, `✓✓`
/// delivered, `✔✔` opened (heavy double check: the reference's green double
/// check, told apart from delivered by shape), `cc` Cc without tracking, `✗@`
/// no email (an error of kind no_recipient), `@` no partner (a bare address:
/// an "@" and no name, told from `⊘` at a glance, as in the ASCII set);
/// `✗!` an error refused by the receiver (a sender-side cause: the address is
/// fine, the fix is ours).
/// ASCII set (README "Markers"): `?` `~` `x` `v` `vv` `VV` `cc` `!@` `@`, and `x!` refused.
public struct Glyphs: Sendable, Hashable {
    public var ascii: Bool

    public init(ascii: Bool) {
        self.ascii = ascii
    }

    /// A marker's glyph (one or two cells); `refused` draws an error refused by the receiver.
    public func marker(_ m: Marker, refused: Bool = false) -> String {
        if refused && m == .error { return ascii ? Marker.refusedAsciiGlyph : "✗!" }
        switch m {
        case .unknown: return ascii ? "?" : "⊘"
        case .waiting: return ascii ? "~" : "◷"
        case .error: return ascii ? "x" : "✗"
        case .sent: return ascii ? "v" : "✓"
        case .delivered: return ascii ? "vv" : "✓✓"
        case .opened: return ascii ? "VV" : "✔✔"
        case .cc: return "cc"
        case .noEmail: return ascii ? "!@" : "✗@"
        case .noPartner: return "@"
        }
    }

    /// The failed-count badge glyph (`✗2`).
    public var failed: String { ascii ? "x" : "✗" }
    /// The cursor arrow in lists (and in popups, which have the keys).
    public var cursor: String { ascii ? ">" : "▶" }
    /// The cursor of a pane: `▶` in the pane with the focus, hollow `▷` (ASCII
    /// `:`) in the others, so the focus shows without colour.
    public func cursor(focused: Bool) -> String { focused ? cursor : (ascii ? ":" : "▷") }
    /// Separator between header fields.
    public var dot: String { ascii ? "-" : "·" }
    /// The collapsed / expanded section arrows.
    public var collapsed: String { ascii ? "+" : "▸" }
    public var expanded: String { ascii ? "-" : "▾" }
    /// Tick boxes of the retry dialog.
    public func tick(_ on: Bool) -> String { on ? "[x]" : "[ ]" }
    /// A warning sign (Retry checks).
    public var warning: String { ascii ? "!" : "⚠" }
    /// The poller's "live" dot.
    public var liveDot: String { ascii ? "*" : "●" }
    /// Timeline arrow.
    public var arrow: String { ascii ? "->" : "→" }
    public var ellipsis: String { ascii ? "..." : "…" }

    /// Frame pieces (TermGrid's box glyphs).
    public var box: BoxGlyphs { ascii ? .ascii : .unicode }

    /// The frame of a pane: heavy lines (ASCII `#` corners and `=` edges) for
    /// the pane with the focus, so the focus shows without colour.
    public func box(focused: Bool) -> BoxGlyphs {
        guard focused else { return box }
        return ascii
            ? BoxGlyphs(
                horizontal: "=", vertical: "|", topLeft: "#", topRight: "#", bottomLeft: "#", bottomRight: "#",
                teeLeft: "#", teeRight: "#")
            : BoxGlyphs(
                horizontal: "━", vertical: "┃", topLeft: "┏", topRight: "┓", bottomLeft: "┗", bottomRight: "┛",
                teeLeft: "┣", teeRight: "┫")
    }
}
