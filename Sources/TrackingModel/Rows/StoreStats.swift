/// Counts for `chatter stats` and the front's header.
public struct StoreStats: Sendable, Hashable {
    public var partners: Int
    public var threads: Int
    public var messages: Int
    public var trackings: Int
    public var events: Int
    public var failedMessages: Int
    public var needsAction: Int
    public var trackingsByState: [TrackingState?: Int]
    public var outboxQueued: Int

    public init(
        partners: Int, threads: Int, messages: Int, trackings: Int, events: Int, failedMessages: Int,
        needsAction: Int, trackingsByState: [TrackingState?: Int], outboxQueued: Int
    ) {
        self.partners = partners
        self.threads = threads
        self.messages = messages
        self.trackings = trackings
        self.events = events
        self.failedMessages = failedMessages
        self.needsAction = needsAction
        self.trackingsByState = trackingsByState
        self.outboxQueued = outboxQueued
    }
}
