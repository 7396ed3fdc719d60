import TermGrid
import TrackingModel

@testable import ChatterUI

/// A small world for update and render tests: one user, threads with CJK and
/// emoji names, a message with every marker, failed cards, tracking rows,
/// events and partners. Times are fixed around `Fixtures.now`.
enum Fixtures {
    /// 2026-11-25 10:05:00 UTC, a Wednesday.
    static let now: Double = 1_795_601_100
    static let me = PartnerRef(id: 3, name: "Mitchell Admin", email: "admin@yourcompany.example")
    static let marc = PartnerRef(id: 4, name: "Marc Demo", email: "mark.brown23@example.com")

    static func thread(_ id: Int64, _ name: String, failed: Int, ref: String, minutesAgo: Double) -> ThreadSummary {
        ThreadSummary(
            id: id, ref: ThreadRef(parsing: ref) ?? ThreadRef(model: "x", key: "\(id)"), name: name,
            failedCount: failed, messageCount: 3, lastActivity: now - minutesAgo * 60)
    }

    static let threads: [ThreadSummary] = [
        thread(1, "Azure Interior", failed: 2, ref: "res.partner/12", minutesAgo: 3),
        thread(2, "SO042", failed: 1, ref: "sale.order/42", minutesAgo: 20),
        thread(3, "Deco Addict", failed: 0, ref: "res.partner/10", minutesAgo: 60),
        thread(4, "山田商事株式会社", failed: 0, ref: "res.partner/20", minutesAgo: 120),
        thread(5, "🎉 Party planning 🎈", failed: 0, ref: "project.task/7", minutesAgo: 300),
        thread(6, "An extremely long thread name that never fits in the column", failed: 12, ref: "crm.lead/99", minutesAgo: 900),
        thread(7, "Gemini Furniture", failed: 0, ref: "res.partner/15", minutesAgo: 2000),
    ]

    static func entry(
        _ name: String, _ address: String?, tracking: Int64?, _ state: TrackingState?, _ marker: Marker,
        cc: Bool = false, errorType: String? = nil, error: String? = nil, cause: FailureCause? = nil
    ) -> RecipientEntry {
        RecipientEntry(
            name: name, address: address, partnerId: tracking == nil ? nil : (tracking ?? 0) + 5000, trackingId: tracking,
            state: state, marker: marker, cc: cc, errorType: errorType, errorDescription: error, cause: cause)
    }

    /// Every marker, in the reference's order (trackings first, then partners
    /// without tracking, then Cc and To addresses without partner).
    static let everyMarker: [RecipientEntry] = [
        entry("Azure Interior", "azure.Interior24@example.com", tracking: 1002, .opened, .opened),
        entry("Brandon Freeman", "brandon.freeman55@example.com", tracking: 1003, .sent, .sent),
        entry("Colleen Diaz", "colleen@example.com", tracking: 1004, nil, .waiting),
        entry(
            "Deco Addict", "deco.addict82@example.com", tracking: 1001, .bounced, .error,
            error: "550 5.1.1 <deco.addict82@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
            cause: .userUnknown),
        entry("田中太郎", "taro@example.jp", tracking: 1005, .delivered, .delivered, cc: true),
        entry(
            "Ready Mat", nil, tracking: 1006, .error, .noEmail, errorType: noRecipientErrorType,
            error: noRecipientDescription),
        entry("Lumber Inc", "lumber@example.com", tracking: nil, nil, .unknown),
        entry("joel@x.org", "joel@x.org", tracking: nil, nil, .cc, cc: true),
        entry("anon@y.org", "anon@y.org", tracking: nil, nil, .noPartner),
    ]

    static func message(
        _ id: Int64, thread: ThreadSummary, author: PartnerRef, minutesAgo: Double, subject: String, body: String,
        needsAction: Bool, recipients: [RecipientEntry]
    ) -> MessageView {
        MessageView(
            id: id, threadId: thread.id, thread: thread.ref, threadName: thread.name, messageId: "<\(id)@chatter.test>",
            author: author, date: now - minutesAgo * 60, subject: subject, body: body, needsAction: needsAction,
            recipients: recipients)
    }

