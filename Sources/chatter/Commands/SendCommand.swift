import ArgumentParser
import Foundation
import Outbox
import TrackingModel
import TrackingStore

/// `chatter send`: the sender. Drains the outbox (once with `--once`, else
/// until interrupted), one sender per store (a lock file beside it).
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send the queued mail of the outbox (SMTP or sendmail).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var smtp: SMTPOptions

    @Flag(name: .long, help: "Send what is due now, then exit.")
    var once = false

    @Option(name: .long, help: "Seconds before the first retry after a temporary failure (doubles each time).")
    var firstBackoff: Double = 60

    @Option(name: .long, help: "Give up (error) on temporary failures older than this many seconds.")
    var maxAge: Double = 5 * 86400

    func run() throws {
        do { try send() } catch { throw StoreLocationChoice.cliError(error) }
    }

    /// On a store file, one sender at a time (its send lock); on PostgreSQL, as many as run,
    /// the store keeping their claims apart.
    private func send() throws {
        let store: any OutboxRole
        var lock: SendLock?
        if let postgres = try global.openPostgresStore(create: false) {
            store = postgres
        } else {
            let file = try global.openStore()
            do { lock = try SendLock(storePath: file.path) } catch { throw CLIError.usage(String(describing: error)) }
            store = file
        }
        defer { withExtendedLifetime(lock) {} }
        let file = try smtp.file()
        let worker = SendableBox(
            OutboxWorker(
                store: store, transport: try smtp.transport(file) { err("chatter send: \($0)") }, settings: smtp.mailSettings(file),
                policy: RetryPolicy(firstBackoff: firstBackoff, maxBackoff: max(firstBackoff, 3600), maxAge: maxAge),
                evidence: try smtp.deliveryEvidence(file) { err("chatter send: \($0)") },
                log: { err("chatter send: \($0)") }))
        if once {
            let r = try runBlocking { try await worker.value.drainOnce() }
            if global.json {
                out(
                    JSON.object([
                        ("sent", .int(Int64(r.sent))), ("deferred", .int(Int64(r.deferred))),
                        ("failed", .int(Int64(r.failed))),
                        ("possible_duplicates_requeued", .int(Int64(r.possibleDuplicatesRequeued))),
                        ("reconciled", .array(r.reconciled.map(Self.json))),
                    ]).text)
            } else {
                for d in r.reconciled {
                    out("reconciled outbox \(d.outboxId) (tracking \(d.trackingId)): \(d.path.text)")
                }
                out("sent \(r.sent), deferred \(r.deferred), failed \(r.failed)")
            }
        } else {
            try runBlocking { try await worker.value.run() }
        }
    }
}

extension SendCommand {
    /// One reconciliation decision: the entry, its row, the path taken (`sent_per_log`,
    /// `sent_per_later_signal`, `resent_absent_from_log`, `resent_possible_duplicate`) and the queue id found.
    static func json(_ d: ReconcileDecision) -> JSON {
        let path: String
        var queueId: String?
        switch d.path {
        case .sentPerLog(let id, _):
            path = "sent_per_log"
            queueId = id
        case .sentPerLaterSignal: path = "sent_per_later_signal"
        case .resentAbsentFromLog: path = "resent_absent_from_log"
        case .resentPossibleDuplicate: path = "resent_possible_duplicate"
        }
        return .object([
            ("outbox_id", .int(d.outboxId)), ("tracking_id", .int(d.trackingId)), ("path", .string(path)),
            ("queue_id", .str(queueId)), ("note", .string(d.path.text)),
        ])
    }
}

/// `chatter outbox`: what the sender has to do and what it did, possible duplicates first to see.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "List outbox entries, newest first (possible duplicates marked DUP?).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Only this status (queued, sending, sent, failed, cancelled).")
    var status: String?

    @Flag(name: .long, help: "Only entries flagged possible duplicate.")
    var duplicates = false

    @Option(name: .long, help: "Only this message's entries.")
    var message: Int64?

    @Option(name: .long, help: "At most this many rows.")
    var limit: Int = 100

    func run() throws {
        var filter: OutboxStatus?
        if let status {
            guard let s = OutboxStatus(rawValue: status) else { throw CLIError.usage("unknown outbox status \(status)") }
            filter = s
        }
        do { try list(filter) } catch { throw StoreLocationChoice.cliError(error) }
    }

    private func list(_ filter: OutboxStatus?) throws {
        let store: any OutboxRole
        if let postgres = try global.openPostgresStore(create: false) { store = postgres } else { store = try global.openStore(readOnly: true) }
        let rows = try store.outboxEntries(
            status: filter, possibleDuplicatesOnly: duplicates, messageId: message, limit: max(1, limit))
        if global.json {
            out(
                JSON.array(
                    rows.map {
                        .object([
                            ("id", .int($0.id)), ("message_id", .int($0.messageId)), ("tracking_id", .int($0.trackingId)),
                            ("recipient", .string($0.recipient)), ("kind", .string($0.kind.rawValue)),
                            ("status", .string($0.status.rawValue)), ("attempts", .int(Int64($0.attempts))),
                            ("queued_at", .number($0.queuedAt)), ("next_attempt_at", .number($0.nextAttemptAt)),
                            ("possible_duplicate", .bool($0.possibleDuplicate)), ("queue_id", .str($0.queueId)),
                            ("rfc_message_id", .str($0.messageIdHeader)), ("last_error", .str($0.lastError)),
                            ("shared_mail", .bool($0.sharedMail)),
                        ])
                    }
                ).text)
        } else {
            var t = Table("ID", "MSG", "RECIPIENT", "MAIL", "KIND", "STATUS", "TRIES", "QUEUE ID", "NOTE")
            for r in rows {
                t.add([
                    String(r.id), String(r.messageId), r.recipient, r.sharedMail ? "shared" : "own", r.kind.rawValue,
                    r.status.rawValue + (r.possibleDuplicate ? " DUP?" : ""), String(r.attempts), r.queueId ?? "",
                    r.lastError ?? "",
                ])
            }
            t.print()
        }
    }
}
