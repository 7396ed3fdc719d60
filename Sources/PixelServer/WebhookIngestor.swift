import DeliverySignals
import Foundation
import TrackingModel

/// Puts an authenticated webhook's parsed batch into the store through the poller's own
/// path (`IngestApplier.apply` inside one ingest transaction: tie-back, event, unmatched
/// or quarantine), off the cooperative pool because SQLite calls block.
final class WebhookIngestor: Sendable {
    private let store: any IngestRole
    private let queue = DispatchQueue(label: "chatter.webhook.store")

    init(store: any IngestRole) { self.store = store }

    /// The counts of what the batch came to, or the store's error (nothing kept then).
    func ingest(_ batch: IngestBatch) async -> Result<PollReport, any Error> {
        let store = self.store
        return await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(
                    returning: Result(catching: {
                        try store.ingest { tx in
                            var report = PollReport()
                            try IngestApplier.apply(batch, in: tx, report: &report)
                            report.batches = 1
                            return report
                        }
                    }))
            }
        }
    }
}