    static let m101 = message(
        101, thread: threads[0], author: me, minutesAgo: 3, subject: "Quotation SO042",
        body: "Hello,\nPlease find attached our quotation for the new office furniture. It is valid for thirty days; tell us if anything should change.\n\nBest regards,\nMitchell",
        needsAction: true, recipients: everyMarker)
    static let m102 = message(
        102, thread: threads[0], author: marc, minutesAgo: 25, subject: "Re: delivery date",
        body: "Can we move the delivery to Friday? 👍", needsAction: false,
        recipients: [
            entry("Mitchell Admin", "admin@yourcompany.example", tracking: 1010, .delivered, .delivered),
            entry("Ana 👩‍💻 Lopez", "ana@example.com", tracking: 1011, .opened, .opened),
        ])
    static let m104 = message(
        104, thread: threads[0], author: me, minutesAgo: 300, subject: "Invoice INV/2026/0007",
        body: "Your invoice is attached.", needsAction: true,
        recipients: [
            entry(
                "Wood Corner", "wood.corner26@example.com", tracking: 1020, .error, .error,
                error: "Connection refused by mx.woodcorner.example:25", cause: .network),
            entry("Azure Interior", "azure.Interior24@example.com", tracking: 1021, .delivered, .delivered),
        ])
    static let m201 = message(
        201, thread: threads[1], author: me, minutesAgo: 18, subject: "SO042 confirmed", body: "Confirmed.",
        needsAction: true,
        recipients: [
            entry(
                "Deco Addict", "deco.addict82@example.com", tracking: 1030, .spam, .error,
                error: "554 5.7.1 Message rejected as spam", cause: .spamContent),
        ])

    /// One failed message with a failure on each side that matters to a triager:
    /// the receiver refused us (our IP listed), the address does not exist, the mailbox is full.
    static let m301 = message(
        301, thread: threads[0], author: me, minutesAgo: 7, subject: "Spring catalogue",
        body: "Our new catalogue.", needsAction: true,
        recipients: [
            entry(
                "Blocked Corp", "sales@blocked.example", tracking: 1040, .softBounced, .error,
                error: "554 5.7.1 Service unavailable; client host [192.0.2.1] blocked using zen.spamhaus.org",
                cause: .blocked),
            entry(
                "Gone Person", "gone@example.org", tracking: 1041, .bounced, .error,
                error: "550 5.1.1 <gone@example.org>: User unknown", cause: .userUnknown),
            entry(
                "Full Box", "full@example.net", tracking: 1042, .softBounced, .error,
                error: "552 5.2.2 Mailbox full", cause: .mailboxFull),
            entry("Azure Interior", "azure.Interior24@example.com", tracking: 1043, .delivered, .delivered),
        ])
    static let sidesView = ThreadView(thread: threads[0], failed: [m301], history: [m301], nextCursor: nil)

    static let azureView = ThreadView(thread: threads[0], failed: [m101, m104], history: [m101, m102, m104], nextCursor: nil)

    static func tracking(
        _ id: Int64, _ recipient: String, _ address: String?, _ state: TrackingState?, minutesAgo: Double,
        subject: String = "Quotation SO042", error: String? = nil, bounce: String? = nil, server: String? = nil,
        errorType: String? = nil, cc: Bool = false, cause: FailureCause? = nil
    ) -> TrackingRow {
        TrackingRow(
            id: id, messageId: 101, partnerId: nil, createdAt: now - minutesAgo * 60, subject: subject,
            sender: "Mitchell Admin <admin@yourcompany.example>", recipient: recipient, address: address, state: state,
            cc: cc, errorSmtpServer: server, errorType: errorType, errorDescription: error, bounceType: bounce == nil ? nil : "hard",
            bounceDescription: bounce, token: "0123456789abcdef0123456789abcdef", cause: cause)
    }

    static let trackingRows: [TrackingRow] = [
        tracking(1001, "Deco Addict", "deco.addict82@example.com", .bounced, minutesAgo: 3,
                 bounce: "550 5.1.1 User unknown in virtual mailbox table", server: "mx.deco.example", cause: .userUnknown),
        tracking(1002, "Azure Interior", "azure.Interior24@example.com", .opened, minutesAgo: 3),
        tracking(1003, "Brandon Freeman", "brandon.freeman55@example.com", .sent, minutesAgo: 3),
        tracking(1004, "Colleen Diaz", "colleen@example.com", nil, minutesAgo: 3),
        tracking(1005, "田中太郎", "taro@example.jp", .delivered, minutesAgo: 3, cc: true),
        tracking(1006, "Ready Mat", nil, .error, minutesAgo: 3, error: noRecipientDescription, errorType: noRecipientErrorType),
        tracking(1007, "Wood Corner", "wood.corner26@example.com", .deferred, minutesAgo: 30, cause: .greylisted),
        tracking(1008, "Gemini Furniture", "gemini@example.com", .unsub, minutesAgo: 600, subject: "Newsletter"),
    ]

