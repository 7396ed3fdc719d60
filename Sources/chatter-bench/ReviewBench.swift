import ArgumentParser
import Foundation
import TrackingModel
import TrackingStore

/// A group review and its undo: the store's `review(.group)` and `unreview` against
/// the same statements through the C API, on a store the bench may change (a copy).
///
/// The groups are given (`--group CAUSE/DOMAIN`, repeatable) or chosen to review
/// about `--target` messages: the one group closest to it when one is within 20%,
/// otherwise the largest groups that add up to it (each reviewed as its own
/// action, as a user would, one after the other). Every run reviews, undoes,
/// then does both through the C API: an undo puts the store back, so each run
/// starts from the same state (the audit log grows). Figures are medians.
struct ReviewBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "A group review and its undo: ours vs the same SQL through the C API.")

    @Option var db: String
    @Option var user: String
    @Option var target: Int = 10_000
    @Option(name: .customLong("group")) var groups: [String] = []
    @Option var runs: Int = 3

    func run() throws {
        let stores = try BenchStores(path: db)
        let store = stores.store
        let base = try CBaseline(path: db, cacheMiB: StoreOptions().writerCacheMiB)
        guard let me = try store.findUser(email: user) else { throw BenchError("no user \(user)") }
        let filters = try groups.isEmpty ? choose(store, user: me.id) : groups.map { try FailureFilter(group: $0) }
        // One untimed pass on the traced store (also the warm-up): each group's
        // statements, the group query the C API runs, and the undo's statements.
        var reviewed: [[Int64]] = []
        var sqls: [String] = []
        for f in filters {
            sqls += try stores.capture { reviewed.append(try $0.review(.group(f), by: me.id)) }
        }
        let c = try CReview(base, actor: me.id)
        c.groupQueries = try filters.indices.map { try CReview.groupQuery(in: sqls, index: $0) }
        for ids in reviewed { sqls += try stores.capture { _ = try $0.unreview(ids, by: me.id) } }
        let counts = reviewed.map(\.count)
        let messages = counts.reduce(0, +)
        guard messages > 0 else { throw BenchError("the groups have no message to review") }
        var ours = (review: [Double](), undo: [Double]())
        var theirs = (review: [Double](), undo: [Double]())
        for _ in 0..<runs {
            var mine: [[Int64]] = []
            ours.review.append(try seconds { mine = try filters.map { try store.review(.group($0), by: me.id) } })
            let left = try store.failedCount(for: me.id)
            ours.undo.append(try seconds { for ids in mine { try store.unreview(ids, by: me.id) } })
            c.statements = 0
            var cReviewed: [[Int64]] = []
            var undone: [Int] = []
            theirs.review.append(try seconds { cReviewed = try c.groupQueries.map { try c.review($0) } })
            guard try store.failedCount(for: me.id) == left else {
                throw BenchError("the C API's review left another Failed count than ours")
            }
            theirs.undo.append(try seconds { undone = try cReviewed.map { try c.undo($0).count } })
            guard mine.map(\.count) == counts, cReviewed.map(\.count) == counts, undone == counts else {
                throw BenchError("reviewed \(mine.map(\.count)) (C API \(cReviewed.map(\.count)), undone \(undone)), first \(counts)")
            }
        }
        let o = (percentile(ours.review, 0.5), percentile(ours.undo, 0.5))
        let t = (percentile(theirs.review, 0.5), percentile(theirs.undo, 0.5))
        report([
            ("bench", "group_review"), ("groups", filters.map(\.description).joined(separator: " ")),
            ("messages", messages), ("runs", runs), ("statements_ours", sqls.filter(CReview.isStatement).count),
            ("statements_c_api", c.statements), ("ours_review_ms", o.0 * 1000), ("c_api_review_ms", t.0 * 1000),
            ("ratio_review", t.0 / o.0), ("ours_undo_ms", o.1 * 1000), ("c_api_undo_ms", t.1 * 1000),
            ("ratio_undo", t.1 / o.1),
        ])
    }

    /// The groups to review: the one closest to `target` messages if within 20%,
    /// else the largest ones adding up to it (within 10% over).
    func choose(_ store: TrackingStore, user: Int64) throws -> [FailureFilter] {
        let all = try store.failureGroups(for: user).sorted { $0.count > $1.count }
        func messages(_ g: FailureGroup) throws -> Int {
            try store.reviewPreview(.group(FailureFilter(group: g.key)), by: user).count
        }
        // A group's recipient count bounds its message count from above.
        let near = try all.filter { $0.count >= target * 4 / 5 }.map { ($0, try messages($0)) }
            .filter { $0.1 >= target * 4 / 5 && $0.1 <= target * 5 / 4 }
        if let best = near.min(by: { abs($0.1 - target) < abs($1.1 - target) }) {
            return [try FailureFilter(group: best.0.key)]
        }
        var picked: [FailureFilter] = []
        var sum = 0
        for g in all where sum < target * 9 / 10 {
            let n = try messages(g)
            guard n > 0, sum + n <= target * 11 / 10 else { continue }
            picked.append(try FailureFilter(group: g.key))
            sum += n
        }
        guard !picked.isEmpty else { throw BenchError("no failure group to review") }
        return picked
    }
}
