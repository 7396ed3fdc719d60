import Foundation

/// A thread's identity as users write it: `MODEL/KEY` (e.g. `res.partner/12`).
public struct ThreadRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public var model: String
    public var key: String

    public init(model: String, key: String) {
        self.model = model
        self.key = key
    }

    /// Parses `MODEL/KEY`; the model may not contain `/`, the key may.
    public init?(parsing text: String) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let model = String(text[..<slash])
        let key = String(text[text.index(after: slash)...])
        guard !model.isEmpty, !key.isEmpty else { return nil }
        self.init(model: model, key: key)
    }

    public var description: String { "\(model)/\(key)" }
}

/// A partner as shown beside a message or a tracking row.
public struct PartnerRef: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var email: String?

    public init(id: Int64, name: String, email: String?) {
        self.id = id
        self.name = name
        self.email = email
    }
}

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

/// One recipient entry of a message, in the reference's order, with its marker.
public struct RecipientEntry: Sendable, Hashable {
    /// Partner name, else the raw recipient.
    public var name: String
    public var address: String?
    public var partnerId: Int64?
    public var trackingId: Int64?
    /// The stored state (nil while waiting or without tracking).
    public var state: TrackingState?
    public var marker: Marker
    /// A Cc recipient (with or without tracking).
    public var cc: Bool
    public var errorType: String?
    public var errorDescription: String?
    /// Why the entry's tracking failed or is deferred (nil when it did not, or unknown).
    public var cause: FailureCause?

    public init(
        name: String, address: String?, partnerId: Int64?, trackingId: Int64?, state: TrackingState?,
        marker: Marker, cc: Bool, errorType: String? = nil, errorDescription: String? = nil,
        cause: FailureCause? = nil
    ) {
        self.name = name
        self.address = address
        self.partnerId = partnerId
        self.trackingId = trackingId
        self.state = state
        self.marker = marker
        self.cc = cc
        self.errorType = errorType
        self.errorDescription = errorDescription
        self.cause = cause
    }

    /// True when the entry's tracking row is in a failed state.
    public var isFailed: Bool { trackingId != nil && (state?.isFailed ?? false) }

    /// The reference's hover text: "Status: <name>", or the description for no_recipient.
    public var statusText: String {
        if marker == .noEmail { return errorDescription ?? noRecipientDescription }
        if trackingId == nil { return "Status: \(marker.humanName)" }
        return "Status: \(humanStateName(state))"
    }

    /// A failure on the sender side (the receiver refused us): drawn with its own marker look.
    public var refused: Bool { marker.refused(cause: cause) }
}

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

/// One thread's chatter: its failed messages, then a page of its history.
public struct ThreadView: Sendable, Hashable {
    public var thread: ThreadSummary
    /// Failed messages (needs action and a failed tracking), newest first.
    public var failed: [MessageView]
    /// History page, newest first.
    public var history: [MessageView]
    /// Cursor for the next (older) page, nil at the end.
    public var nextCursor: PageCursor?

    public init(thread: ThreadSummary, failed: [MessageView], history: [MessageView], nextCursor: PageCursor?) {
        self.thread = thread
        self.failed = failed
        self.history = history
        self.nextCursor = nextCursor
    }
}

/// A keyset position: the (time, id) of the last row of a page.
public struct PageCursor: Sendable, Hashable, Codable, CustomStringConvertible {
    public var time: Double
    public var id: Int64

    public init(time: Double, id: Int64) {
        self.time = time
        self.id = id
    }

    /// `TIME:ID`, as printed by the CLI for `--after`.
    public var description: String { "\(time):\(id)" }

    public init?(parsing text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let t = Double(parts[0]), let i = Int64(parts[1]) else { return nil }
        self.init(time: t, id: i)
    }
}

/// A page of rows and the cursor of the next one (nil when this is the last).
public struct Page<Row: Sendable & Hashable>: Sendable, Hashable {
    public var rows: [Row]
    public var next: PageCursor?

    public init(rows: [Row], next: PageCursor?) {
        self.rows = rows
        self.next = next
    }
}

/// A row of the tracking emails list.
public struct TrackingRow: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var messageId: Int64
    public var partnerId: Int64?
    public var createdAt: Double
    public var subject: String
    public var sender: String
    public var recipient: String
    public var address: String?
    public var state: TrackingState?
    public var cc: Bool
    public var errorSmtpServer: String?
    public var errorType: String?
    public var errorDescription: String?
    public var bounceType: String?
    public var bounceDescription: String?
    /// Why the row failed or is deferred: the cause of the event that decided its state.
    public var cause: FailureCause?
    /// The open-tracking pixel token (128 bits, hex) of the row's mail: the row's own,
    /// or its message's shared token when the message went as one shared mail; nil for legacy rows.
    public var token: String?

    public init(
        id: Int64, messageId: Int64, partnerId: Int64?, createdAt: Double, subject: String, sender: String,
        recipient: String, address: String?, state: TrackingState?, cc: Bool, errorSmtpServer: String?,
        errorType: String?, errorDescription: String?, bounceType: String?, bounceDescription: String?,
        token: String?, cause: FailureCause? = nil
    ) {
        self.id = id
        self.messageId = messageId
        self.partnerId = partnerId
        self.createdAt = createdAt
        self.subject = subject
        self.sender = sender
        self.recipient = recipient
        self.address = address
        self.state = state
        self.cc = cc
        self.errorSmtpServer = errorSmtpServer
        self.errorType = errorType
        self.errorDescription = errorDescription
        self.bounceType = bounceType
        self.bounceDescription = bounceDescription
        self.token = token
        self.cause = cause
    }

    public var marker: Marker { Marker.forTracking(state: state, errorType: errorType) }
    /// A failure on the sender side (the receiver refused us): drawn with its own marker look.
    public var refused: Bool { marker.refused(cause: cause) }
}