    static func event(_ id: Int64, _ tracking: Int64, _ type: EventType, secondsAgo: Double, _ details: EventDetails) -> EventRow {
        EventRow(id: id, trackingId: tracking, type: type, timestamp: now - secondsAgo, source: "postfix", key: "k\(id)",
                 machine: false, details: details)
    }

    static let decoEvents: [EventRow] = [
        event(1, 1001, .sent, secondsAgo: 175, EventDetails(recipient: "deco.addict82@example.com", smtpServer: "mail.yourcompany.example")),
        event(2, 1001, .deferral, secondsAgo: 150, EventDetails(recipient: "deco.addict82@example.com", errorDescription: "451 4.7.1 Greylisted, try again later", cause: .greylisted)),
        event(3, 1001, .hardBounce, secondsAgo: 110, EventDetails(recipient: "deco.addict82@example.com", smtpServer: "mx.deco.example", bounceType: "hard", bounceDescription: "550 5.1.1 User unknown in virtual mailbox table", cause: .userUnknown)),
    ]

    static let azureEvents: [EventRow] = [
        event(10, 1002, .sent, secondsAgo: 178, EventDetails(recipient: "azure.Interior24@example.com")),
        event(11, 1002, .delivered, secondsAgo: 170, EventDetails(recipient: "azure.Interior24@example.com", smtpServer: "mx.azure.example")),
        event(12, 1002, .open, secondsAgo: 60, EventDetails(recipient: "azure.Interior24@example.com", ip: "203.0.113.7", osFamily: "Linux", uaFamily: "Thunderbird", mobile: false, country: "BE")),
    ]

    static func partner(_ id: Int64, _ name: String, _ email: String?, bounced: Bool, _ counts: [TrackingState?: Int]) -> PartnerCard {
        PartnerCard(id: id, name: name, email: email, emailBounced: bounced, breakdown: EmailScore.compute(counts: counts))
    }

    static let partners: [PartnerCard] = [
        partner(10, "Azure Interior", "azure.Interior24@example.com", bounced: false, [.delivered: 3, .opened: 2]),
        partner(11, "Deco Addict", "deco.addict82@example.com", bounced: true, [.bounced: 1, .spam: 1, .sent: 2]),
        partner(12, "山田商事株式会社", "info@yamada.example.jp", bounced: false, [:]),
        partner(13, "Ready Mat", nil, bounced: false, [:]),
    ]

    /// The store's Retry checks for message 101: Deco Addict bounced before and
    /// suppressed (a warning, still sent), Ready Mat without address (skipped).
    static let retryPlan101 = RetryPlan(
        messageId: 101,
        recipients: [
            RetryRecipient(
                trackingId: 1001, name: "Deco Addict", address: "deco.addict82@example.com", state: .bounced,
                errorType: nil, errorDescription: "550 5.1.1 User unknown in virtual mailbox table", partnerId: 11,
                bounced: true, hardFailures: 3, score: 0, suppressed: .reject,
                lastEvents: [
                    RetryEvent(
                        type: .hardBounce, timestamp: now - 110, source: "postfix",
                        description: "550 5.1.1 User unknown in virtual mailbox table")
                ], pendingOutboxId: nil, cause: .userUnknown),
            RetryRecipient(
                trackingId: 1006, name: "Ready Mat", address: nil, state: .error, errorType: noRecipientErrorType,
                errorDescription: noRecipientDescription, partnerId: nil, bounced: false, hardFailures: 0, score: nil,
                suppressed: nil,
                lastEvents: [RetryEvent(type: .error, timestamp: now - 180, source: "post", description: noRecipientDescription)],
                pendingOutboxId: nil),
        ])

    /// A state with everything loaded: thread list, the Azure thread open with the
    /// cursor on its first failed card, counters and a live poller.
    static func loaded(size: Size = Size(width: 80, height: 24), ascii: Bool = false) -> AppState {
        var s = AppState(me: me, size: size, display: DisplayOptions(ascii: ascii, colorMode: .color256, utcOffset: 0))
        _ = update(&s, .tick(now))
        _ = update(&s, .pollerStatus(PollerInfo(state: .live, lastEventAt: now - 3, errors: 0, quarantined: 2, unmatched: 0)))
        _ = update(&s, .countsLoaded(MailboxCounts(inbox: 42, failed: 3)))
        _ = update(&s, .threadsLoaded(s.threads.query, Page(rows: threads, next: nil)))
        _ = update(&s, .key(.enter))
        _ = update(&s, .threadLoaded(azureView))
        return s
    }
}
