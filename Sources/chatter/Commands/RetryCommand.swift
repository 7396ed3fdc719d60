import ArgumentParser
import Foundation
import TrackingModel
import TrackingStore

/// `chatter retry`: resend to failed recipients, after showing the checks.
struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Retry a failed message: show the checks, then set rows back to waiting and queue the resend.",
        discussion: """
            Every failed recipient is checked first (address bounced or suppressed, last events, a resend \
            already queued) and gets a verdict: send, warn (sent anyway), unticked (the address reported a mail \
            as spam or unsubscribed: left out unless named with --recipient) or skip (no address, already queued). \
            Retrying some failed recipients keeps the message in Failed while others are left failed. \
            --dry-run prints the checks and the count and writes nothing. \
            --group CAUSE/DOMAIN (from `chatter failed --group-by cause,domain`) does the same for every failed \
            recipient of the group in my Failed mailbox, in one transaction, after a preview with counts.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The message id.")
    var messageId: Int64?

    @Option(name: .long, help: "Every failed recipient of this failure group (CAUSE/DOMAIN) in my Failed mailbox.")
    var group: String?

    @Option(name: .long, help: "Only this failed recipient (repeatable; default: all failed recipients).")
    var recipient: [String] = []

    @Flag(name: .long, help: "Show the checks and what would be queued; write nothing.")
    var dryRun = false

    func validate() throws {
        if (messageId == nil) == (group == nil) { throw ValidationError("give a message id or --group CAUSE/DOMAIN") }
        if group != nil, !recipient.isEmpty { throw ValidationError("--recipient goes with a message id, not --group") }
    }

    func run() throws {
        if let group { return try runGroup(try FailureGroupOutput.filter(group: group)) }
        guard let messageId else { return }
        let store = try global.openReviewStore(readOnly: dryRun)
        let selection: RetrySelection = recipient.isEmpty ? .all : .addresses(recipient)
        if dryRun {
            let plan = try store.retryPlan(messageId: messageId, selection: selection)
            // The dry run answers as the retry would: nothing to retry is the same error (exit 1).
            guard !plan.recipients.isEmpty else {
                throw StoreError.invalidInput("message \(messageId) has no failed recipients")
            }
            if global.json {
                out(JSON.object(RetryOutput.planFields(plan, dryRun: true)).text)
            } else {
                RetryOutput.printPlan(plan)
                out("dry run: " + RetryOutput.countLine(plan) + "; nothing written")
            }
            return
        }
        let me = try global.currentUser(store)
        let result = try store.retry(messageId: messageId, selection: selection, by: me.id)
        if global.json {
            out(
                JSON.object(
                    RetryOutput.planFields(
                        result.plan, dryRun: false,
                        outcome: RetryOutput.outcome(result))
                ).text)
        } else {
            RetryOutput.printPlan(result.plan)
            out("resent \(result.trackingIds.count) · \(result.leftFailed) left failed (message \(messageId))")
            if !result.skippedSuppressed.isEmpty {
                out("left out \(result.skippedSuppressed.count) suppressed recipient(s) (spam or unsubscribe); name one with --recipient to resend")
            }
            if !result.skippedNoAddress.isEmpty {
                out("skipped \(result.skippedNoAddress.count) recipient(s) without an address")
            }
            if !result.skippedAlreadyQueued.isEmpty {
                out("skipped \(result.skippedAlreadyQueued.count) recipient(s) whose resend is already queued")
            }
        }
    }
}

extension RetryCommand {
    /// `retry --group`: the per-message plans and the preview with counts, then
    /// (without `--dry-run`) one write transaction for the whole group.
    func runGroup(_ filter: FailureFilter) throws {
        let store = try global.openReviewStore(readOnly: dryRun)
        let me = try global.currentUser(store, create: !dryRun)
        let plans = try store.retryPlans(for: me.id, filter: filter)
        guard !plans.isEmpty else { throw StoreError.invalidInput("no failed messages in group \(filter)") }
        if dryRun {
            if global.json {
                out(FailureGroupOutput.retryJSON(group: filter, plans: plans, results: nil).text)
            } else {
                out("\(filter): " + FailureGroupOutput.preview(plans) + "; dry run, nothing written")
            }
            return
        }
        let results = try store.retry(filter: filter, by: me.id)
        if global.json {
            out(FailureGroupOutput.retryJSON(group: filter, plans: results.map(\.plan), results: results).text)
        } else {
            out("\(filter): " + FailureGroupOutput.preview(results.map(\.plan)))
            let queued = results.reduce(0) { $0 + $1.trackingIds.count }
            out("queued \(queued) resend(s) for \(results.count) message(s)")
        }
    }
}

/// How `chatter retry` shows a plan: the JSON fields and the human table.
enum RetryOutput {
    /// What a real retry did: `trackings`, `outbox`, `skipped_no_address`, `skipped_already_queued`.
    static func outcome(_ result: RetryResult) -> [(String, JSON)] {
        [
            ("trackings", .array(result.trackingIds.map(JSON.int))),
            ("outbox", .array(result.outboxIds.map(JSON.int))),
            ("skipped_no_address", .array(result.skippedNoAddress.map(JSON.int))),
            ("skipped_already_queued", .array(result.skippedAlreadyQueued.map(JSON.int))),
            ("skipped_suppressed", .array(result.skippedSuppressed.map(JSON.int))),
            ("left_failed", .int(Int64(result.leftFailed))),
        ]
    }

    /// `message_id`, `dry_run`, then what was done (`outcome`, after a real retry),
    /// then `recipients`, `would_queue`, `skipped`, `warnings`.
    static func planFields(_ plan: RetryPlan, dryRun: Bool, outcome: [(String, JSON)] = []) -> [(String, JSON)] {
        let count = plan.count
        return [("message_id", .int(plan.messageId)), ("dry_run", .bool(dryRun))] + outcome + [
            ("recipients", .array(plan.recipients.map(recipient))), ("would_queue", .int(Int64(count.queue))),
            ("skipped", .int(Int64(count.skip))), ("warnings", .int(Int64(count.warnings))),
        ]
    }

    static func recipient(_ r: RetryRecipient) -> JSON {
        .object([
            ("tracking_id", .int(r.trackingId)), ("name", .string(r.name)), ("address", .str(r.address)),
            ("state", .str(r.state?.rawValue)), ("verdict", .string(r.verdict.rawValue)),
            ("reasons", .array(r.reasonCodes.map(JSON.string))), ("error_type", .str(r.errorType)),
            ("error_description", .str(r.errorDescription)), ("bounced", .bool(r.bounced)),
            ("hard_failures", .int(Int64(r.hardFailures))), ("suppressed", .str(r.suppressed?.rawValue)),
            ("score", .num(r.score)), ("queued_outbox_id", .id(r.pendingOutboxId)),
            (
                "last_events",
                .array(
                    r.lastEvents.map { e in
                        .object([
                            ("type", .string(e.type.rawValue)), ("timestamp", .number(e.timestamp)),
                            ("source", .string(e.source)), ("description", .str(e.description)),
                        ])
                    })
            ),
        ] + JSONRows.cause(r.cause))
    }

    /// One line per recipient: who, verdict, error, checks, last event.
    static func printPlan(_ plan: RetryPlan) {
        var table = Table("RECIPIENT", "VERDICT", "ERROR", "CHECKS", "LAST EVENT")
        table.maxColumnWidth = 40
        for r in plan.recipients {
            let who = r.address.map { r.name == $0 ? $0 : "\(r.name) <\($0)>" } ?? r.name
            var checks = r.reasonTexts()
            if let score = r.score { checks.append("score \(Format.score(score))") }
            let last = r.lastEvents.first.map { "\($0.type.rawValue) \(Format.date($0.timestamp)) (\($0.source))" }
            table.add([
                who, r.verdict.rawValue, r.errorDescription ?? r.errorType ?? "", checks.joined(separator: ", "),
                last ?? "",
            ])
        }
        table.print()
    }

    /// "4 mail(s) would be queued, 1 skipped (no address 1), 3 warning(s)".
    static func countLine(_ plan: RetryPlan) -> String {
        let count = plan.count
        var reasons: [RetrySkipReason: Int] = [:]
        for r in plan.recipients { for s in r.skipReasons { reasons[s, default: 0] += 1 } }
        var why = RetrySkipReason.allCases.compactMap { s in reasons[s].map { "\(s.text) \($0)" } }
        let unticked = plan.recipients.filter { $0.verdict == .unticked }.count
        if unticked > 0 { why.append("suppressed \(unticked)") }
        return "\(count.queue) mail(s) would be queued, \(count.skip) skipped"
            + (why.isEmpty ? "" : " (" + why.joined(separator: ", ") + ")") + ", \(count.warnings) warning(s)"
    }
}
