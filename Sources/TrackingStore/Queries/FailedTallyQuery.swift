import GRDB
import TrackingModel

extension TrackingStore {
    /// The Failed counter of a user and, of `pending` (messages the front took out
    /// of Failed before the store confirmed), those still in the mailbox: read in
    /// one transaction, so the front can subtract exactly the reviews the count
    /// still includes. The count is one row (`failedCount`); the check is one
    /// lookup per pending message, none when there is none.
    public func failedTally(for user: Int64, pending: [Int64]) throws(StoreError) -> (count: Int, stillFailed: Set<Int64>) {
        try read { db in
            let count = try Self.failedCount(db, user: user)
            guard !pending.isEmpty else { return (count, []) }
            let marks = Array(repeating: "?", count: pending.count).joined(separator: ",")
            let still = try Int64.fetchAll(
                db,
                sql: "SELECT id FROM messages WHERE id IN (\(marks)) AND needs_action = 1 AND failed_trackings > 0",
                arguments: StatementArguments(pending))
            return (count, Set(still))
        }
    }
}
