import TermGrid

/// Turns semantic styles into terminal looks, for one colour capability.
///
/// Meaning never rests on colour alone: every marker has its own glyph, the
/// cursor row is reverse video in every theme, danger is bold, and the mono
/// theme keeps bold / underline / reverse only.
public struct Theme: Sendable {
    public var mode: ColorMode

    public init(mode: ColorMode) {
        self.mode = mode
    }

    /// The look of a style id (unknown ids look plain).
    public func style(for id: StyleID) -> TerminalStyle {
        let s = Semantic(id: id)
        switch mode {
        case .color256: return Self.look256(s)
        case .color8: return Self.look8(s)
        case .mono: return Self.lookMono(s)
        }
    }

    /// Every style id the views use with its look, for a backend's colour-pair setup.
    public var table: [(StyleID, TerminalStyle)] {
        Semantic.allCases.map { ($0.id, style(for: $0.id)) }
    }

    private static func look256(_ s: Semantic) -> TerminalStyle {
        switch s {
        case .normal: return .plain
        case .muted: return TerminalStyle(fg: .indexed(245))
        case .header: return TerminalStyle(fg: .indexed(255), bg: .indexed(24), bold: true)
        case .title: return TerminalStyle(fg: .indexed(117), bold: true)
        case .selected: return TerminalStyle(fg: .indexed(255), bg: .indexed(25), bold: true)
        case .selectedInactive: return TerminalStyle(bg: .indexed(237))
        case .marked: return TerminalStyle(fg: .indexed(214), bold: true)
        case .danger: return TerminalStyle(fg: .indexed(196), bold: true)
        case .warning: return TerminalStyle(fg: .indexed(214))
        case .success: return TerminalStyle(fg: .indexed(40))
        case .info: return TerminalStyle(fg: .indexed(39))
        case .accent: return TerminalStyle(fg: .indexed(117), bold: true)
        case .badge: return TerminalStyle(fg: .indexed(196), bold: true)
        case .border: return TerminalStyle(fg: .indexed(240))
        case .key: return TerminalStyle(fg: .indexed(222), bold: true)
        case .popup: return TerminalStyle(bg: .indexed(235))
        case .prompt: return TerminalStyle(fg: .indexed(255), bg: .indexed(238))
        case .markerUnknown: return TerminalStyle(fg: .indexed(245))
        case .markerWaiting: return TerminalStyle(fg: .indexed(250))
        case .markerError: return TerminalStyle(fg: .indexed(196), bold: true)
        case .markerSent: return TerminalStyle(fg: .indexed(252))
        case .markerDelivered: return TerminalStyle(fg: .indexed(75))
        case .markerOpened: return TerminalStyle(fg: .indexed(40), bold: true)
        case .markerCc: return TerminalStyle(fg: .indexed(245))
        case .markerNoEmail: return TerminalStyle(fg: .indexed(196), bold: true)
        case .markerNoPartner: return TerminalStyle(fg: .indexed(245))
        case .markerRefused, .causeSender: return TerminalStyle(fg: .indexed(208), bold: true)
        case .causeAddress: return TerminalStyle(fg: .indexed(196))
        case .causeOther: return TerminalStyle(fg: .indexed(214))
        }
    }

    private static func look8(_ s: Semantic) -> TerminalStyle {
        switch s {
        case .normal: return .plain
        case .muted, .markerUnknown, .markerCc, .markerNoPartner, .border: return TerminalStyle(dim: true)
        case .header: return TerminalStyle(fg: .ansi(7), bg: .ansi(4), bold: true)
        case .title, .accent: return TerminalStyle(fg: .ansi(6), bold: true)
        case .selected: return TerminalStyle(bold: true, reverse: true)
        case .selectedInactive: return TerminalStyle(reverse: true)
        case .marked: return TerminalStyle(fg: .ansi(3), bold: true)
        case .danger, .badge, .markerError, .markerNoEmail: return TerminalStyle(fg: .ansi(1), bold: true)
        case .markerRefused, .causeSender: return TerminalStyle(fg: .ansi(5), bold: true)
        case .causeAddress: return TerminalStyle(fg: .ansi(1))
        case .warning, .causeOther: return TerminalStyle(fg: .ansi(3))
        case .success: return TerminalStyle(fg: .ansi(2))
        case .info, .markerDelivered: return TerminalStyle(fg: .ansi(4))
        case .key: return TerminalStyle(fg: .ansi(3), bold: true)
        case .popup, .markerSent, .markerWaiting: return .plain
        case .prompt: return TerminalStyle(reverse: true)
        case .markerOpened: return TerminalStyle(fg: .ansi(2), bold: true)
        }
    }

    private static func lookMono(_ s: Semantic) -> TerminalStyle {
        switch s {
        case .normal, .muted, .border, .popup, .info, .success, .markerUnknown, .markerWaiting, .markerSent,
            .markerDelivered, .markerCc, .markerNoPartner, .causeAddress, .causeOther:
            return .plain
        case .header, .selected, .prompt: return TerminalStyle(bold: true, reverse: true)
        case .selectedInactive: return TerminalStyle(reverse: true)
        case .title, .accent, .key, .markerOpened, .markerRefused, .causeSender: return TerminalStyle(bold: true)
        case .marked, .warning: return TerminalStyle(underline: true)
        case .danger, .badge, .markerError, .markerNoEmail: return TerminalStyle(bold: true, underline: true)
        }
    }
}