/// Optional details an event carries (README "The rules").
extension EventDetails {
    /// The `error_details` of an open recorded from a shared pixel (one mail to
    /// several recipients): the open may be any of that mail's recipients'.
    public static let sharedPixel = "shared_pixel"
}

public struct EventDetails: Sendable, Hashable, Codable {
    public var recipient: String?
    public var smtpServer: String?
    public var url: String?
    public var ip: String?
    public var userAgent: String?
    public var osFamily: String?
    public var uaFamily: String?
    public var uaType: String?
    public var mobile: Bool?
    public var country: String?
    public var errorType: String?
    public var errorDescription: String?
    public var errorDetails: String?
    public var bounceType: String?
    public var bounceDescription: String?
    /// Why a failure or deferral happened (its side follows from it); nil for other events.
    public var cause: FailureCause?

    public init(
        recipient: String? = nil, smtpServer: String? = nil, url: String? = nil, ip: String? = nil,
        userAgent: String? = nil, osFamily: String? = nil, uaFamily: String? = nil, uaType: String? = nil,
        mobile: Bool? = nil, country: String? = nil, errorType: String? = nil, errorDescription: String? = nil,
        errorDetails: String? = nil, bounceType: String? = nil, bounceDescription: String? = nil,
        cause: FailureCause? = nil
    ) {
        self.recipient = recipient
        self.smtpServer = smtpServer
        self.url = url
        self.ip = ip
        self.userAgent = userAgent
        self.osFamily = osFamily
        self.uaFamily = uaFamily
        self.uaType = uaType
        self.mobile = mobile
        self.country = country
        self.errorType = errorType
        self.errorDescription = errorDescription
        self.errorDetails = errorDetails
        self.bounceType = bounceType
        self.bounceDescription = bounceDescription
        self.cause = cause
    }
}

/// An event to apply to a tracking row. `source` + `key` identify it: applying the
/// same pair twice records it once, so ingestion can be retried safely.
public struct NewEvent: Sendable, Hashable {
    public var trackingId: Int64
    public var type: EventType
    /// UTC epoch seconds, sub-second.
    public var timestamp: Double
    public var source: String
    public var key: String
    public var machine: Bool
    public var details: EventDetails

    public init(
        trackingId: Int64, type: EventType, timestamp: Double, source: String, key: String,
        machine: Bool = false, details: EventDetails = EventDetails()
    ) {
        self.trackingId = trackingId
        self.type = type
        self.timestamp = timestamp
        self.source = source
        self.key = key
        self.machine = machine
        self.details = details
    }

    /// The facts the state rule folds.
    public var facts: EventFacts {
        EventFacts(
            type: type, order: EventOrder(timestamp: timestamp, type: type, source: source, key: key),
            machine: machine, smtpServer: details.smtpServer, errorType: details.errorType,
            errorDescription: details.errorDescription, bounceType: details.bounceType,
            bounceDescription: details.bounceDescription, cause: details.cause)
    }
}

/// A stored tracking event.
public struct EventRow: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var trackingId: Int64
    public var type: EventType
    public var timestamp: Double
    public var source: String
    public var key: String
    public var machine: Bool
    public var details: EventDetails

    public init(
        id: Int64, trackingId: Int64, type: EventType, timestamp: Double, source: String, key: String,
        machine: Bool, details: EventDetails
    ) {
        self.id = id
        self.trackingId = trackingId
        self.type = type
        self.timestamp = timestamp
        self.source = source
        self.key = key
        self.machine = machine
        self.details = details
    }
}

/// A partner card: identity, reputation and how much mail went to it.
public struct PartnerCard: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var name: String
    public var email: String?
    public var emailBounced: Bool
    public var breakdown: ScoreBreakdown

    public init(id: Int64, name: String, email: String?, emailBounced: Bool, breakdown: ScoreBreakdown) {
        self.id = id
        self.name = name
        self.email = email
        self.emailBounced = emailBounced
        self.breakdown = breakdown
    }

    public var emailScore: Double { breakdown.score }
    public var trackingCount: Int { breakdown.trackingCount }
}

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
