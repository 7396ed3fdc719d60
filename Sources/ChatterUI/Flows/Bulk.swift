import TrackingModel

/// What a bulk action applies to, resolved by the store when it runs (so a
/// group or a whole filtered list need not be loaded on screen).
public enum BulkTarget: Sendable, Hashable {
    /// Every message of a Failed list: the whole mailbox, a group, a search.
    case failedList(FailedQuery)
    /// These messages (a selection).
    case messages([Int64])
    /// Every failed message of these threads.
    case threads([ThreadRef])
}

/// A bulk action.
public enum BulkAction: Sendable, Hashable {
    /// Set as reviewed, in one transaction (undone whole with `u`).
    case review
    /// Retry every failed recipient of a group, with the per-recipient checks of Retry.
    case retry
}

/// The dry run of a bulk action: what it would do.
public struct BulkSummary: Sendable, Hashable {
    /// Messages it applies to.
    public var messages: Int
    /// Recipients a retry resends to.
    public var resend: Int
    /// Recipients a retry leaves out: suppressed (spam, unsubscribe), already queued, no address.
    public var suppressed: Int
    public var alreadyQueued: Int
    public var noAddress: Int

    public init(messages: Int, resend: Int = 0, suppressed: Int = 0, alreadyQueued: Int = 0, noAddress: Int = 0) {
        self.messages = messages
        self.resend = resend
        self.suppressed = suppressed
        self.alreadyQueued = alreadyQueued
        self.noAddress = noAddress
    }

    /// The counts of retrying these plans' recipients as Retry would (nobody named).
    public init(plans: [RetryPlan]) {
        self.init(messages: plans.count)
        for r in plans.flatMap(\.recipients) {
            switch r.verdict {
            case .send, .warn: resend += 1
            case .unticked: suppressed += 1
            case .skip:
                if r.skipReasons.contains(.alreadyQueued) { alreadyQueued += 1 } else { noAddress += 1 }
            }
        }
    }

    /// "resend 212 · skip 9 suppressed · 3 already queued", or "212 messages".
    func text(_ action: BulkAction, _ g: Glyphs) -> String {
        switch action {
        case .review: return "set \(plural(messages, "message")) as reviewed"
        case .retry:
            var parts = ["resend \(resend)"]
            if suppressed > 0 { parts.append("skip \(suppressed) suppressed") }
            if alreadyQueued > 0 { parts.append("\(alreadyQueued) already queued") }
            if noAddress > 0 { parts.append("\(noAddress) without address") }
            return parts.joined(separator: " \(g.dot) ") + " (\(plural(messages, "message")))"
        }
    }
}

/// The confirmation popup of a bulk action: the counts, then Enter does it.
public struct BulkPreview: Sendable, Hashable {
    public var action: BulkAction
    public var target: BulkTarget
    /// What the target is, in words ("group blocked/outlook.com").
    public var label: String
    /// The dry run, nil while it loads.
    public var summary: BulkSummary?

    public init(action: BulkAction, target: BulkTarget, label: String, summary: BulkSummary? = nil) {
        self.action = action
        self.target = target
        self.label = label
        self.summary = summary
    }
}

/// Opens the preview of a bulk action and asks the store for its dry run.
func previewBulk(_ state: inout AppState, _ action: BulkAction, _ target: BulkTarget, label: String) -> [Effect] {
    state.overlay = .bulk(BulkPreview(action: action, target: target, label: label))
    return [.previewBulk(action, target)]
}

/// The dry run arrived (dropped when the popup closed or shows another target).
func applyBulkPreview(_ state: inout AppState, _ action: BulkAction, _ target: BulkTarget, _ summary: BulkSummary) {
    guard case .bulk(var preview) = state.overlay, preview.action == action, preview.target == target else { return }
    preview.summary = summary
    state.overlay = .bulk(preview)
}

/// Enter in the preview: the one action.
func confirmBulk(_ state: inout AppState, _ preview: BulkPreview) -> [Effect] {
    guard let summary = preview.summary else {
        state.status = StatusLine("Still counting" + Glyphs(ascii: state.display.ascii).ellipsis)
        return []
    }
    guard summary.messages > 0 else {
        state.overlay = nil
        state.status = StatusLine("Nothing to do: no failed message there any more")
        return []
    }
    state.overlay = nil
    state.status = StatusLine(preview.action == .review ? "Setting as reviewed" + Glyphs(ascii: state.display.ascii).ellipsis : "Resending" + Glyphs(ascii: state.display.ascii).ellipsis)
    return [.runBulk(preview.action, preview.target)]
}

/// The store did a bulk action: a review is undone whole by `u`; the
/// messages leave the lists on screen at once.
func applyBulkDone(_ state: inout AppState, _ action: BulkAction, _ ids: [Int64], _ summary: BulkSummary) {
    state.selection.subtract(ids)
    state.selectAll = false
    state.threadSelection = []
    let undoKey = state.keymap.keys(for: .undo, in: state.keyContext).first?.label(ascii: state.display.ascii)
    switch action {
    case .review:
        guard !ids.isEmpty else {
            state.status = StatusLine("Nothing to review: no failed message there any more")
            return
        }
        let known = knownMessages(state)
        var entry = removeFailed(&state, ids.compactMap { known[$0] })
        entry.messageIds = ids
        // Written already: nothing is pending, the next count is the store's.
        state.pendingReview.subtract(ids)
        applyFailedCounter(&state)
        state.undoStack.append(entry)
        if state.undoStack.count > undoDepth { state.undoStack.removeFirst(state.undoStack.count - undoDepth) }
        state.status = StatusLine(
            "Set \(plural(ids.count, "message")) as reviewed" + (undoKey.map { " (\($0) undoes all of them)" } ?? ""))
    case .retry:
        let g = Glyphs(ascii: state.display.ascii)
        state.status = StatusLine(
            "Resent to \(plural(summary.resend, "recipient")) of \(plural(ids.count, "message"))"
                + (summary.suppressed > 0 ? " \(g.dot) \(summary.suppressed) suppressed left failed" : ""))
    }
}
