import TrackingModel

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
