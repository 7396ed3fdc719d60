import ArgumentParser
import Foundation
import TrackingStore

/// Builds the store of the front's backlog figure: a demo store where every
/// tracked recipient failed, so about three quarters of its messages are in the
/// Failed mailbox (the way the tmux test of `G` in Failed builds its 100k backlog).
struct BacklogStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backlog-store", abstract: "A demo store where every tracked recipient failed.")

    @Option var db: String
    /// Messages; 135,000 gives more than 100,000 failed messages.
    @Option var size: Int = 135_000
    /// The demo's dataset (run from the repository's root).
    @Option var dataset: String = "Assets/demo/dataset.json"

    func run() throws {
        guard !FileManager.default.fileExists(atPath: db) else { throw BenchError("\(db) exists") }
        let data = try DemoDataset.load(from: Data(contentsOf: URL(fileURLWithPath: dataset)))
        var options = DemoOptions()
        options.size = size
        options.failureShare = 1
        let elapsed = try seconds { _ = try TrackingStore.buildDemo(at: db, data, options: options) }
        let store = try TrackingStore(path: db)
        guard let email = data.me.email, let me = try store.findUser(email: email) else {
            throw BenchError("the dataset's user is not in the store")
        }
        report([
            ("bench", "backlog_store"), ("messages", size), ("failed_messages", try store.failedCount(for: me.id)),
            ("seconds", elapsed),
        ])
    }
}
