/// A message with its recipients, as the chatter shows it.
public struct MessageView: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var threadId: Int64
    public var thread: ThreadRef
    public var threadName: String
    /// The RFC 5322 Message-ID.
    public var messageId: String
    public var author: PartnerRef
    public var date: Double
    public var subject: String
    public var body: String
    public var needsAction: Bool
    public var recipients: [RecipientEntry]
    /// Sent as one mail to all its recipients with one shared pixel: an open
    /// may be any recipient's (one mail per recipient when false).
    public var sharedMail: Bool

    public init(
        id: Int64, threadId: Int64, thread: ThreadRef, threadName: String, messageId: String, author: PartnerRef,
        date: Double, subject: String, body: String, needsAction: Bool, recipients: [RecipientEntry],
        sharedMail: Bool = false
    ) {
        self.id = id
        self.threadId = threadId
        self.thread = thread
        self.threadName = threadName
        self.messageId = messageId
        self.author = author
        self.date = date
        self.subject = subject
        self.body = body
        self.needsAction = needsAction
        self.recipients = recipients
        self.sharedMail = sharedMail
    }

    /// Recipients whose tracking is in a failed state.
    public var failedRecipients: [RecipientEntry] { recipients.filter(\.isFailed) }

    /// A failed message: needs action and has at least one failed tracking.
    public var isFailed: Bool { needsAction && recipients.contains(where: \.isFailed) }
}
