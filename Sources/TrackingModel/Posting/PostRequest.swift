/// A message to post in a thread.
public struct PostRequest: Sendable {
    public var thread: ThreadRef
    /// Display name for a thread created by this post (default: `MODEL/KEY`).
    public var threadName: String?
    /// The author's partner id (the current user).
    public var authorId: Int64
    /// Raw `To` strings as typed (address lists).
    public var to: [String]
    /// Raw `Cc` strings as typed.
    public var cc: [String]
    /// Partner recipients by id (To), also partners without an address.
    public var partnerIds: [Int64]
    public var subject: String
    public var body: String
    /// Message date; default now.
    public var date: Double?
    /// False for a message recorded without being sent by us: no tracking rows,
    /// its recipients show unknown / cc / no-partner markers.
    public var tracked: Bool
    /// RFC 5322 Message-ID without brackets; generated when nil.
    public var messageId: String?

    public init(
        thread: ThreadRef, threadName: String? = nil, authorId: Int64, to: [String] = [], cc: [String] = [],
        partnerIds: [Int64] = [], subject: String, body: String, date: Double? = nil, tracked: Bool = true,
        messageId: String? = nil
    ) {
        self.thread = thread
        self.threadName = threadName
        self.authorId = authorId
        self.to = to
        self.cc = cc
        self.partnerIds = partnerIds
        self.subject = subject
        self.body = body
        self.date = date
        self.tracked = tracked
        self.messageId = messageId
    }
}

/// What posting created.
public struct PostResult: Sendable, Hashable {
    /// The message's row id.
    public var id: Int64
    /// Its RFC 5322 Message-ID.
    public var messageId: String
    public var trackings: [TrackingRow]

    public init(id: Int64, messageId: String, trackings: [TrackingRow]) {
        self.id = id
        self.messageId = messageId
        self.trackings = trackings
    }
}
