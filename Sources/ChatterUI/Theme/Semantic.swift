import TermGrid
import TrackingModel

/// The meanings views draw with. Each is a `StyleID` (its raw value); a `Theme`
/// turns it into colours and attributes, and snapshot masks print its letter.
public enum Semantic: UInt8, Sendable, Hashable, CaseIterable {
    case normal = 0
    case muted
    case header
    case title
    /// The cursor row in the pane that has the focus.
    case selected
    /// The cursor row in a pane without the focus.
    case selectedInactive
    /// Rows ticked with space.
    case marked
    case danger
    case warning
    case success
    case info
    case accent
    /// Count badges (failed ✗2).
    case badge
    case border
    /// Key names in hints and help.
    case key
    /// Popup body.
    case popup
    /// The one-line prompt.
    case prompt
    case markerUnknown
    case markerWaiting
    case markerError
    case markerSent
    case markerDelivered
    case markerOpened
    case markerCc
    case markerNoEmail
    case markerNoPartner
    /// An error refused by the receiver (sender-side cause): its own colour.
    case markerRefused
    /// A cause in words, by side: the address is bad / the receiver refused us /
    /// the mailbox or the transport (nobody's fault yet).
    case causeAddress
    case causeSender
    case causeOther

    /// As a grid style.
    public var id: StyleID { StyleID(rawValue: rawValue) }

    /// The semantic style of a grid cell's style id (unknown ids read as normal).
    public init(id: StyleID) {
        self = Semantic(rawValue: id.rawValue) ?? .normal
    }

    /// One letter per meaning for snapshot style masks.
    public var letter: Character {
        switch self {
        case .normal: return "."
        case .muted: return "m"
        case .header: return "H"
        case .title: return "T"
        case .selected: return "S"
        case .selectedInactive: return "s"
        case .marked: return "M"
        case .danger: return "D"
        case .warning: return "W"
        case .success: return "G"
        case .info: return "I"
        case .accent: return "A"
        case .badge: return "b"
        case .border: return "B"
        case .key: return "K"
        case .popup: return "P"
        case .prompt: return "Q"
        case .markerUnknown: return "u"
        case .markerWaiting: return "w"
        case .markerError: return "e"
        case .markerSent: return "t"
        case .markerDelivered: return "v"
        case .markerOpened: return "o"
        case .markerCc: return "c"
        case .markerNoEmail: return "n"
        case .markerNoPartner: return "p"
        case .markerRefused: return "r"
        case .causeAddress: return "a"
        case .causeSender: return "y"
        case .causeOther: return "z"
        }
    }

    /// The style of a cause's words, by its side.
    public static func cause(_ cause: FailureCause) -> Semantic {
        switch cause.side {
        case .address: return .causeAddress
        case .sender: return .causeSender
        case .mailbox, .transport: return .causeOther
        }
    }

    /// The style of a marker; `refused` for an error refused by the receiver.
    public static func marker(_ marker: Marker, refused: Bool = false) -> Semantic {
        switch marker {
        case .unknown: return .markerUnknown
        case .waiting: return .markerWaiting
        case .error: return refused ? .markerRefused : .markerError
        case .sent: return .markerSent
        case .delivered: return .markerDelivered
        case .opened: return .markerOpened
        case .cc: return .markerCc
        case .noEmail: return .markerNoEmail
        case .noPartner: return .markerNoPartner
        }
    }

    /// The letter of a grid style id, for `Grid.styleMask`.
    public static func letter(_ id: StyleID) -> Character {
        Semantic(id: id).letter
    }
}
