/// The store's word on the Failed mailbox at one moment: its count, and which of
/// the messages the front had reviewed (or wholly resent) optimistically it no
/// longer counts.
public struct FailedTally: Sendable, Hashable {
    /// The store's Failed count for me.
    public var count: Int
    /// Optimistically reviewed messages the store has already stopped counting.
    public var gone: Set<Int64>

    /// A tally; `gone` empty: every pending review is taken as still counted.
    public init(count: Int, gone: Set<Int64> = []) {
        self.count = count
        self.gone = gone
    }
}

/// The one rule for the Failed counter: the store's count less the messages the
/// front has taken out optimistically (`pendingReview`) that the store still
/// counts. A pending message the tally knows nothing about is taken as still
/// counted (the store's write has not been seen yet); once the store's answer
/// says it is gone, it is not subtracted twice.
public func failedCounter(_ tally: FailedTally, pending: Set<Int64>) -> Int {
    max(0, tally.count - pending.subtracting(tally.gone).count)
}

/// Sets the Failed counter from the last tally and the pending reviews: the only
/// writer of `counts.failed`. Called when a tally arrives and when the user's
/// review, retry or undo changes the pending set.
func applyFailedCounter(_ state: inout AppState) {
    guard let tally = state.failedTally else { return }
    state.counts.failed = failedCounter(tally, pending: state.pendingReview)
    // The whole mailbox's list counts what the counter counts.
    if state.failed.list.query.isWhole { state.failed.list.total = state.counts.failed }
}

/// A Failed list's count as the store gave it, or the counter's for the whole mailbox.
func failedListTotal(_ state: AppState, _ query: FailedQuery, storeTotal: Int?) -> Int? {
    query.isWhole ? state.counts.failed : storeTotal
}

/// Takes a new tally from the store and sets the counter from it.
func applyFailedTally(_ state: inout AppState, _ tally: FailedTally) {
    state.failedTally = tally
    applyFailedCounter(&state)
}
