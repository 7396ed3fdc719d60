import ArgumentParser
import Foundation
import TrackingModel
import TrackingStore

/// The failure-group options and output shared by `failed`, `review` and `retry`:
/// parsing `CAUSE/DOMAIN` and `--cause`/`--domain`, printing groups and group retries.
enum FailureGroupOutput {
    /// `--group CAUSE/DOMAIN` as a filter (a bad key is a usage error).
    static func filter(group: String) throws -> FailureFilter {
        do { return try FailureFilter(group: group) } catch { throw CLIError.usage(error.description) }
    }

    /// `--cause C` and/or `--domain D` as a filter; nil when neither is given.
    static func filter(cause: String?, domain: String?) throws -> FailureFilter? {
        guard cause != nil || domain != nil else { return nil }
        var c: GroupCause?
        if let cause {
            guard let parsed = GroupCause(word: cause) else {
                throw CLIError.usage("unknown cause \(cause) (a cause word such as user_unknown or blocked, or unknown)")
            }
            c = parsed
        }
        return FailureFilter(cause: c, domain: domain)
    }

    /// The side in words, the cause in words (`unknown` rows: "cause not known").
    static func words(_ cause: GroupCause) -> (side: String, cause: String) {
        switch cause {
        case .cause(let c): return (c.side.words, c.words)
        case .unknown: return ("", "cause not known")
        }
    }

    /// `cause`, `side`, `domain`, `count`, `first`, `last`, `sample`, `group`.
    static func json(_ g: FailureGroup) -> JSON {
        .object([
            ("cause", .string(g.cause.word)), ("side", .str(g.cause.failureCause?.side.rawValue)),
            ("domain", .string(g.domain)), ("count", .int(Int64(g.count))), ("first", .number(g.first)),
            ("last", .number(g.last)), ("sample", .str(g.sample)), ("group", .string(g.key)),
        ])
    }

    /// One line per group, newest activity first.
    static func print(_ groups: [FailureGroup], json asJSON: Bool) {
        if asJSON {
            out(JSON.array(groups.map(json)).text)
            return
        }
        var t = Table("SIDE", "CAUSE", "DOMAIN", "COUNT", "FIRST", "LAST", "SAMPLE", "GROUP")
        t.maxColumnWidth = 50
        for g in groups {
            let w = words(g.cause)
            t.add([
                w.side, w.cause, g.domain.isEmpty ? "(no address)" : g.domain, String(g.count), Format.date(g.first),
                Format.date(g.last), g.sample ?? "", g.key,
            ])
        }
        t.print()
    }

    /// "resend 212 · skip 9 (no address 6, already queued 3) · 4 warned (bounced or refused)"
    /// over every plan of a group.
    static func preview(_ plans: [RetryPlan]) -> String {
        var queue = 0
        var skip = 0
        var warn = 0
        var reasons: [RetrySkipReason: Int] = [:]
        for p in plans {
            let c = p.count
            queue += c.queue
            skip += c.skip
            warn += c.warnings
            for r in p.recipients { for s in r.skipReasons { reasons[s, default: 0] += 1 } }
        }
        var why = RetrySkipReason.allCases.compactMap { s in reasons[s].map { "\(s.text) \($0)" } }
        // Left out unless named: the person reported spam or unsubscribed.
        let suppressed = plans.reduce(0) { n, p in n + p.recipients.filter { $0.verdict == .unticked }.count }
        if suppressed > 0 { why.append("suppressed \(suppressed)") }
        return "resend \(queue) · skip \(skip)" + (why.isEmpty ? "" : " (" + why.joined(separator: ", ") + ")")
            + " · \(warn) warned (bounced or refused) · \(plans.count) message(s)"
    }

    /// `retry --group --json`: the group, totals, and per message the existing retry fields.
    static func retryJSON(group: FailureFilter, plans: [RetryPlan], results: [RetryResult]?) -> JSON {
        let messages: [JSON] = plans.enumerated().map { i, plan in
            guard let r = results?[i] else { return .object(RetryOutput.planFields(plan, dryRun: true)) }
            return .object(RetryOutput.planFields(plan, dryRun: false, outcome: RetryOutput.outcome(r)))
        }
        let count = plans.reduce(into: (queue: 0, skip: 0, warn: 0)) { acc, p in
            let c = p.count
            acc.queue += c.queue
            acc.skip += c.skip
            acc.warn += c.warnings
        }
        return .object([
            ("group", .string(group.description)), ("dry_run", .bool(results == nil)),
            ("would_queue", .int(Int64(count.queue))), ("skipped", .int(Int64(count.skip))),
            ("warnings", .int(Int64(count.warn))), ("messages", .array(messages)),
        ])
    }
}
