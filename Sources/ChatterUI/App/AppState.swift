import Foundation
import TermGrid
import TrackingModel

/// Everything the front shows, as one value. `render` is a pure function of it and
/// `update` is the only thing that changes it.
///
/// Cursors are kept by identity (thread id, message id, tracking id, partner id),
/// never by row index, so a reload keeps the cursor on the same item; when the item
/// vanished the cursor moves to the row now at its old position.
public struct AppState: Sendable, Hashable {
    /// The person the front acts as.
    public var me: PartnerRef
    /// Poller and store figures for the header line.
    public var header = HeaderInfo()
    /// Screen size in cells, from a resize message.
    public var size: Size
    /// The current time (UTC epoch seconds), from a tick message; relative dates use it.
    public var now: Double = 0
    /// How glyphs and dates are drawn.
    public var display = DisplayOptions()

    /// The pane that receives movement keys.
    public var focus: Pane = .threads
    /// Cursor in the Mailboxes pane.
    public var mailboxCursor: Mailbox = .inbox
    /// The mailbox whose content the right-hand side shows.
    public var mailbox: Mailbox = .inbox
    /// Live counters beside the mailboxes (the Failed one set only by `applyFailedCounter`).
    public var counts = MailboxCounts()
    /// The store's last word on the Failed count, from which the counter is worked out.
    public var failedTally: FailedTally?

    /// The thread list (left column).
    public var threads = ThreadListState(query: ThreadQuery())
    /// The open thread's chatter (Inbox mailbox).
    public var chatter = ChatterState()
    /// The Failed mailbox's cards.
    public var failed = FailedState()
    /// The tracking emails and events lists (Tracking mailbox).
    public var tracking = TrackingListState()
    /// The partners list (Partners mailbox).
    public var partners = PartnerListState()

    /// The mailbox a message was opened from (Enter in Failed): Esc in the chatter goes back to it.
    public var returnTo: Mailbox?

    /// The popup on top of everything, if any.
    public var overlay: Overlay?
    /// A one-line text prompt (search), if open; it takes the keys.
    public var prompt: Prompt?
    /// Message ids selected with space for bulk review / retry.
    public var selection: Set<Int64> = []
    /// Every message of the Failed list as it is filtered is selected (`*`),
    /// loaded or not: `r` reviews them all in one transaction.
    public var selectAll = false
    /// Threads selected with space in the thread list: `r` reviews their failed messages.
    public var threadSelection: Set<Int64> = []
    /// The last searches, oldest first (Up in the prompt recalls them).
    public var searchHistory: [String] = []
    /// Reviews that `u` can undo, most recent last.
    public var undoStack: [UndoEntry] = []
    /// Messages reviewed optimistically whose store write has not been confirmed;
    /// a reload that still lists them (a race with the write) hides them.
    public var pendingReview: Set<Int64> = []
    /// The last notice or error, shown in the bottom line until the next key.
    public var status: StatusLine?
    /// Keys in effect (defaults plus the user's keys.conf).
    public var keymap: Keymap
    /// Every line of keys.conf that could not be used (listed in help).
    public var keymapErrors: [KeymapError] = []
    /// Set when the user quit; the loop stops after performing `.quit`.
    public var quitting = false

    /// A fresh state: nothing loaded yet.
    public init(me: PartnerRef, size: Size, keymap: Keymap = .defaults, display: DisplayOptions = DisplayOptions()) {
        self.me = me.cleaned
        self.size = size
        self.keymap = keymap
        self.display = display
    }

    /// The key context the keymap looks up first, from the focus and the open mailbox.
    public var keyContext: KeyContext {
        switch focus {
        case .mailboxes: return .generic
        case .threads: return .threads
        case .main:
            switch mailbox {
            case .inbox: return .thread
            case .failed: return .failed
            case .tracking: return .tracking
            case .partners: return .partners
            }
        }
    }
}

/// The three panes Tab cycles through.
public enum Pane: Int, Sendable, Hashable, CaseIterable {
    case mailboxes, threads, main
}

