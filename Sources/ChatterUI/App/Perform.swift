import TrackingModel

/// Does what an action means in the current state.
func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .moveDown: return move(&state, .by(1))
    case .moveUp: return move(&state, .by(-1))
    case .moveTop: return move(&state, .top)
    case .moveBottom: return move(&state, .bottom)
    case .pageDown: return move(&state, .by(pageStep(state)))
    case .pageUp: return move(&state, .by(-pageStep(state)))
    case .nextPane: return cyclePane(&state, by: 1)
    case .prevPane: return cyclePane(&state, by: -1)
    case .open: return open(&state)
    case .back: return back(&state, quitAtTop: false)
    case .close: return back(&state, quitAtTop: true)
    case .quit:
        state.quitting = true
        return [.quit]
    case .search: return startSearch(&state)
    case .nextMatch: return jumpToMatch(&state, forward: true)
    case .prevMatch: return jumpToMatch(&state, forward: false)
    case .toggleFailedFilter:
        var query = state.threads.query
        query.failedOnly.toggle()
        state.threads.requery(query)
        return [.loadThreads(state.threads.query)]
    case .review: return bulkReview(&state) ?? review(&state)
    case .retry: return groupRetry(&state) ?? openRetry(&state)
    case .fixAddress: return startFixAddress(&state)
    case .groups: return toggleGroups(&state)
    case .selectAll: return toggleSelectAll(&state)
    case .undo: return undoReview(&state)
    case .select: return toggleSelect(&state)
    case .detail: return openDetail(&state)
    case .compose: return compose(&state)
    case .help:
        if case .help = state.overlay {
            state.overlay = nil
        } else {
            state.overlay = .help(scroll: 0)
        }
        return []
    case .toggleOrder:
        state.chatter.oldestFirst.toggle()
        reconcileChatter(&state)
        return []
    case .toggleFailedSection:
        toggleFailedSection(&state)
        return []
    case .nextRecipient: return stepRecipient(&state, by: 1)
    case .prevRecipient: return stepRecipient(&state, by: -1)
    case .cycleStateFilter where state.tracking.tab == .events:
        let cycle: [EventType?] = [nil] + EventType.allCases.map { Optional($0) }
        let index = cycle.firstIndex(of: state.tracking.eventType) ?? 0
        state.tracking.eventType = cycle[(index + 1) % cycle.count]
        reconcileEvents(&state)
        return []
    case .cycleStateFilter:
        let cycle = StateFilter.cycle
        var query = state.tracking.query
        let index = cycle.firstIndex(of: query.state) ?? 0
        query.state = cycle[(index + 1) % cycle.count]
        state.tracking.emails.requery(query)
        return [.loadTrackings(state.tracking.query)]
    case .toggleEvents:
        switch state.tracking.tab {
        case .emails:
            state.tracking.tab = .events
            state.tracking.events.loading = true
            return [trackingReload(state)]
        case .events:
            state.tracking.tab = .emails
            return [trackingReload(state)]
        }
    case .refresh: return reloadEffects(state)
    case .gotoInbox: return activate(&state, .inbox)
    case .gotoFailed: return activate(&state, .failed)
    case .gotoTracking: return activate(&state, .tracking)
    case .gotoPartners: return activate(&state, .partners)
    }
}

private func cyclePane(_ state: inout AppState, by step: Int) -> [Effect] {
    guard state.overlay == nil else { return [] }
    let all = Pane.allCases
    let index = all.firstIndex(of: state.focus) ?? 0
    state.focus = all[(index + step + all.count) % all.count]
    return []
}

/// Shows a mailbox on the right and moves the focus there.
func activate(_ state: inout AppState, _ mailbox: Mailbox) -> [Effect] {
    state.overlay = nil
    state.returnTo = nil
    state.mailbox = mailbox
    state.mailboxCursor = mailbox
    switch mailbox {
    case .inbox:
        state.focus = state.chatter.view == nil ? .threads : .main
        if let id = state.chatter.requested { return [.loadThread(id: id, around: nil)] }
        return []
    case .failed:
        state.focus = .main
        return [failedReload(state)]
    case .tracking:
        state.focus = .main
        if state.tracking.fromPartner != nil {
            // A partner's list was for that visit: back to every tracking email.
            state.tracking.fromPartner = nil
            state.tracking.emails.requery(TrackingQuery())
        }
        return [trackingReload(state)]
    case .partners:
        state.focus = .main
        return [partnersReload(state)]
    }
}

