import TermGrid

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
    case fixAddress = "fix-address"
    case groups = "groups"
    case selectAll = "select-all"
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
    /// Default keys per context.
    public var defaults: [KeyContext: [Key]]
}

/// The one table of actions: names, help texts and default keys (tig style).
public enum ActionTable {
    /// Every action in help-screen order.
    public static let all: [ActionSpec] = [
        spec(.moveDown, "Move down", [.char("j"), .down]),
        spec(.moveUp, "Move up", [.char("k"), .up]),
        spec(.moveTop, "Go to the first item", [.char("g"), .home]),
        spec(.moveBottom, "Go to the last item", [.char("G"), .end]),
        spec(.pageDown, "Page down", [.pageDown, .ctrl("d")]),
        spec(.pageUp, "Page up", [.pageUp, .ctrl("u")]),
        spec(.nextPane, "Next pane", [.tab]),
        spec(.prevPane, "Previous pane", [.backTab]),
        spec(.open, "Open / go to the message / confirm", [.enter]),
        spec(.back, "Back (close popup, leave the pane)", [.escape]),
        spec(.close, "Back; quits on the top level", [.char("q")]),
        spec(.quit, "Quit", [.ctrl("c")]),
        spec(.search, "Search", [.char("/")]),
        spec(.nextMatch, "Next match", [.char("n")]),
        spec(.prevMatch, "Previous match", [.char("N")]),
        spec(.toggleFailedFilter, "Failed sent messages filter on/off", [.char("F")]),
        spec(.review, "Set as reviewed (message or selection)", [.char("r")]),
        spec(.retry, "Retry: resend to failed recipients", [.char("R")]),
        spec(.fixAddress, "Fix the recipient's address, then retry", [.char("e")]),
        ActionSpec(
            action: .groups, help: "Failure groups by cause and domain",
            defaults: [.failed: [.char("v")]]),
        spec(.selectAll, "Select all (the list as filtered)", [.char("*")]),
        spec(.undo, "Undo the last review", [.char("u")]),
        spec(.select, "Select / tick (bulk review and retry)", [.char(" ")]),
        spec(.detail, "Recipient detail: status and events", [.char("i")]),
        spec(.compose, "Compose a message in the thread ($EDITOR)", [.char("c")]),
        spec(.help, "This help", [.char("?"), .function(1)]),
        ActionSpec(
            action: .toggleOrder, help: "History newest / oldest first", defaults: [.thread: [.char("o")]]),
        ActionSpec(
            action: .toggleFailedSection, help: "Collapse / expand failed messages",
            defaults: [.thread: [.char("z")]]),
        ActionSpec(
            action: .nextRecipient, help: "Next recipient", defaults: [.thread: [.char("l"), .right], .failed: [.char("l"), .right]]),
        ActionSpec(
            action: .prevRecipient, help: "Previous recipient",
            defaults: [.thread: [.char("h"), .left], .failed: [.char("h"), .left]]),
        ActionSpec(action: .cycleStateFilter, help: "Cycle the state filter (type in the events list)", defaults: [.tracking: [.char("s")]]),
        ActionSpec(
            action: .toggleEvents, help: "Tracking emails / events list", defaults: [.tracking: [.char("e")]]),
        spec(.refresh, "Reload everything", [.ctrl("l")]),
        spec(.gotoInbox, "Inbox", [.char("1")]),
        spec(.gotoFailed, "Failed mailbox", [.char("2")]),
        spec(.gotoTracking, "Tracking lists", [.char("3")]),
        spec(.gotoPartners, "Partners", [.char("4")]),
    ]

    /// The table row of an action.
    public static func spec(for action: Action) -> ActionSpec? {
        all.first { $0.action == action }
    }

    private static func spec(_ action: Action, _ help: String, _ keys: [Key]) -> ActionSpec {
        ActionSpec(action: action, help: help, defaults: [.generic: keys])
    }
}
