import ChatterUI
import Foundation
import TrackingModel
import TrackingStore

/// Performs ChatterUI's effects against the store, off the UI thread, and posts
/// each answer to the inbox as the `Msg` the effect names.
///
/// Reads run on `readerCount` reader threads (a slow count must not hold up the
/// thread under the cursor); writes run one at a time, in the order asked, on
/// one writer thread, and each pokes the store watcher so the change is
/// reloaded at once. Both are `WorkerPool`s, started by `start` and ended by `stop`. A load that
/// has been asked for again before it started is skipped, and an answer older
/// than one already posted is dropped: only the newest answer of each kind matters.
final class EffectRunner: @unchecked Sendable {
    private let store: TrackingStore
    private let me: PartnerRef
    private let inbox: Inbox
    /// Compose queues its message as one shared mail (`--one-mail`) instead of one per recipient.
    private let sharedMail: Bool
    /// When the header's banner shows a receiver refusing our mail.
    private let banner: BannerRule
    private let afterWrite: @Sendable () -> Void
    private let reads: WorkerPool
    private let writes = WorkerPool(name: "chatter.write", threads: 1)
    private let lock = NSLock()
    private var generation: [LoadKind: Int] = [:]
    /// The newest ticket of each kind whose answer went out.
    private var posted: [LoadKind: Int] = [:]
    private var started = 0
    private var failedTallies = 0
    private let inboxCounter = InboxCounter()

    /// Loads that supersede each other.
    enum LoadKind: Hashable {
        case counts, inbox, threads, thread, older, failed, trackings, events, partners, detail, retryPlans
        /// Pages of the thread list and of the list in the right pane (one shows at a time).
        case threadsPage, mainPage, groups, bulkPreview
    }

    /// Reader threads: loads of different kinds run side by side (the store's
    /// pool has five read connections; the watcher holds its own).
    static let readerCount = 4

    init(
        store: TrackingStore, me: PartnerRef, inbox: Inbox, sharedMail: Bool = false, banner: BannerRule = BannerRule(),
        readers: Int = EffectRunner.readerCount, afterWrite: @escaping @Sendable () -> Void
    ) {
        reads = WorkerPool(name: "chatter.read", threads: readers)
        self.store = store
        self.me = me
        self.inbox = inbox
        self.sharedMail = sharedMail
        self.banner = banner
        self.afterWrite = afterWrite
    }

    /// Starts the reader and writer threads.
    func start() {
        reads.start()
        writes.start()
    }

    /// Ends the threads: loads not yet started are dropped (nobody will see
    /// them) and those running are not waited for; writes already asked for are
    /// all done before this returns, so a review made just before quitting is kept.
    func stop() {
        reads.stop(.drop, wait: false)
        writes.stop(.finish, wait: true)
    }

    /// Loads that reached the store so far (superseded ones never do).
    var loadsStarted: Int { lock.withLock { started } }

    /// Failed count queries run so far (one per reload at most).
    var failedCountQueries: Int { lock.withLock { failedTallies } }

    /// Starts one store effect. `.compose`, `.quit` and `.redrawAll` belong to the loop and are ignored here.
    func perform(_ effect: Effect) {
        switch effect {
        case .loadCounts(let pending):
            // The Failed tally is one row (and a lookup per pending review): it goes out at
            // once; the Inbox count follows apart, only when it changed. The only Failed
            // count of a reload (the Failed pane's load does not count again).
            // The outbox's pending work rides along: the header shows it beside the poller.
            loadAll(.counts) { [self, store, me] in
                lock.withLock { failedTallies += 1 }
                let tally = try store.failedTally(for: me.id, pending: pending)
                let outbox = try store.outboxPending()
                let surges = try store.refusalSurges(threshold: banner.threshold, window: banner.window)
                return [
                    .refusalsLoaded(surges.map { Refusal(domain: $0.domain, cause: $0.cause, count: $0.count, since: $0.since) }),
                    .failedCounted(FailedTally(count: tally.count, gone: Set(pending).subtracting(tally.stillFailed))),
                    .outboxLoaded(OutboxInfo(queued: outbox.queued, sending: outbox.sending, failing: outbox.failing)),
                ]
            }
            load(.inbox) { [store, me, inboxCounter] in
                guard let inbox = try inboxCounter.refresh(store, user: me.id) else { return nil }
                return .countsLoaded(MailboxCounts(inbox: inbox, failed: nil))
            }
        case .loadThreads(let query):
            load(.threads) { [self] in
                postTotal(.threads(query))
                return .threadsLoaded(
                    query, try store.threads(failedOnly: query.failedOnly, search: query.search, limit: query.limit))
            }
        case .loadThread(let id, let around): load(.thread) { [store] in
            .threadLoaded(try Self.thread(store, id: id, around: around))
        }
        case .loadFailed: load(.failed) { [store, me] in
            .failedLoaded(try store.failedMessages(for: me.id, limit: pageSize).rows, count: nil)
        }
        case .loadTrackings(let query):
            load(.trackings) { [self] in
                postTotal(.trackings(query))
                return .trackingsLoaded(query, try store.trackings(Self.filter(query), limit: query.limit))
            }
        case .loadEvents(let trackingId):
            load(.events) { [self] in
                postTotal(.events(trackingId: trackingId))
                return .eventsLoaded(
                    trackingId: trackingId, try store.events(EventFilter(trackingId: trackingId), limit: pageSize).rows)
            }
        case .loadGroups: load(.groups) { [store, me] in .groupsLoaded(try BulkRuns.groups(store, user: me.id)) }
        case .previewBulk(let action, let target): load(.bulkPreview) { [store, me] in
            try BulkRuns.preview(store, user: me.id, action, target)
        }
        case .runBulk(let action, let target): write { [store, me] in
            try BulkRuns.run(store, user: me.id, action, target)
        }
        case .loadPage(let source, let request):
            let kind: LoadKind
            switch source {
            case .threads: kind = .threadsPage
            case .failed, .trackings, .events, .partners: kind = .mainPage
            case .history: kind = .older
            }
            load(kind) { [store, me] in try ListPages.page(store, user: me.id, source, request) }
        case .loadPartners: load(.partners) { [self] in
            postTotal(.partners(search: ""))
            return .partnersLoaded(try store.partners(page: PageRequest(.top, limit: pageSize)).rows)
        }
        case .loadTrackingDetail(let id): load(.detail) { [store] in
            .trackingDetailLoaded(
                try store.tracking(id: id), try store.events(EventFilter(trackingId: id), limit: pageSize).rows)
        }
        case .review(let ids): write { [store, me] in
            _ = try store.review(.messages(ids), by: me.id)
            return .reviewDone(ids)
        }
        case .unreview(let ids): write { [store, me] in
            _ = try store.unreview(ids, by: me.id)
            return .reviewDone(ids)
        }
        case .loadRetryPlans(let messageIds): load(.retryPlans) { [store] in
            .retryPlansLoaded(try messageIds.map { try store.retryPlan(messageId: $0) })
        }
        case .retry(let messageId, let trackingIds): write { [store, me] in
            // The store re-checks inside its write: a row that became unsendable since the dialog is skipped.
            let result = try store.retry(messageId: messageId, selection: .trackings(trackingIds), by: me.id)
            return .retryQueued(messageId: messageId, trackingIds: result.trackingIds, leftFailed: result.leftFailed)
        }
        case .fixAddress(let fix, let address): write { [store, me] in
            .addressFixed(fix, try store.changePartnerEmail(id: fix.partnerId, email: address, by: me.id))
        }
        case .compose, .quit, .redrawAll:
            return
        }
    }

