import TermGrid
import TrackingModel

/// Routes a key: Ctrl-C always quits; an open prompt takes the keys; otherwise
/// the keymap turns the key into an action for the current context. The
/// refresh key repaints the screen wherever it is pressed (even in a prompt or
/// a popup, which take the key for themselves).
func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    state.status = nil
    if case .resize(let size) = key {
        state.size = size
        return []
    }
    if state.keymap.action(for: key, in: state.keyContext) == .refresh {
        return [.redrawAll] + routeKey(&state, key)
    }
    return routeKey(&state, key)
}

/// A key other than a resize, to the mouse, the prompt or the keymap's action.
private func routeKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    if case .mouse(let event) = key {
        return handleMouse(&state, event)
    }
    if state.prompt != nil, key != .ctrl("c") {
        return handlePromptKey(&state, key)
    }
    // Popups read the generic section only: their keys mean the same everywhere.
    let context = state.overlay == nil ? state.keyContext : .generic
    guard let action = state.keymap.action(for: key, in: context) else {
        // Ctrl-C quits cleanly even when a keys.conf unbound it.
        if key == .ctrl("c") { return perform(&state, .quit) }
        return []
    }
    if state.overlay != nil && !acceptedByPopups(action) { return [] }
    return perform(&state, action)
}

/// The actions a popup takes; the others would act on what lies under it, unseen.
private func acceptedByPopups(_ action: Action) -> Bool {
    switch action {
    case .moveDown, .moveUp, .moveTop, .moveBottom, .pageDown, .pageUp, .open, .back, .close, .quit, .help, .select,
        .fixAddress:
        return true
    case .nextPane, .prevPane, .search, .nextMatch, .prevMatch, .toggleFailedFilter, .review, .retry, .undo, .detail,
        .compose, .toggleOrder, .toggleFailedSection, .nextRecipient, .prevRecipient, .cycleStateFilter, .toggleEvents,
        .refresh, .gotoInbox, .gotoFailed, .gotoTracking, .gotoPartners, .groups, .selectAll:
        return false
    }
}

/// Editing keys of the one-line prompt: type, Backspace, Enter confirms, Esc cancels.
private func handlePromptKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var prompt = state.prompt else { return [] }
    switch key {
    case .char(let c):
        prompt.text.append(c)
        prompt.text = SafeText.clean(prompt.text)
        prompt.error = nil
        state.prompt = prompt
        return []
    case .backspace, .delete, .ctrl("h"):
        if !prompt.text.isEmpty { prompt.text.removeLast() }
        prompt.error = nil
        state.prompt = prompt
        return []
    case .ctrl("u"):
        prompt.text = ""
        prompt.error = nil
        state.prompt = prompt
        return []
    case .tab:
        acceptAddressSuggestion(&prompt)
        state.prompt = prompt
        return []
    case .enter:
        state.prompt = nil
        return confirmPrompt(&state, prompt)
    case .escape, .ctrl("g"):
        state.prompt = nil
        return []
    case .up, .down:
        recall(&state, older: key == .up)
        return []
    case .ctrl, .left, .right, .home, .end, .pageUp, .pageDown, .backTab, .function,
        .mouse, .resize, .unknown:
        return []
    }
}
