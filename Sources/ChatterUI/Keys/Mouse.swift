import TermGrid

/// Rows the mouse wheel moves.
let wheelStep = 3

/// Mouse clicks select and open; the wheel scrolls the pane under the pointer.
/// Hit-testing uses the same layout and line builders as `render`.
func handleMouse(_ state: inout AppState, _ event: MouseEvent) -> [Effect] {
    switch event.kind {
    case .release:
        return []
    case .scrollUp, .scrollDown:
        let step = event.kind == .scrollUp ? -wheelStep : wheelStep
        if state.overlay == nil, let pane = paneAt(state, x: event.x, y: event.y) { state.focus = pane }
        return move(&state, .by(step))
    case .press:
        return click(&state, x: event.x, y: event.y)
    }
}

/// The pane under a cell, if any.
private func paneAt(_ state: AppState, x: Int, y: Int) -> Pane? {
    guard let layout = Layout(size: state.size, focus: state.focus) else { return nil }
    if let r = layout.mailboxes, r.contains(x: x, y: y) { return .mailboxes }
    if let r = layout.left, r.contains(x: x, y: y) { return .threads }
    if let r = layout.main, r.contains(x: x, y: y) { return .main }
    return nil
}

private func click(_ state: inout AppState, x: Int, y: Int) -> [Effect] {
    if let overlay = state.overlay {
        return clickOverlay(&state, overlay, x: x, y: y)
    }
    guard let layout = Layout(size: state.size, focus: state.focus) else { return [] }
    if let r = layout.mailboxes, r.contains(x: x, y: y) {
        let all = Mailbox.allCases
        guard all.indices.contains(y - r.y) else { return [] }
        state.focus = .mailboxes
        return activate(&state, all[y - r.y])
    }
    if let r = layout.threads, r.contains(x: x, y: y) {
        let g = Glyphs(ascii: state.display.ascii)
        let window = LeftColumnView.threadWindow(state, width: r.width, height: r.height, g)
        let i = y - r.y
        guard window.lines.indices.contains(i), let item = window.lines[i].item, state.threads.rows.indices.contains(item)
        else {
            return []
        }
        state.focus = .threads
        return openThread(&state, id: state.threads.rows[item].id, message: nil)
    }
    if let r = layout.mainInner, r.contains(x: x, y: y) {
        let content = mainContent(state, width: r.width)
        let offset = mainOffset(content.lines, cursorItem: content.cursorItem, height: r.height)
        let i = offset + (y - r.y)
        guard content.lines.indices.contains(i), let item = content.lines[i].item else { return [] }
        let wasFocused = state.focus == .main
        state.focus = .main
        let current = content.cursorItem
        let effects = move(&state, .by(item - (current ?? 0)))
        // A click on the row under the cursor opens it, like Enter.
        if wasFocused && current == item { return effects + perform(&state, .open) }
        return effects
    }
    return []
}

private func clickOverlay(_ state: inout AppState, _ overlay: Overlay, x: Int, y: Int) -> [Effect] {
    switch overlay {
    case .help, .markerDetail, .bulk:
        state.overlay = nil
        return []
    case .retry(var dialog):
        let content = RetryDialogView.lines(state, dialog, width: RetryDialogView.popup(state.size, lineCount: 0).inner.width)
        let p = RetryDialogView.popup(state.size, lineCount: content.count)
        guard p.frame.contains(x: x, y: y) else {
            state.overlay = nil
            return []
        }
        let cursorLine = content.firstIndex { $0.item == dialog.cursor }
        let offset = scrollOffset(cursorLine: cursorLine, total: content.count, height: p.inner.height)
        let i = offset + (y - p.inner.y)
        if content.indices.contains(i), let item = content[i].item, dialog.items.indices.contains(item) {
            dialog.cursor = item
            dialog.items[item].toggle()
            state.overlay = .retry(dialog)
        }
        return []
    }
}
