import ArgumentParser
import Foundation
import TrackingStore

/// The Groups view's first frame: the store's failure-groups query (what the
/// Groups view and `chatter failed --group-by cause,domain` load) against the
/// same statement through the C API.
struct GroupsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups", abstract: "The failure-groups query: ours vs the same SQL through the C API.")

    @Option var db: String
    @Option var user: String
    /// Fewer runs than `queries`: one run reads every failed row of the mailbox.
    @Option var runs: Int = 20
    /// The p95 a first frame should stay under.
    @Option var budgetMs: Double = 100

    func run() throws {
        let stores = try BenchStores(path: db)
        let store = stores.store
        let base = try CBaseline(path: db, cacheMiB: 2)
        guard let me = try store.findUser(email: user) else { throw BenchError("no user \(user)") }
        let groups = try store.failureGroups(for: me.id)
        let rows = groups.reduce(0) { $0 + $1.count }
        try compareReads(
            "groups_first_frame", runs: runs, budget: budgetMs / 1000, base: base, stores: stores,
            extra: [("groups", groups.count), ("failed_recipients", rows)]
        ) { _ = try $0.failureGroups(for: me.id) }
    }
}