/// Opens a thread in the chatter, optionally with the cursor on one of its messages.
func openThread(_ state: inout AppState, id: Int64, message: Int64?) -> [Effect] {
    state.returnTo = nil
    let same = state.chatter.requested == id && state.chatter.view?.thread.id == id
    state.mailbox = .inbox
    state.mailboxCursor = .inbox
    state.focus = .main
    state.chatter.requested = id
    if let message {
        state.chatter.cursor = .message(message)
        state.chatter.recipient = 0
    } else if !same {
        state.chatter.cursor = nil
        state.chatter.cursorIndex = 0
        state.chatter.recipient = 0
        state.chatter.find = ""
    }
    if !same { state.chatter.view = nil }
    state.threads.select(id)
    if same, let message, state.chatter.view?.history.contains(where: { $0.id == message }) == true {
        reconcileChatter(&state)
        return []
    }
    return [.loadThread(id: id, around: message)]
}

private func open(_ state: inout AppState) -> [Effect] {
    switch state.overlay {
    case .bulk(let preview):
        return confirmBulk(&state, preview)
    case .help, .markerDetail:
        state.overlay = nil
        return []
    case .retry(let dialog):
        return confirmRetry(&state, dialog)
    case nil:
        break
    }
    switch state.focus {
    case .mailboxes:
        return activate(&state, state.mailboxCursor)
    case .threads:
        guard let id = state.threads.cursor else { return [] }
        return openThread(&state, id: id, message: nil)
    case .main:
        return openInMain(&state)
    }
}

private func openInMain(_ state: inout AppState) -> [Effect] {
    switch state.mailbox {
    case .inbox:
        switch state.chatter.cursor {
        case .failedHeader:
            toggleFailedSection(&state)
            return []
        case .failedCard(let id):
            // Go to message: the same message in the history below.
            guard let threadId = state.chatter.view?.thread.id else { return [] }
            let origin = state.returnTo
            defer { state.returnTo = origin }
            return openThread(&state, id: threadId, message: id)
        case .message:
            return openDetail(&state)
        case nil:
            return []
        }
    case .failed where state.failed.showGroups:
        return openGroup(&state)
    case .failed:
        guard let card = currentFailedCard(state) else { return [] }
        let effects = openThread(&state, id: card.threadId, message: card.id)
        state.returnTo = .failed
        return effects
    case .tracking:
        return openDetail(&state)
    case .partners:
        // A partner's tracking emails: the tracking list searched by its address.
        guard let partner = state.partners.list.current, let email = partner.email, !email.isEmpty
        else {
            state.status = StatusLine("This partner has no email address", isError: true)
            return []
        }
        _ = activate(&state, .tracking)
        state.tracking.tab = .emails
        state.tracking.emails.requery(TrackingQuery(state: .all, search: email))
        // Its newest row, with the column header in view.
        state.tracking.emails.cursor = nil
        state.tracking.emails.cursorIndex = 0
        state.tracking.fromPartner = partner.name
        return [trackingReload(state)]
    }
}

private func back(_ state: inout AppState, quitAtTop: Bool) -> [Effect] {
    if state.overlay != nil {
        state.overlay = nil
        return []
    }
    switch state.focus {
    case .main:
        if state.mailbox == .inbox, let origin = state.returnTo {
            // Back where the message was opened from, on the same card.
            return activate(&state, origin)
        }
        if let effects = leaveFailedFilter(&state) { return effects }
        if state.mailbox == .partners && !state.partners.list.query.isEmpty {
            // Esc clears the partners' search: the whole list again.
            state.partners.list.requery("")
            return [partnersReload(state)]
        }
        if state.mailbox == .failed && state.failed.showGroups { return toggleGroups(&state) }
        state.focus = state.mailbox == .inbox ? .threads : .mailboxes
        return []
    case .threads, .mailboxes:
        if quitAtTop {
            state.quitting = true
            return [.quit]
        }
        if !state.selection.isEmpty {
            state.selection = []
            return []
        }
        if !state.threads.query.search.isEmpty {
            var query = state.threads.query
            query.search = ""
            state.threads.requery(query)
            return [.loadThreads(state.threads.query)]
        }
        return []
    }
}

