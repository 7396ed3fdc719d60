/// Which notification the `bounce` daemon queued.
public enum PostfixNotificationKind: String, Sendable, Hashable, CaseIterable {
    /// `sender non-delivery notification` (a bounce to the sender).
    case nonDelivery = "sender non-delivery notification"
    /// `sender delay notification` (still retrying).
    case delay = "sender delay notification"
    /// `sender delivery status notification` (NOTIFY=SUCCESS report).
    case success = "sender delivery status notification"
    /// `postmaster non-delivery notification` (copy to the postmaster).
    case postmaster = "postmaster non-delivery notification"
}
