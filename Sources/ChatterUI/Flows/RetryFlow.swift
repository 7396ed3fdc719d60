import TrackingModel

// The Retry dialog's flow: open it from what is on screen, load the store's
// checks (the dry run) in the background, merge them in, confirm.

/// Opens the resend dialog with the failed recipients of the target messages
/// (ticked unless they would be skipped) and asks the store for the checks.
func openRetry(_ state: inout AppState) -> [Effect] {
    guard state.overlay == nil else { return [] }
    let dialog = retryDialog(state, messages: targetMessages(state))
    guard !dialog.items.isEmpty else {
        state.status = StatusLine("Nothing to retry: no failed recipient under the cursor or selected")
        return []
    }
    state.overlay = .retry(dialog)
    return [.loadRetryPlans(messageIds: dialog.messageIds)]
}

/// A resend dialog for messages as the screen holds them: their failed
/// recipients, ticked unless they would be skipped, checks still to load.
func retryDialog(_ state: AppState, messages: [MessageView]) -> RetryDialog {
    var items: [RetryItem] = []
    for message in messages {
        for r in message.failedRecipients {
            guard let trackingId = r.trackingId else { continue }
            var item = RetryItem(
                messageId: message.id, trackingId: trackingId, name: r.name, marker: r.marker,
                error: r.errorDescription ?? r.statusText, cause: r.cause)
            item.address = r.address
            item.partnerId = r.partnerId
            item.ticked = item.verdict != .skip
            items.append(item)
        }
    }
    var dialog = RetryDialog(items: items, loading: true)
    for message in messages {
        dialog.messageTitles[message.id] = message.subject.isEmpty ? message.threadName : message.subject
    }
    return dialog
}

/// Merges the store's checks into the open dialog. The plans are the truth about
/// which recipients are failed now: rows that are no longer failed leave, rows
/// failed since the screen was loaded come in. A row that would be skipped is
/// or is suppressed by a spam complaint or unsubscribe is unticked; the user's
/// other ticks are kept. Plans for another dialog are dropped.
func applyRetryPlans(_ state: inout AppState, _ plans: [RetryPlan]) {
    guard case .retry(var dialog) = state.overlay, !dialog.items.isEmpty,
        Set(plans.map(\.messageId)) == Set(dialog.messageIds)
    else { return }
    let before = Dictionary(dialog.items.map { ($0.trackingId, $0) }, uniquingKeysWith: { a, _ in a })
    let cursorId = dialog.items.indices.contains(dialog.cursor) ? dialog.items[dialog.cursor].trackingId : nil
    let order = Dictionary(dialog.messageIds.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    var items: [RetryItem] = []
    for plan in plans.sorted(by: { order[$0.messageId, default: 0] < order[$1.messageId, default: 0] }) {
        for r in plan.recipients.map(\.cleaned) {
            let old = before[r.trackingId]
            var item = RetryItem(
                messageId: plan.messageId, trackingId: r.trackingId, name: old?.name ?? r.name,
                marker: Marker.forTracking(state: r.state, errorType: r.errorType),
                error: r.errorDescription ?? old?.error ?? humanStateName(r.state), check: r,
                cause: r.cause ?? old?.cause)
            item.address = r.address ?? old?.address
            item.partnerId = old?.partnerId ?? r.partnerId
            // Unticked (suppressed by the person) and skipped rows start unticked whatever
            // the tick before the checks came; the user's ticks on the others are kept.
            item.ticked = item.verdict.ticksByDefault && (old?.ticked ?? true)
            items.append(item)
        }
    }
    guard !items.isEmpty else {
        state.overlay = nil
        state.status = StatusLine("Nothing to retry: the recipients are no longer failed")
        return
    }
    dialog.items = items
    dialog.cursor = items.firstIndex { $0.trackingId == cursorId } ?? min(dialog.cursor, items.count - 1)
    dialog.loading = false
    state.overlay = .retry(dialog)
}

/// Confirms the dialog: one resend per message to its ticked, sendable
/// recipients. The markers turn to waiting and the messages leave the failed lists at once.
func confirmRetry(_ state: inout AppState, _ dialog: RetryDialog) -> [Effect] {
    let chosen = dialog.items.filter(\.willSend)
    guard !chosen.isEmpty else {
        let skipped = dialog.items.contains { $0.ticked && $0.verdict == .skip }
        state.status = StatusLine(
            skipped
                ? "Nothing to resend: the ticked recipients are skipped (no address or already queued); Esc cancels"
                : "No recipient ticked: space ticks one, Esc cancels")
        return []
    }
    state.overlay = nil
    var byMessage: [Int64: [Int64]] = [:]
    var order: [Int64] = []
    for item in chosen {
        if byMessage[item.messageId] == nil { order.append(item.messageId) }
        byMessage[item.messageId, default: []].append(item.trackingId)
    }
    let known = knownMessages(state)
    // Only failed messages whose every failed row is resent leave the failed lists and
    // lower the counters: a partial retry keeps the message in Failed (as the store does).
    let chosenIds = Set(chosen.map(\.trackingId))
    let left = dialog.items.filter { !chosenIds.contains($0.trackingId) }
    let complete = Set(order).subtracting(left.map(\.messageId))
    let messages = order.filter(complete.contains).compactMap { known[$0] }.filter(\.isFailed)
    _ = removeFailed(&state, messages)
    markWaiting(&state, Set(chosen.map(\.trackingId)))
    state.selection.subtract(order)
    let leftText = left.isEmpty ? "" : " \(Glyphs(ascii: state.display.ascii).dot) \(left.count) left failed"
    state.status =
        state.header.sender.nothingSends
        ? StatusLine(noSenderText.prefix(1).uppercased() + noSenderText.dropFirst() + leftText, isError: true)
        : StatusLine("Resending to \(plural(chosen.count, "recipient"))" + leftText)
    return order.map { .retry(messageId: $0, trackingIds: byMessage[$0] ?? []) }
}

extension RetryRecipient {
    /// The untrusted texts cleaned for the screen.
    var cleaned: RetryRecipient {
        var r = self
        r.name = clean(name)
        r.address = address.map { clean($0) }
        r.errorType = errorType.map { clean($0) }
        r.errorDescription = errorDescription.map { clean($0) }
        r.lastEvents = lastEvents.map { e in
            var e = e
            e.source = clean(e.source)
            e.description = e.description.map { clean($0) }
            return e
        }
        return r
    }
}

/// The status once the store queued a resend: "resent 2 · 1 left failed", or
/// that nothing sends it ("queued: no sender configured; …").
func retryOutcomeText(_ state: AppState, resent: Int, leftFailed: Int) -> String {
    let dot = Glyphs(ascii: state.display.ascii).dot
    let left = leftFailed > 0 ? " \(dot) \(leftFailed) left failed" : ""
    if state.header.sender.nothingSends { return "\(resent) \(noSenderText)" + left }
    return "resent \(resent)" + left
}
