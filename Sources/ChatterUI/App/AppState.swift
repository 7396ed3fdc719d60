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