/// The mailboxes of the left column.
public enum Mailbox: Int, Sendable, Hashable, CaseIterable {
    case inbox, failed, tracking, partners

    /// Its label in the Mailboxes pane.
    public var title: String {
        switch self {
        case .inbox: return "Inbox"
        case .failed: return "Failed"
        case .tracking: return "Tracking"
        case .partners: return "Partners"
        }
    }
}

/// Counters beside the mailboxes (nil until the first load).
public struct MailboxCounts: Sendable, Hashable {
    public var inbox: Int?
    public var failed: Int?

    public init(inbox: Int? = nil, failed: Int? = nil) {
        self.inbox = inbox
        self.failed = failed
    }
}

/// How the front draws glyphs and dates; chosen by the loop from flags and locale.
public struct DisplayOptions: Sendable, Hashable {
    /// ASCII markers and borders (`--ascii`, non-UTF-8 locale).
    public var ascii: Bool
    /// The colour mode the loop picked; views use semantic styles only, but the
    /// help screen names the mode.
    public var colorMode: ColorMode
    /// Offset of local time from UTC in seconds, for absolute dates (the UI has no clock or zone).
    public var utcOffset: Int

    public init(ascii: Bool = false, colorMode: ColorMode = .color256, utcOffset: Int = 0) {
        self.ascii = ascii
        self.colorMode = colorMode
        self.utcOffset = utcOffset
    }
}

/// The colour capability in use.
public enum ColorMode: String, Sendable, Hashable, CaseIterable {
    case color256 = "256 colours"
    case color8 = "8 colours"
    case mono = "monochrome"

    /// The mode for a terminal with `colors` colours (curses' COLORS), unless
    /// `NO_COLOR` is set (any value) or `--mono` was given: then monochrome.
    public static func choose(terminalColors colors: Int, noColor: Bool, mono: Bool) -> ColorMode {
        if noColor || mono { return .mono }
        if colors >= 256 { return .color256 }
        if colors >= 8 { return .color8 }
        return .mono
    }
}

/// The thread list: newest activity first, filtered by `F` and `/`.
public typealias ThreadListState = ListState<ThreadSummary, ThreadQuery>

/// What the thread list asks of the store.
public struct ThreadQuery: Sendable, Hashable {
    /// The "Failed sent messages" filter (`F`).
    public var failedOnly = false
    /// Thread-name search; empty for none.
    public var search = ""
    /// How many rows to load (grows by a page when the cursor nears the end).
    public var limit = pageSize

    public init(failedOnly: Bool = false, search: String = "", limit: Int = pageSize) {
        self.failedOnly = failedOnly
        self.search = search
        self.limit = limit
    }
}

/// Rows per load of a list; lists grow by this many when the cursor nears the end.
public let pageSize = 200

/// One item the chatter cursor can stand on.
public enum ChatterItem: Sendable, Hashable {
    /// The "Failed messages (n)" section header (collapses with Enter or `z`).
    case failedHeader
    /// A card of the failed section, by message id.
    case failedCard(Int64)
    /// A message of the history, by message id.
    case message(Int64)
}

/// The open thread and how it is shown.
public struct ChatterState: Sendable, Hashable {
    /// The thread (nil until one is opened).
    public var view: ThreadView?
    /// The thread asked for; a `threadLoaded` for another thread is dropped.
    public var requested: Int64?
    /// The failed section is collapsed to its header with a count badge.
    public var failedCollapsed = false
    /// History oldest first instead of newest first (`o`).
    public var oldestFirst = false
    /// The item under the cursor.
    public var cursor: ChatterItem?
    public var cursorIndex = 0
    /// Index of the recipient under the cursor within the current message (h/l).
    public var recipient = 0
    /// Local find in the thread (`/`); n/N jump between matching messages.
    public var find = ""
    /// The history's window onto the whole thread, paged like every list
    /// (keyset pages, `G`/`g` read an end in one query); `view.history` shows its rows.
    public var history = ListState<MessageView, Int64>(query: 0)

