import Foundation
import TrackingModel
import TrackingStore

/// `--live-demo`: makes the demo store move while the front is open, so a
/// newcomer sees markers change and the Failed counter move.
///
/// Every `interval` seconds, on its own thread, it applies through the store
/// the plausible next event of one of the newest tracking rows (waiting → sent
/// → delivered → opened; now and then a hard bounce or a spam complaint, which
/// makes a new failed message), under source "demo-live" with unique keys.
/// When the newest rows have nowhere left to go it posts a fresh message in a
/// recent thread, whose recipients then start at waiting.
final class LiveDemo: @unchecked Sendable {
    private let store: TrackingStore
    private let me: PartnerRef
    private let interval: Double
    private let afterWrite: @Sendable () -> Void
    private let worker = Worker(name: "chatter.live-demo")
    /// Touched by the demo's thread only (and by a test calling `step` without starting it).
    private var rng = SystemRandomNumberGenerator()

    init(store: TrackingStore, me: PartnerRef, interval: Double = 3, afterWrite: @escaping @Sendable () -> Void) {
        self.store = store
        self.me = me
        self.interval = interval
        self.afterWrite = afterWrite
    }

    /// Starts the demo's thread: one change every `interval` seconds.
    func start() {
        worker.start { [self] worker in
            while worker.rest(interval) {
                // A failed step only skips this round: the demo is decoration, never a reason to stop the front.
                if (try? step()) == true { afterWrite() }
            }
        }
    }

    /// Ends the demo's thread and waits for it (after the change in progress, if any).
    func stop() {
        worker.stop()
    }

    /// One demo change; true when something was written.
    func step() throws -> Bool {
        let recent = try store.trackings(limit: 60).rows
        // A row whose mail waits in the outbox moves only when a sender sends it: the demo
        // never shows it sent or delivered while its entry is still queued.
        let outbox = Set(
            try store.outboxEntries(status: .queued, limit: 1000).map(\.trackingId)
                + store.outboxEntries(status: .sending, limit: 1000).map(\.trackingId))
        let movable = recent.filter {
            LiveDemo.next(after: $0.state) != nil && $0.address != nil && !outbox.contains($0.id)
        }
        guard let row = movable.randomElement(using: &rng) else { return try postFresh(recent) }
        var type = LiveDemo.next(after: row.state) ?? .sent
        let address = row.address ?? ""
        var details = EventDetails(recipient: address)
        if row.state == nil || row.state == .sent, Int.random(in: 0..<5, using: &rng) == 0 {
            let failure = LiveDemo.failures.randomElement(using: &rng) ?? LiveDemo.failures[0]
            type = failure.type
            details.smtpServer = failure.server
            details.cause = failure.cause
            switch failure.type {
            case .hardBounce, .softBounce:
                details.bounceType = failure.type == .hardBounce ? "hard" : "soft"
                details.bounceDescription = failure.text(for: address)
            case .sent, .delivered, .deferral, .open, .click, .spam, .unsub, .reject, .error, .retry:
                details.errorDescription = failure.text(for: address)
            }
        }
        let now = Date().timeIntervalSince1970
        let event = NewEvent(
            trackingId: row.id, type: type, timestamp: now, source: "demo-live",
            key: "demo-live:\(row.id):\(type.rawValue):\(UUID().uuidString)", machine: false, details: details)
        _ = try store.apply(event)
        return true
    }

    /// The event that moves a row one step along a normal life; nil when it has none left.
    static func next(after state: TrackingState?) -> EventType? {
        guard let state else { return .sent }
        switch state {
        case .deferred: return .sent
        case .sent: return .delivered
        case .delivered: return .open
        case .opened, .error, .rejected, .spam, .unsub, .bounced, .softBounced: return nil
        }
    }

    /// Posts a new message in the thread of a recent row, to that row's recipients.
    private func postFresh(_ recent: [TrackingRow]) throws -> Bool {
        guard let seed = recent.first(where: { $0.address != nil }) else { return false }
        let message = try store.message(id: seed.messageId)
        let to = Array(Set(recent.prefix(12).compactMap(\.address))).prefix(3)
        let subjects = ["Follow-up: \(message.subject)", "Re: \(message.subject)", "Updated quotation", "Delivery slot"]
        _ = try store.post(
            PostRequest(
                thread: message.thread, authorId: me.id, to: Array(to),
                subject: subjects.randomElement(using: &rng) ?? "Follow-up",
                body: "Hello,\n\nA quick follow-up on the above (live demo).\n\nBest regards"))
        return true
    }

    struct Failure {
        var type: EventType
        var text: String
        var server: String
        /// Nil for a complaint: the recipient marked it, no server refused it.
        var cause: FailureCause?

        /// The reply as a server writes it for this recipient (`<address>` where the server names it).
        func text(for address: String) -> String {
            text.replacingOccurrences(of: Failure.recipientSlot, with: "<\(address)>")
        }

        /// Where a reply names the recipient; never shown as such.
        static let recipientSlot = "<recipient>"
    }

    static let failures: [Failure] = [
        Failure(
            type: .hardBounce, text: "550 5.1.1 The email account that you tried to reach does not exist",
            server: "mx.google.com", cause: .userUnknown),
        Failure(
            type: .hardBounce, text: "550 5.1.1 \(Failure.recipientSlot): Recipient address rejected: User unknown",
            server: "mail.protection.outlook.com", cause: .userUnknown),
        Failure(
            type: .softBounce, text: "554 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org",
            server: "mx.example.net", cause: .blocked),
        Failure(
            type: .spam, text: "Complaint: the recipient marked the message as spam", server: "feedback-loop",
            cause: nil),
    ]
}
