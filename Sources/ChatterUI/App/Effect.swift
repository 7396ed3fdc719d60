import TrackingModel

/// A side effect `update` asks for, as a value. The loop performs each one off the
/// UI thread and posts the answer back as a `Msg` (named beside each case); a
/// failure comes back as `Msg.effectFailed(text)`.
public enum Effect: Sendable, Hashable {
    /// Mailbox counters: the Failed tally → `Msg.failedCounted` (with which of the
    /// `pending` optimistic reviews the store no longer counts), the Inbox count →
    /// `Msg.countsLoaded`. The only Failed count query of a reload.
    case loadCounts(pending: [Int64])
    /// The thread list, newest activity first → `Msg.threadsLoaded(query, page)`.
    case loadThreads(ThreadQuery)
    /// One thread's failed messages and history → `Msg.threadLoaded`. The
    /// history runs from the newest message down; `around` names a message it
    /// must reach (Go to message, or the cursor's message on a reload).
    case loadThread(id: Int64, around: Int64?)
    /// The Failed mailbox of `me` → `Msg.failedLoaded`.
    case loadFailed
    /// The tracking emails list → `Msg.trackingsLoaded(query, page)`.
    case loadTrackings(TrackingQuery)
    /// The events list, of one tracking row or all, newest first → `Msg.eventsLoaded`.
    case loadEvents(trackingId: Int64?)
    /// A page of a list, read by keyset from either end or beside the rows on
    /// screen → `Msg.pageLoaded(source, request, rows, total)`.
    case loadPage(ListSource, PageRequest)
    /// The failure groups of my Failed mailbox → `Msg.groupsLoaded`.
    case loadGroups
    /// The dry run of a bulk action → `Msg.bulkPreviewed`.
    case previewBulk(BulkAction, BulkTarget)
    /// A bulk action, in one transaction → `Msg.bulkDone` (with the messages it changed).
    case runBulk(BulkAction, BulkTarget)
    /// The first page of the partners (by name, with their score breakdown) → `Msg.partnersLoaded`,
    /// and the list's count → `Msg.listTotal`.
    case loadPartners
    /// One tracking row and its events → `Msg.trackingDetailLoaded`.
    case loadTrackingDetail(Int64)
    /// Set messages as reviewed (needs_action = false) → `Msg.reviewDone(ids)`.
    case review([Int64])
    /// Undo a review (needs_action = true again) → `Msg.reviewDone(ids)`.
    case unreview([Int64])
    /// The Retry checks (dry run) of these messages' failed recipients → `Msg.retryPlansLoaded`.
    case loadRetryPlans(messageIds: [Int64])
    /// Resend a message to these tracking rows (they go back to waiting) → `Msg.retryQueued`.
    case retry(messageId: Int64, trackingIds: [Int64])
    /// Change a partner's address (checked, flag and score recomputed, audited) →
    /// `Msg.addressFixed`, after which the Retry dialog opens on the fixed address.
    case fixAddress(AddressFix, address: String)
    /// Open `$EDITOR` for a new message in the thread; the loop suspends the
    /// terminal, posts the message, restores the terminal and sends `.storeChanged`.
    case compose(ThreadRef)
    /// Restore the terminal and exit. `update` has set `quitting` already; the
    /// loop stops once it sees it.
    case quit
    /// Repaint the whole screen at the next frame (the refresh key: the screen
    /// may hold what another program wrote on it). Nothing comes back.
    case redrawAll
}
