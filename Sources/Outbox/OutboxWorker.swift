import Foundation
import TrackingModel

/// What one drain did.
public struct DrainReport: Sendable, Hashable {
    public var sent = 0
    public var deferred = 0
    public var failed = 0
    public var possibleDuplicatesRequeued = 0
    public var confirmedSentAtStart = 0
    /// What start-up reconciliation did with each entry a dead sender left in `sending`.
    public var reconciled: [ReconcileDecision] = []

    public init() {}
}

/// The sender: claims due outbox entries one mail at a time (the attempt is
/// committed before the first byte leaves), builds the mail, hands it to the
/// transport and commits the outcomes right after the server's reply. A mail is
/// one entry, or all the due entries of a shared-mail message attempt
/// (`claimDueMail`), whose recipients' RCPT replies are recorded row by row. Run by `chatter send`
/// and, in the background, by the front, on either store. On SQLite the caller holds the
/// `SendLock`; on PostgreSQL several senders may run at once (the store keeps their claims apart).
public final class OutboxWorker {
    private let store: any OutboxRole
    private let transport: any MailTransport
    private let settings: MailSettings
    private let policy: RetryPolicy
    private let log: (String) -> Void
    private let evidence: (any DeliveryEvidence)?
    private var reconciled = false

    /// - Parameter evidence: asked about entries a dead sender left in `sending` (the local
    ///   Postfix log, see `PostfixLogEvidence`); nil: they are resent flagged possible duplicate
    ///   unless a later signal shows the server had them.
    public init(
        store: any OutboxRole, transport: any MailTransport, settings: MailSettings, policy: RetryPolicy = RetryPolicy(),
        evidence: (any DeliveryEvidence)? = nil, log: @escaping (String) -> Void = { _ in }
    ) {
        self.store = store
        self.transport = transport
        self.settings = settings
        self.policy = policy
        self.evidence = evidence
        self.log = log
    }

    /// Sends everything due now (reconciling first, once per worker), then closes the transport.
    public func drainOnce() async throws -> DrainReport {
        var report = DrainReport()
        if !reconciled {
            let r = try reconcile()
            report.possibleDuplicatesRequeued = r.requeuedPossibleDuplicates.count
            report.confirmedSentAtStart = r.confirmedSent.count
            report.reconciled = r.decisions
            reconciled = true
        }
        while true {
            let jobs = try store.claimDueMail(maxRecipients: 100)
            if jobs.isEmpty { break }
            let (outcomes, pixelURL) = await send(jobs)
            let records = try store.recordOutcomes(
                zip(jobs, outcomes).map { (job: $0, outcome: $1) }, pixelURL: pixelURL, policy: policy)
            for (job, (outcome, record)) in zip(jobs, zip(outcomes, records)) {
                switch record {
                case .sent: report.sent += 1
                case .deferred(let at):
                    report.deferred += 1
                    log("outbox \(job.id) to \(job.address ?? "?"): deferred until \(Int(at)): \(Self.text(outcome))")
                case .failed:
                    report.failed += 1
                    log("outbox \(job.id) to \(job.address ?? "?"): failed: \(Self.text(outcome))")
                case .stale: log("outbox \(job.id): no longer sending (cancelled or reconciled elsewhere)")
                }
            }
        }
        await transport.finish()
        return report
    }

    /// Settles the entries a dead sender left in `sending`: asks the evidence (when there is
    /// one and something to ask) with each attempt's envelope sender, then lets the store decide.
    private func reconcile() throws -> ReconcileReport {
        var answers: [Int64: AttemptEvidence] = [:]
        if let evidence {
            let attempts = try store.interruptedAttempts().map { attempt in
                var a = attempt
                a.envelopeFrom = (settings.fromAddress ?? a.authorEmail).flatMap {
                    MailBuilder.envelopeSender(token: a.token, trackingId: a.trackingId, fromAddress: $0)
                }
                return a
            }
            if !attempts.isEmpty {
                do {
                    answers = try evidence.evidence(for: attempts)
                } catch {
                    log("cannot read the delivery evidence (\(error)); interrupted attempts are resent flagged")
                }
            }
        }
        let report = try store.reconcileOutbox(evidence: answers)
        for d in report.decisions {
            log("outbox \(d.outboxId): the last sender stopped mid-attempt; \(d.path.text)")
        }
        return report
    }

    /// Drains, then sleeps until the next entry falls due (at most `poll` seconds), until cancelled.
    public func run(poll: Double = 2) async throws {
        while !Task.isCancelled {
            let r = try await drainOnce()
            if r.sent + r.deferred + r.failed > 0 {
                log("sent \(r.sent), deferred \(r.deferred), failed \(r.failed)")
            }
            let wait: Double
            if let due = try store.nextOutboxDue() {
                wait = min(poll, max(0.05, due - Date().timeIntervalSince1970))
            } else {
                wait = poll
            }
            try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
        }
    }

    /// Builds the one mail of the claimed jobs and delivers it: one outcome per job, in order,
    /// and the pixel URL the mail carried (nil without a pixel), for the store to keep.
    private func send(_ jobs: [OutboxJob]) async -> (outcomes: [SendOutcome], pixelURL: String?) {
        let mail: OutgoingMail
        do {
            mail = try MailBuilder.build(jobs, settings: settings)
        } catch {
            return (jobs.map { _ in .permanent(server: "chatter", errorType: "build", reply: error.description) }, nil)
        }
        let outcomes = await transport.deliver(mail)
        guard outcomes.count == jobs.count else {
            // A transport that lost count cannot say who got the mail: treat it as an unknown outcome.
            let reply = "the transport gave \(outcomes.count) outcomes for \(jobs.count) recipients"
            return (jobs.map { _ in .transient(server: "chatter", reply: reply, ambiguous: true) }, mail.pixelURL)
        }
        return (outcomes, mail.pixelURL)
    }

    private static func text(_ o: SendOutcome) -> String {
        switch o {
        case .accepted(_, _, let reply), .transient(_, let reply, _), .permanent(_, _, let reply): return reply
        }
    }
}
