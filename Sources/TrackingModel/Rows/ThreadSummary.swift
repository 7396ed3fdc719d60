/// One line of a thread list.
public struct ThreadSummary: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var ref: ThreadRef
    public var name: String
    /// Messages of the thread that are failed (needs action and a failed tracking).
    public var failedCount: Int
    public var messageCount: Int
    public var lastActivity: Double

    public init(id: Int64, ref: ThreadRef, name: String, failedCount: Int, messageCount: Int, lastActivity: Double) {
        self.id = id
        self.ref = ref
        self.name = name
        self.failedCount = failedCount
        self.messageCount = messageCount
        self.lastActivity = lastActivity
    }
}