private func toggleFailedSection(_ state: inout AppState) {
    state.chatter.failedCollapsed.toggle()
    if state.chatter.failedCollapsed, case .failedCard = state.chatter.cursor {
        state.chatter.cursor = .failedHeader
    }
    reconcileChatter(&state)
}

private func stepRecipient(_ state: inout AppState, by step: Int) -> [Effect] {
    switch state.mailbox {
    case .inbox: state.chatter.recipient += step
    case .failed: state.failed.recipient += step
    case .tracking, .partners: return []
    }
    clampRecipient(&state)
    return []
}

/// The recipient under the cursor, in the chatter or the Failed pane.
func currentRecipient(_ state: AppState) -> RecipientEntry? {
    switch state.mailbox {
    case .inbox:
        let list = currentChatterRecipients(state)
        return list.indices.contains(state.chatter.recipient) ? list[state.chatter.recipient] : nil
    case .failed:
        let list = currentFailedCard(state)?.failedRecipients ?? []
        return list.indices.contains(state.failed.recipient) ? list[state.failed.recipient] : nil
    case .tracking, .partners:
        return nil
    }
}

/// The message of `currentRecipient`.
func currentRecipientMessage(_ state: AppState) -> MessageView? {
    switch state.mailbox {
    case .inbox: return currentChatterMessage(state)
    case .failed: return currentFailedCard(state)
    case .tracking, .partners: return nil
    }
}

private func openDetail(_ state: inout AppState) -> [Effect] {
    if state.mailbox == .tracking {
        let trackingId: Int64?
        switch state.tracking.tab {
        case .emails: trackingId = state.tracking.emails.cursor
        case .events:
            trackingId = state.tracking.events.current?.trackingId
        }
        guard let id = trackingId else { return [] }
        let row = state.tracking.emails.rows.first { $0.id == id }
        state.overlay = .markerDetail(
            MarkerDetail(
                name: row?.recipient ?? "#\(id)", marker: row?.marker ?? .waiting,
                statusText: "Status: \(humanStateName(row?.state))", trackingId: id, row: row, loading: true,
                cause: row?.cause))
        return [.loadTrackingDetail(id)]
    }
    guard let entry = currentRecipient(state) else {
        state.status = StatusLine("No recipient under the cursor (h/l choose one)")
        return []
    }
    state.overlay = .markerDetail(
        MarkerDetail(
            name: entry.name, marker: entry.marker, statusText: entry.statusText, trackingId: entry.trackingId,
            loading: entry.trackingId != nil,
            sharedPixel: entry.trackingId != nil && (currentRecipientMessage(state)?.sharedMail ?? false),
            cause: entry.cause))
    if let id = entry.trackingId { return [.loadTrackingDetail(id)] }
    return []
}

private func compose(_ state: inout AppState) -> [Effect] {
    if state.mailbox == .inbox, state.focus == .main, let view = state.chatter.view {
        return [.compose(view.thread.ref)]
    }
    if let row = state.threads.current {
        return [.compose(row.ref)]
    }
    state.status = StatusLine("Open a thread to compose in it")
    return []
}

private func toggleSelect(_ state: inout AppState) -> [Effect] {
    if case .retry(var dialog) = state.overlay {
        if dialog.items.indices.contains(dialog.cursor) { dialog.items[dialog.cursor].toggle() }
        state.overlay = .retry(dialog)
        return []
    }
    guard state.overlay == nil else { return [] }
    if state.focus == .threads {
        toggleThreadSelection(&state)
        return move(&state, .by(1))
    }
    guard state.focus == .main else { return [] }
    let id: Int64?
    switch state.mailbox {
    case .inbox: id = currentChatterMessage(state)?.id
    case .failed: id = state.failed.cursor
    case .tracking, .partners: id = nil
    }
    guard let id else { return [] }
    if state.selection.contains(id) {
        state.selection.remove(id)
    } else {
        state.selection.insert(id)
    }
    return move(&state, .by(1))
}
