import ChatterUI
import TrackingModel

/// Runs the front's bulk actions on the store: the dry run (counts for the
/// preview) and the action itself, each resolving its target in the store so a
/// group or a whole filtered list need not be on screen. A review is one write
/// transaction; a group retry is the store's group retry (one transaction).
enum BulkRuns {
    /// The messages a target covers now, newest first.
    static func ids(_ store: any StoreReading & ReviewRole, user: Int64, _ target: BulkTarget) throws
        -> [Int64]
    {
        switch target {
        case .failedList(let q):
            return try store.failedMessageIds(
                for: user, filter: q.group.map(ListPages.filter), search: q.search.isEmpty ? nil : q.search)
        case .messages(let ids):
            return ids
        case .threads(let refs):
            return try refs.flatMap { try store.reviewPreview(.thread($0), by: user) }
        }
    }

    /// The group a retry applies to: only a whole group is retried in bulk.
    static func group(_ target: BulkTarget) throws -> FailureFilter {
        guard case .failedList(let q) = target, let group = q.group, q.search.isEmpty else {
            throw NotOneGroup()
        }
        return ListPages.filter(group)
    }

    static func preview(
        _ store: any StoreReading & ReviewRole, user: Int64, _ action: BulkAction, _ target: BulkTarget
    ) throws -> Msg {
        switch action {
        case .review:
            let pending = try store.reviewPreview(.messages(try ids(store, user: user, target)), by: user)
            return .bulkPreviewed(action, target, BulkSummary(messages: pending.count))
        case .retry:
            let plans = try store.retryPlans(for: user, filter: try group(target))
            return .bulkPreviewed(action, target, BulkSummary(plans: plans))
        }
    }

    static func run(
        _ store: any StoreReading & ReviewRole, user: Int64, _ action: BulkAction, _ target: BulkTarget
    ) throws -> Msg {
        switch action {
        case .review:
            let changed = try store.review(.messages(try ids(store, user: user, target)), by: user)
            return .bulkDone(action, target, changed, BulkSummary(messages: changed.count))
        case .retry:
            let results = try store.retry(filter: try group(target), by: user)
            var summary = BulkSummary(messages: results.count)
            for r in results {
                summary.resend += r.trackingIds.count
                summary.suppressed += r.skippedSuppressed.count
                summary.alreadyQueued += r.skippedAlreadyQueued.count
                summary.noAddress += r.skippedNoAddress.count
            }
            return .bulkDone(action, target, results.map(\.plan.messageId), summary)
        }
    }

    /// The failure groups of the Failed mailbox, as the Groups view shows them.
    static func groups(_ store: any StoreReading, user: Int64) throws -> [GroupRow] {
        try store.failureGroups(for: user, filter: FailureFilter()).map {
            GroupRow(
                key: GroupKey(cause: $0.cause.failureCause, domain: $0.domain), count: $0.count, first: $0.first,
                last: $0.last, sample: $0.sample)
        }
    }
}

/// A bulk retry asked of something other than one whole failure group.
struct NotOneGroup: Error, CustomStringConvertible {
    var description: String { "a bulk retry applies to one failure group" }
}
