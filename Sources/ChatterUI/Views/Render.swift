import TermGrid
import TrackingModel

/// Draws the whole screen for a state into a grid (of the terminal's size).
/// Pure: the same state always gives the same cells.
public func render(_ state: AppState, into grid: inout Grid) {
    grid.fill(grid.bounds, style: Semantic.normal.id)
    let g = Glyphs(ascii: state.display.ascii)
    guard let layout = Layout(size: grid.size, focus: state.focus) else {
        drawTooSmall(into: &grid, g)
        return
    }
    HeaderView.draw(state, into: &grid, rect: layout.header)
    LeftColumnView.draw(state, into: &grid, layout: layout)
    if let frame = layout.main, let inner = layout.mainInner {
        drawMain(state, into: &grid, frame: frame, inner: inner, g)
    }
    FooterView.draw(state, into: &grid, rect: layout.footer)
    switch state.overlay {
    case .help(let scroll): HelpView.draw(state, scroll: scroll, into: &grid)
    case .markerDetail(let detail): MarkerDetailView.draw(state, detail, into: &grid)
    case .bulk(let preview): BulkPreviewView.draw(state, preview, into: &grid)
    case .retry(let dialog): RetryDialogView.draw(state, dialog, into: &grid)
    case nil: break
    }
}

/// The right pane's lines for the open mailbox, its title, and the line of the cursor.
func mainContent(_ state: AppState, width: Int) -> (title: [Piece], lines: [Line], cursorItem: Int?) {
    switch state.mailbox {
    case .inbox:
        return (
            ChatterView.title(state), ChatterView.lines(state, width: width),
            state.chatter.cursor == nil ? nil : state.chatter.cursorIndex
        )
    case .failed where state.failed.showGroups:
        return (
            GroupsView.title(state), GroupsView.lines(state, width: width),
            state.failed.groups.cursor == nil ? nil : state.failed.groups.cursorIndex
        )
    case .failed:
        return (
            FailedPaneView.title(state), FailedPaneView.lines(state, width: width),
            state.failed.cursor == nil ? nil : state.failed.cursorIndex
        )
    case .tracking:
        switch state.tracking.tab {
        case .emails:
            return (
                TrackingListView.title(state), TrackingListView.lines(state, width: width),
                state.tracking.emails.cursor == nil ? nil : state.tracking.emails.cursorIndex
            )
        case .events:
            return (
                TrackingListView.title(state), EventsListView.lines(state, width: width),
                state.tracking.events.cursor == nil ? nil : state.tracking.events.cursorIndex
            )
        }
    case .partners:
        var title = [Piece("Partners")]
        let p = state.partners.list
        if !p.query.isEmpty { title.append(Piece(" · search: \(p.query)", .muted)) }
        return (title, PartnersView.lines(state, width: width), p.cursor == nil ? nil : p.cursorIndex)
    }
}

/// The first visible line of the right pane (shared with mouse hit-testing).
func mainOffset(_ lines: [Line], cursorItem: Int?, height: Int) -> Int {
    let cursorLine = cursorItem.flatMap { item in lines.firstIndex { $0.item == item } }
    return scrollOffset(cursorLine: cursorLine, total: lines.count, height: height)
}

private func drawMain(_ state: AppState, into grid: inout Grid, frame: Rect, inner: Rect, _ g: Glyphs) {
    let content = mainContent(state, width: inner.width)
    grid.box(frame, title: content.title, note: LeftColumnView.filterNote(state), focused: state.focus == .main, g)
    var listRect = inner
    if state.mailbox == .partners {
        let footer = PartnersView.breakdown(state, width: inner.width)
        if !footer.isEmpty && inner.height > 4 {
            let (top, bottom) = inner.splitBottom(footer.count + 1)
            listRect = top
            grid.draw(footer, in: bottom.inset(top: 1, left: 0, bottom: 0, right: 0), offset: 0, g)
        }
    }
    let offset = mainOffset(content.lines, cursorItem: content.cursorItem, height: listRect.height)
    grid.draw(content.lines, in: listRect, offset: offset, g)
    grid.bottomNote(frame, mainPosition(state), g)
}

/// The right pane's "37 / 4,340".
private func mainPosition(_ state: AppState) -> String? {
    switch state.mailbox {
    case .inbox: return ChatterView.position(state)
    case .failed where state.failed.showGroups: return ListPosition.text(state.failed.groups)
    case .failed: return ListPosition.text(state.failed.list)
    case .tracking:
        switch state.tracking.tab {
        case .emails: return ListPosition.text(state.tracking.emails)
        case .events:
            let shown = state.tracking.visibleEvents.count
            return ListPosition.text(state.tracking.events, shown: state.tracking.eventType == nil ? nil : shown)
        }
    case .partners: return ListPosition.text(state.partners.list)
    }
}

private func drawTooSmall(into grid: inout Grid, _ g: Glyphs) {
    let rect = grid.bounds
    guard !rect.isEmpty else { return }
    let min = Layout.minimum
    let lines = ["terminal too small", "need \(min.width)x\(min.height), have \(grid.size.width)x\(grid.size.height)"]
    let top = max(0, (rect.height - lines.count) / 2)
    for (i, line) in lines.enumerated() {
        let x = max(0, (rect.width - DisplayWidth.of(line)) / 2)
        grid.text(line, x: x, y: top + i, width: rect.width - x, i == 0 ? .warning : .muted, g)
    }
}
