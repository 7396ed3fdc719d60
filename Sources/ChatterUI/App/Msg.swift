import TermGrid
import TrackingModel

/// Everything that can happen to the front: keys, time, sizes, and the answers to
/// effects. The loop turns each input into a `Msg` and hands it to `update`.
public enum Msg: Sendable, Hashable {
    /// A key (or mouse event) from the terminal.
    case key(Key)
    /// The terminal's new size.
    case resize(Size)
    /// The current time (UTC epoch seconds); relative dates follow it.
    case tick(Double)
    /// Counters for the Mailboxes pane (answer to `.loadCounts`).
    case countsLoaded(MailboxCounts)
    /// The thread list for a query (answer to `.loadThreads`); dropped when the query changed since.
    case threadsLoaded(ThreadQuery, Page<ThreadSummary>)
    /// A thread's chatter (answer to `.loadThread`); dropped when another thread was opened since.
    case threadLoaded(ThreadView)
    /// The Failed counter's tally (answer to `.loadCounts`): the one count query of a reload.
    case failedCounted(FailedTally)
    /// The Failed mailbox's first cards, newest first (answer to `.loadFailed`), with
    /// the total count when the sender counted (nil: the counter follows `.failedCounted`).
    case failedLoaded([MessageView], count: Int?)
    /// The tracking emails list for a query (answer to `.loadTrackings`).
    case trackingsLoaded(TrackingQuery, Page<TrackingRow>)
    /// The events list, of one tracking row or all (answer to `.loadEvents`).
    case eventsLoaded(trackingId: Int64?, [EventRow])
    /// A page of a list (answer to `.loadPage`), with the list's count when the
    /// store counted it (the ends of a list carry it); dropped when the query changed.
    case pageLoaded(ListSource, PageRequest, ListRows, total: Int?)
    /// A list's count (kept counters or one indexed count; nil when only a
    /// scan could tell), sent beside a first page.
    case listTotal(ListSource, Int?)
    /// The receivers refusing our mail now (with the counters), for the header's banner.
    case refusalsLoaded([Refusal])
    /// The failure groups (answer to `.loadGroups`).
    case groupsLoaded([GroupRow])
    /// A bulk action's dry run (answer to `.previewBulk`); dropped when its popup closed.
    case bulkPreviewed(BulkAction, BulkTarget, BulkSummary)
    /// A bulk action done (answer to `.runBulk`): the messages it changed.
    case bulkDone(BulkAction, BulkTarget, [Int64], BulkSummary)
    /// The first page of the whole partners list (answer to `.loadPartners`).
    case partnersLoaded([PartnerCard])
    /// One tracking row and its events (answer to `.loadTrackingDetail`).
    case trackingDetailLoaded(TrackingRow, [EventRow])
    /// The store changed (any process): reload what is on screen.
    case storeChanged
    /// How the front hears of store changes (from the runtime at start and when it changes).
    case changeFeed(ChangeFeed)
    /// A poller report for the header.
    case pollerStatus(PollerInfo)
    /// An effect failed; the text is shown in the bottom line.
    case effectFailed(String)
    /// The store confirmed a review (or an unreview).
    case reviewDone([Int64])
    /// The Retry checks of the dialog's messages (answer to `.loadRetryPlans`); dropped when the dialog closed.
    case retryPlansLoaded([RetryPlan])
    /// The store queued a resend of a message to these tracking rows.
    case retryQueued(messageId: Int64, trackingIds: [Int64], leftFailed: Int = 0)
    /// The store changed a partner's address (answer to `.fixAddress`): the card as it is now.
    case addressFixed(AddressFix, PartnerCard)
    /// The outbox's pending work for the header (answer to `.loadCounts`).
    case outboxLoaded(OutboxInfo)
    /// Whether anything sends the outbox (from the runtime at start).
    case senderStatus(SenderState)
    /// A composed message was posted and queued to this many recipients.
    case messagePosted(queued: Int)
    /// The user's keys.conf could not be used entirely; the errors are shown.
    case keymapErrors([KeymapError])
}