    /// Posts a message through the store as `me` and queues it for the sender
    /// (the compose flow), on the writer thread.
    func post(_ request: PostRequest) {
        write { [store, sharedMail] in
            .messagePosted(queued: try store.postAndQueue(request, sharedMail: sharedMail).outboxIds.count)
        }
    }

    private func load(_ kind: LoadKind, _ body: @escaping @Sendable () throws -> Msg?) {
        loadAll(kind) { try body().map { [$0] } ?? [] }
    }

    /// A load whose answer is several messages, posted together (or none when superseded).
    private func loadAll(_ kind: LoadKind, _ body: @escaping @Sendable () throws -> [Msg]) {
        let ticket: Int = lock.withLock {
            generation[kind, default: 0] += 1
            return generation[kind, default: 0]
        }
        reads.submit { [self] in
            let current = lock.withLock {
                guard generation[kind] == ticket else { return false }
                started += 1
                return true
            }
            guard current else { return }
            let msgs: [Msg]
            do { msgs = try body() } catch { msgs = [.effectFailed("\(error)")] }
            // Loads of a kind may overlap: an answer older than one already posted would show stale data.
            let fresh = lock.withLock {
                guard ticket > posted[kind, default: 0] else { return false }
                posted[kind] = ticket
                return true
            }
            if fresh { for msg in msgs { inbox.post(msg) } }
        }
    }

    /// Posts a list's count, from inside the load of its first page (a count that
    /// fails leaves the list uncounted; the page's own answer reports errors).
    private func postTotal(_ source: ListSource) {
        if let total = try? ListPages.total(store, user: me.id, source) { inbox.post(.listTotal(source, total)) }
    }

    private func write(_ body: @escaping @Sendable () throws -> Msg?) {
        writes.submit { [self] in
            let msg = Self.answer(body)
            afterWrite()
            finish(msg)
        }
    }

    /// Posts an effect's answer (a write without one still wakes the loop).
    private func finish(_ msg: Msg?) {
        if let msg { inbox.post(msg) } else { inbox.wake() }
    }

    private static func answer(_ body: () throws -> Msg?) -> Msg? {
        do {
            return try body()
        } catch {
            return .effectFailed("\(error)")
        }
    }
}

extension EffectRunner {
    /// Messages per history page. The chatter lays out every loaded message on
    /// each frame, so a thread opens with a screenful or two and older pages
    /// come as the cursor nears them (ChatterUI asks for them).
    static let historyPage = 50

    /// A thread whose history reaches `around` (Go to message, or the cursor's
    /// message on a reload): older pages are appended until it is in, or the
    /// history ends (at most 50 pages, so a vanished message cannot loop long).
    static func thread(_ store: TrackingStore, id: Int64, around: Int64?) throws -> ThreadView {
        var view = try store.thread(id: id, limit: historyPage)
        guard let around else { return view }
        var pages = 1
        while !view.history.contains(where: { $0.id == around }), let next = view.nextCursor, pages < 50 {
            let older = try store.thread(id: id, after: next, limit: historyPage)
            view.history += older.history
            view.nextCursor = older.nextCursor
            pages += 1
        }
        return view
    }

    /// The store filter of the front's tracking query: every failed state at
    /// once, one state (nil = waiting), or all.
    static func filter(_ query: TrackingQuery) -> TrackingFilter {
        let search = query.search.isEmpty ? nil : query.search
        switch query.state {
        case .all: return TrackingFilter(search: search)
        case .failed: return TrackingFilter(search: search, failedOnly: true)
        case .state(let s): return TrackingFilter(state: .some(s), search: search)
        }
    }
}
