import DeliverySignals
import Foundation
import TrackingModel

/// EventIngest's `QueueLinkStore` on the tracking store's `queue_links` table, inside
/// the batch transaction: links, events and the log cursor commit together.
///
/// Set `transaction` for the duration of a batch (put a `CachingQueueLinkStore` in
/// front, flushed before the commit and discarded after a failed one).
public final class StoreQueueLinks: QueueLinkStore {
    /// The open batch transaction; lookups outside a batch are an error.
    public var transaction: (any IngestSession)?

    public init() {}

    /// Raised when the link store is used outside a batch.
    public struct NoTransaction: Error, CustomStringConvertible {
        public var description: String { "queue links used outside an ingest transaction" }
    }

    public func latestLink(host: String, queueId: String) throws -> QueueLink? {
        guard let tx = transaction else { throw NoTransaction() }
        guard let stored = try tx.queueLink(host: host, queueId: queueId) else { return nil }
        // An undecodable row (written by a different build) is treated as unknown, not fatal.
        return try? JSONDecoder().decode(QueueLink.self, from: Data(stored.encoded.utf8))
    }

    public func save(_ link: QueueLink) throws {
        guard let tx = transaction else { throw NoTransaction() }
        let encoded = String(decoding: try JSONEncoder().encode(link), as: UTF8.self)
        try tx.saveQueueLink(
            StoredQueueLink(
                host: link.host, queueId: link.queueId, firstSeen: link.firstSeen, messageId: link.messageId,
                trackingId: link.trackingId, system: link.system, encoded: encoded))
    }
}
