import TrackingModel

// The popups and the one-line prompt: what is open over the main window.

/// A popup over the main window.
public enum Overlay: Sendable, Hashable {
    /// The help screen, scrolled by this many lines.
    case help(scroll: Int)
    /// A recipient's status and event timeline.
    case markerDetail(MarkerDetail)
    /// The resend dialog.
    case retry(RetryDialog)
    /// The counts of a bulk review or retry, before the one action.
    case bulk(BulkPreview)
}

/// The resend dialog: the failed recipients of one or more messages, each ticked
/// unless it would be skipped, with the store's checks once they are loaded.
public struct RetryDialog: Sendable, Hashable {
    public var items: [RetryItem]
    public var cursor = 0
    /// The messages the dialog is about (the checks are loaded for them).
    public var messageIds: [Int64]
    /// True while the checks are being loaded.
    public var loading: Bool
    /// Each message's subject (or thread name), heading its recipients when several are retried.
    public var messageTitles: [Int64: String] = [:]
    /// Rows whose partner's address was just fixed with `e`: shown with the new address.
    public var fixed: Set<Int64> = []

    public init(items: [RetryItem], messageIds: [Int64]? = nil, loading: Bool = false) {
        self.items = items
        var seen = Set<Int64>()
        self.messageIds = messageIds ?? items.map(\.messageId).filter { seen.insert($0).inserted }
        self.loading = loading
    }

    /// The live dry-run count for the current ticks.
    public var count: RetryCount {
        var c = RetryCount()
        for item in items { c.add(item.verdict, ticked: item.ticked) }
        return c
    }
}

/// A one-line input prompt.
public struct Prompt: Sendable, Hashable {
    /// What confirming the prompt does.
    public enum Purpose: Sendable, Hashable {
        /// Search in the list of this context.
        case search(KeyContext)
        /// A partner's new address (`e` on a failed recipient), then Retry.
        case fixAddress(AddressFix)
    }

    public var purpose: Purpose
    public var text: String
    /// The search history entry shown (Up / Down), counted back from the newest; nil while typing.
    public var recall: Int?
    /// Why the last Enter was refused (a broken address); cleared by typing.
    public var error: String?

    public init(purpose: Purpose, text: String, error: String? = nil) {
        self.purpose = purpose
        self.text = text
        self.error = error
    }
}
