import TrackingModel

/// Which list the Tracking mailbox shows.
public enum TrackingTab: Sendable, Hashable {
    case emails
    case events
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
