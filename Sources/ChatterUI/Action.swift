/// A named thing a key can do. Every action is defined once in `ActionTable`
/// with its name (as written in keys.conf), its help text and its default keys;
/// the keymap and the help screen are both generated from that table.
public enum Action: String, Sendable, Hashable, CaseIterable {
    case moveDown = "move-down"
    case moveUp = "move-up"
    case moveTop = "move-top"
    case moveBottom = "move-bottom"
    case pageDown = "page-down"
    case pageUp = "page-up"
    case nextPane = "next-pane"
    case prevPane = "prev-pane"
    case open = "open"
    case back = "back"
    case close = "close"
    case quit = "quit"
    case search = "search"
    case nextMatch = "next-match"
    case prevMatch = "prev-match"
    case toggleFailedFilter = "failed-filter"
    case review = "review"
    case retry = "retry"
    case undo = "undo"
    case select = "select"
    case detail = "detail"
    case compose = "compose"
    case help = "help"
    case toggleOrder = "toggle-order"
    case toggleFailedSection = "toggle-failed-section"
    case nextRecipient = "next-recipient"
    case prevRecipient = "prev-recipient"
    case cycleStateFilter = "state-filter"
    case toggleEvents = "toggle-events"
    case refresh = "refresh"
    case gotoInbox = "goto-inbox"
    case gotoFailed = "goto-failed"
    case gotoTracking = "goto-tracking"
    case gotoPartners = "goto-partners"
}

/// The views a keymap section applies to; lookups fall back to `generic`.
public enum KeyContext: String, Sendable, Hashable, CaseIterable {
    /// Everywhere (and the only section for popups and the Mailboxes pane).
    case generic
    /// The thread list.
    case threads
    /// An open thread's chatter.
    case thread
    /// The Failed mailbox's cards.
    case failed
    /// The tracking emails and events lists.
    case tracking
    /// The partners list.
    case partners
}

/// One row of the action table.
public struct ActionSpec: Sendable, Hashable {
    public var action: Action
    /// Help text, one short line.
    public var help: String
    /// Default keys (canonical key names, see `KeyName`) per context.
    public var defaults: [KeyContext: [String]]
}

/// The one table of actions: names, help texts and default keys (tig style).
public enum ActionTable {
    /// Every action in help-screen order.
    public static let all: [ActionSpec] = [
        spec(.moveDown, "Move down", ["j", "Down"]),
        spec(.moveUp, "Move up", ["k", "Up"]),
        spec(.moveTop, "Go to the first item", ["g", "Home"]),
        spec(.moveBottom, "Go to the last item", ["G", "End"]),
        spec(.pageDown, "Page down", ["PgDn", "C-d"]),
        spec(.pageUp, "Page up", ["PgUp", "C-u"]),
        spec(.nextPane, "Next pane", ["Tab"]),
        spec(.prevPane, "Previous pane", ["S-Tab"]),
        spec(.open, "Open / go to the message / confirm", ["Enter"]),
        spec(.back, "Back (close popup, leave the pane)", ["Esc"]),
        spec(.close, "Back; quits on the top level", ["q"]),
        spec(.quit, "Quit", ["C-c"]),
        spec(.search, "Search", ["/"]),
        spec(.nextMatch, "Next match", ["n"]),
        spec(.prevMatch, "Previous match", ["N"]),
        spec(.toggleFailedFilter, "Failed sent messages filter on/off", ["F"]),
        spec(.review, "Set as reviewed (message or selection)", ["r"]),
        spec(.retry, "Retry: resend to failed recipients", ["R"]),
        spec(.undo, "Undo the last review", ["u"]),
        spec(.select, "Select / tick (bulk review and retry)", ["Space"]),
        spec(.detail, "Recipient detail: status and events", ["i"]),
        spec(.compose, "Compose a message in the thread ($EDITOR)", ["c"]),
        spec(.help, "This help", ["?", "F1"]),
        ActionSpec(
            action: .toggleOrder, help: "History newest / oldest first", defaults: [.thread: ["o"]]),
        ActionSpec(
            action: .toggleFailedSection, help: "Collapse / expand failed messages",
            defaults: [.thread: ["z"]]),
        ActionSpec(
            action: .nextRecipient, help: "Next recipient", defaults: [.thread: ["l", "Right"], .failed: ["l", "Right"]]),
        ActionSpec(
            action: .prevRecipient, help: "Previous recipient",
            defaults: [.thread: ["h", "Left"], .failed: ["h", "Left"]]),
        ActionSpec(action: .cycleStateFilter, help: "Cycle the state filter", defaults: [.tracking: ["s"]]),
        ActionSpec(
            action: .toggleEvents, help: "Tracking emails / events list", defaults: [.tracking: ["e"]]),
        spec(.refresh, "Reload everything", ["C-l"]),
        spec(.gotoInbox, "Inbox", ["1"]),
        spec(.gotoFailed, "Failed mailbox", ["2"]),
        spec(.gotoTracking, "Tracking lists", ["3"]),
        spec(.gotoPartners, "Partners", ["4"]),
    ]

    /// The table row of an action.
    public static func spec(for action: Action) -> ActionSpec? {
        all.first { $0.action == action }
    }

    private static func spec(_ action: Action, _ help: String, _ keys: [String]) -> ActionSpec {
        ActionSpec(action: action, help: help, defaults: [.generic: keys])
    }
}
