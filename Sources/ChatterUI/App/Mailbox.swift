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