    /// A history page has been asked for and not yet answered.
    public var loadingOlder: Bool { history.pending != nil }

    public init() {}

    /// The items of the chatter in display order.
    public var items: [ChatterItem] {
        guard let view else { return [] }
        var out: [ChatterItem] = []
        if !view.failed.isEmpty {
            out.append(.failedHeader)
            if !failedCollapsed { out += view.failed.map { .failedCard($0.id) } }
        }
        let history = oldestFirst ? view.history.reversed() : view.history
        out += history.map { .message($0.id) }
        return out
    }

    /// The message an item shows.
    public func message(for item: ChatterItem) -> MessageView? {
        guard let view else { return nil }
        switch item {
        case .failedHeader: return nil
        case .failedCard(let id): return view.failed.first { $0.id == id }
        case .message(let id): return view.history.first { $0.id == id }
        }
    }
}

/// The Failed mailbox: one card per failed message of mine, newest first.
public struct FailedState: Sendable, Hashable {
    /// The cards, paged through the whole mailbox.
    public var list = ListState<MessageView, FailedQuery>(query: FailedQuery())
    /// Index of the failed recipient under the cursor within the card.
    public var recipient = 0
    /// The Groups view is shown instead of the cards.
    public var showGroups = false
    /// The failure groups of the mailbox (cause × receiving domain), newest activity first.
    public var groups = ListState<GroupRow, Int>(query: 0)

    public init() {}

    /// The loaded cards.
    public var cards: [MessageView] {
        get { list.rows }
        set { list.rows = newValue }
    }

    /// The card under the cursor.
    public var cursor: Int64? {
        get { list.cursor }
        set { list.cursor = newValue }
    }

    public var cursorIndex: Int {
        get { list.cursorIndex }
        set { list.cursorIndex = newValue }
    }

    public var loading: Bool {
        get { list.loading }
        set { list.loading = newValue }
    }
}

/// What the Failed mailbox asks of the store: all of it, one failure group, and/or a search.
public struct FailedQuery: Sendable, Hashable {
    /// A failure group (Enter in the Groups view); nil for the whole mailbox.
    public var group: GroupKey?
    /// Search in names, subjects, addresses, domains, status codes and error texts; empty for none.
    public var search = ""

    public init(group: GroupKey? = nil, search: String = "") {
        self.group = group
        self.search = search
    }

    /// The whole mailbox, unsearched (the kept counter is its count).
    public var isWhole: Bool { group == nil && search.isEmpty }
}

/// A failure group: one cause (nil = no known cause) at one receiving domain
/// (empty for recipients without an address).
public struct GroupKey: Sendable, Hashable {
    public var cause: FailureCause?
    public var domain: String

    public init(cause: FailureCause?, domain: String) {
        self.cause = cause
        self.domain = domain
    }

    /// `CAUSE/DOMAIN` as the CLI takes it.
    public var text: String { "\(cause?.rawValue ?? "unknown")/\(domain)" }
}

/// Which list the Tracking mailbox shows.
public enum TrackingTab: Sendable, Hashable {
    case emails
    case events
}

/// A state filter for the tracking emails list.
public enum StateFilter: Sendable, Hashable {
    case all
    /// Rows in a failed state.
    case failed
    /// One state; `nil` is waiting.
    case state(TrackingState?)

    /// The order `s` cycles through.
    public static let cycle: [StateFilter] =
        [.all, .failed, .state(nil)] + TrackingState.allCases.map { .state($0) }

    /// Its label in the list title.
    public var title: String {
        switch self {
        case .all: return "all"
        case .failed: return "failed"
        case .state(let s): return humanStateName(s).lowercased()
        }
    }
}

/// What the tracking emails list asks of the store.
public struct TrackingQuery: Sendable, Hashable {
    public var state: StateFilter = .all
    /// Search in sender, recipient, address and subject; empty for none.
    public var search = ""
    public var limit = pageSize

    public init(state: StateFilter = .all, search: String = "", limit: Int = pageSize) {
        self.state = state
        self.search = search
        self.limit = limit
    }
}

/// The Tracking mailbox: the tracking emails list and the events list.
public struct TrackingListState: Sendable, Hashable {
    public var tab: TrackingTab = .emails
    /// The tracking emails list.
    public var emails = ListState<TrackingRow, TrackingQuery>(query: TrackingQuery())
    /// The events list: every event newest first, or one tracking row's events
    /// (the query is that row's id; nil for all).
    public var events = ListState<EventRow, Int64?>(query: nil)
    /// Event type filter of the events list (`s` there); nil shows every type.
    /// Applied to the loaded events, without a store query.
    public var eventType: EventType?
    /// The partner whose address searches the list (Enter in Partners): the
    /// search is that visit's only, the next visit of Tracking starts unfiltered.
    public var fromPartner: String?

    public init() {}

    /// The tracking emails list's query.
    public var query: TrackingQuery {
        get { emails.query }
        set { emails.query = newValue }
    }

    /// The event under the events list's cursor.
    public var eventCursor: Int64? {
        get { events.cursor }
        set { events.cursor = newValue }
    }

    /// The type filter as a local filter of the events list.
    var eventFilter: ListState<EventRow, Int64?>.Filter? {
        guard let eventType else { return nil }
        return .init { $0.type == eventType }
    }

    /// The events the type filter keeps.
    public var visibleEvents: [EventRow] { events.shown(eventFilter) }
}

/// The Partners mailbox: every partner by name, paged from the store like the
/// other lists; `/` searches names and addresses in the store.
public struct PartnerListState: Sendable, Hashable {
    /// The partners; the query is the search over name and address (`/`), empty for all.
    public var list = ListState<PartnerCard, String>(query: "")

    public init() {}

    /// The partners on screen (the window; the store applied the search).
    public var visible: [PartnerCard] { list.rows }

    /// The partner under the cursor.
    public var cursor: Int64? {
        get { list.cursor }
        set { list.cursor = newValue }
    }
}

/// One review `u` can undo: the messages and where they were, to put them back.
public struct UndoEntry: Sendable, Hashable {
    public var messageIds: [Int64]
    /// The Failed pane cards removed, with their former index.
    public var failedCards: [PlacedMessage]
    /// The open thread's failed cards removed, with their former index.
    public var threadCards: [PlacedMessage]
    /// needs_action of history messages before the review.
    public var historyNeedsAction: [Int64: Bool]
    /// Failed badges of the thread list before the review (thread id → count).
    public var threadBadges: [Int64: Int]
    /// The Failed counter before the review.
    public var failedCount: Int?
    /// Where the cursors stood.
    public var failedCursor: Int64?
    public var chatterCursor: ChatterItem?

    public init(
        messageIds: [Int64], failedCards: [PlacedMessage], threadCards: [PlacedMessage],
        historyNeedsAction: [Int64: Bool], threadBadges: [Int64: Int], failedCount: Int?, failedCursor: Int64?,
        chatterCursor: ChatterItem?
    ) {
        self.messageIds = messageIds
        self.failedCards = failedCards
        self.threadCards = threadCards
        self.historyNeedsAction = historyNeedsAction
        self.threadBadges = threadBadges
        self.failedCount = failedCount
        self.failedCursor = failedCursor
        self.chatterCursor = chatterCursor
    }
}

/// A message and the index it had in its list.
public struct PlacedMessage: Sendable, Hashable {
    public var index: Int
    public var message: MessageView

    public init(index: Int, message: MessageView) {
        self.index = index
        self.message = message
    }
}

/// The bottom line's notice.
public struct StatusLine: Sendable, Hashable {
    public var text: String
    public var isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// Case-insensitive containment, the rule of every search and find.
func matches(_ text: String, _ query: String) -> Bool {
    query.isEmpty || text.range(of: query, options: .caseInsensitive) != nil
}
