import Foundation
import TermGrid
import TrackingModel

/// A popup frame centred on the screen, its inside cleared.
struct Popup {
    var frame: Rect
    var inner: Rect

    init(screen: Size, width: Int, height: Int) {
        // Between the header and the footer, which stay visible.
        let body = Rect(size: screen).inset(top: 1, left: 0, bottom: 1, right: 0)
        frame = body.centered(width: width, height: height)
        inner = frame.inset(top: 1, left: 2, bottom: 1, right: 2)
    }

    func draw(title: [Piece], into grid: inout Grid, _ g: Glyphs) {
        grid.fill(frame, style: Semantic.popup.id)
        grid.box(frame, title: title, focused: true, g)
    }
}

/// A popup's width: `base` columns, or two thirds of a wide screen, inside a
/// one-column margin on each side.
func popupWidth(_ size: Size, base: Int) -> Int {
    min(size.width - 2, max(base, (size.width - 2) * 2 / 3))
}

/// The scroll offset of popup content, clamped to its length.
func clampedScroll(_ scroll: Int, lines: Int, height: Int) -> Int {
    min(max(0, scroll), max(0, lines - height))
}

/// Help: every action with its keys (from the one action table and the keymap in
/// force), then the marker legend.
enum HelpView {
    static func lines(_ state: AppState, width: Int) -> [Line] {
        let g = Glyphs(ascii: state.display.ascii)
        var lines: [Line] = [Line([Piece("Keys", .title)])]
        let keyWidth = min(22, max(10, width / 3))
        for spec in ActionTable.all {
            // "l → (thread, failed)": views with the same keys share one entry.
            var groups: [(names: String, contexts: [KeyContext])] = []
            for context in KeyContext.allCases {
                let own = (state.keymap.sections[context] ?? [:]).filter { $0.value == .action(spec.action) }.keys
                let names = own.sorted(by: helpOrder).map { $0.label(ascii: g.ascii) }.joined(separator: " ")
                guard !names.isEmpty else { continue }
                if let i = groups.firstIndex(where: { $0.names == names }) {
                    groups[i].contexts.append(context)
                } else {
                    groups.append((names, [context]))
                }
            }
            let keys = groups.map { group in
                group.contexts == [.generic]
                    ? group.names : group.names + " (" + group.contexts.map(\.rawValue).joined(separator: ", ") + ")"
            }
            let keyText = keys.isEmpty ? "(unbound)" : keys.joined(separator: ", ")
            lines.append(
                Line([
                    column(keyText, keyWidth, keys.isEmpty ? .muted : .key, g), Piece(spec.help, .normal),
                    Piece("  " + spec.action.rawValue, .muted),
                ]))
        }
        lines.append(.blank)
        lines.append(Line([Piece("Markers", .title), Piece(" (one per recipient, in the reference's order)", .muted)]))
        for marker in Marker.allCases {
            let glyph = g.marker(marker)
            lines.append(
                Line([
                    Piece(" "), Piece(glyph, Semantic.marker(marker)),
                    Piece(String(repeating: " ", count: max(1, 4 - DisplayWidth.of(glyph)))),
                    column(marker.humanName, 11, .normal, g), Piece(marker.explanation, .muted),
                ]))
        }
        let refused = g.marker(.error, refused: true)
        lines.append(
            Line([
                Piece(" "), Piece(refused, .markerRefused),
                Piece(String(repeating: " ", count: max(1, 4 - DisplayWidth.of(refused)))),
                column("Refused", 11, .normal, g),
                Piece("Refused by the receiver; the address is fine", .muted),
            ]))
        lines.append(Line([Piece(" "), Piece("cc", .markerCc), Piece("  after a name: a Cc recipient with its own tracking", .muted)]))
        lines.append(.blank)
        lines.append(
            Line([
                Piece("Display: ", .title),
                Piece("\(state.display.colorMode.rawValue), \(g.ascii ? "ASCII" : "Unicode") glyphs", .muted),
            ]))
        lines.append(Line([Piece("Keys file: $XDG_CONFIG_HOME/chatter/keys.conf (KEY = action per [section])", .muted)]))
        if !state.keymapErrors.isEmpty {
            lines.append(.blank)
            lines.append(Line([Piece("keys.conf lines not used (\(state.keymapErrors.count))", .title)]))
            for error in state.keymapErrors { lines.append(Line([Piece(" " + error.description, .danger)])) }
        }
        return lines
    }

    static func popup(_ size: Size) -> Popup {
        // Inside the panes' frames, never over them; wider on a wide screen.
        Popup(screen: size, width: popupWidth(size, base: 86), height: size.height - 4)
    }

    static func draw(_ state: AppState, scroll: Int, into grid: inout Grid) {
        let g = Glyphs(ascii: state.display.ascii)
        let p = popup(grid.size)
        p.draw(title: [Piece("Help")], into: &grid, g)
        let content = lines(state, width: p.inner.width)
        grid.draw(content, in: p.inner, offset: clampedScroll(scroll, lines: content.count, height: p.inner.height), g)
    }
}

/// Marker detail: the status in words, error or bounce, SMTP server and the
/// event timeline with times and details.
enum MarkerDetailView {
    static func lines(_ state: AppState, _ d: MarkerDetail, width: Int) -> [Line] {
        let g = Glyphs(ascii: state.display.ascii)
        let offset = state.display.utcOffset
        var lines = [
            Line([
                Piece(g.marker(d.marker, refused: d.refused), Semantic.marker(d.marker, refused: d.refused)),
                Piece(" " + d.statusText, .title),
            ])
        ]
        if d.sharedPixel {
            for part in DisplayWidth.wrap(SharedMailText.caveat(g), width: max(1, width)) { lines.append(Line([Piece(part, .muted)])) }
        }
        func field(_ name: String, _ value: String?, _ style: Semantic = .normal) {
            guard let value, !value.isEmpty else { return }
            let lead = name + ": "
            let wrapped = DisplayWidth.wrap(value, width: max(1, width - DisplayWidth.of(lead)))
            for (i, part) in wrapped.enumerated() {
                lines.append(
                    Line([Piece(i == 0 ? lead : String(repeating: " ", count: DisplayWidth.of(lead)), .muted), Piece(part, style)]))
            }
        }
        guard d.trackingId != nil else {
            field("Recipient", d.name)
            lines.append(.blank)
            lines.append(Line([Piece(d.marker.explanation, .muted)]))
            lines.append(Line([Piece("No tracking email: there is no event to show.", .muted)]))
            return lines
        }
        if let row = d.row {
            field("Recipient", row.address.map { row.recipient.contains($0) ? row.recipient : "\(row.recipient) <\($0)>" } ?? row.recipient)
            field("Subject", row.subject)
            // The ids the CLI takes (retry MESSAGE_ID, partner set-email ID).
            field("Ids", "message \(row.messageId) \(g.dot) tracking \(row.id)" + (row.partnerId.map { " \(g.dot) partner \($0)" } ?? ""), .muted)
            let when = TimeText.date(row.createdAt, now: state.now, utcOffset: offset) + " by " + row.sender
            switch sendingStage(row) {
            case .sent: field("Sent", when)
            case .queued: field("Queued", when + " \(g.dot) not sent yet")
            case .notSent: field("Not sent", when + " \(g.dot) no address to send to")
            }
            if let cause = row.cause {
                field("Why", cause.phrase, Semantic.cause(cause))
                field("Side", cause.side.words + " (" + cause.side.rawValue + ", cause " + cause.rawValue + ")", .muted)
            }
            if let type = row.errorType { field("Error type", type, .danger) }
            field("Error", row.errorDescription, .danger)
            if let type = row.bounceType { field("Bounce type", type, .danger) }
            field("Bounce", row.bounceDescription, .danger)
            field("SMTP server", row.errorSmtpServer)
        } else {
            field("Recipient", d.name)
        }
        lines.append(.blank)
        lines.append(Line([Piece("Events", .title), Piece(d.loading ? "" : " (\(d.events.count), oldest first)", .muted)]))
        if d.loading {
            lines.append(Line([Piece("Loading" + g.ellipsis, .muted)]))
        } else if d.events.isEmpty {
            lines.append(Line([Piece("No event yet: waiting for the first delivery signal.", .muted)]))
        }
        for e in d.events {
            let style = EventsListView.eventStyle(e.type)
            var spans = [
                Piece(TimeText.date(e.timestamp, now: state.now, utcOffset: offset), .muted),
                Piece(":" + TimeText.clock(e.timestamp, utcOffset: offset).suffix(2), .muted),
                Piece(" " + e.type.rawValue.replacingOccurrences(of: "_", with: " "), style),
            ]
            let details = EventText.details(e, g)
            if !details.isEmpty { spans.append(Piece(" " + g.dot + " " + details, .muted)) }
            lines.append(Line(spans))
        }
        return lines
    }

    static func popup(_ size: Size, lineCount: Int) -> Popup {
        Popup(screen: size, width: popupWidth(size, base: 78), height: min(size.height - 2, lineCount + 2))
    }

    static func draw(_ state: AppState, _ d: MarkerDetail, into grid: inout Grid) {
        let g = Glyphs(ascii: state.display.ascii)
        let width = popup(grid.size, lineCount: 0).inner.width
        let content = lines(state, d, width: width)
        let p = popup(grid.size, lineCount: content.count)
        p.draw(title: [Piece(d.name)], into: &grid, g)
        grid.draw(content, in: p.inner, offset: clampedScroll(d.scroll, lines: content.count, height: p.inner.height), g)
    }
}

/// The retry dialog: the failed recipients, each with its error, the store's
/// checks (warnings, skip reasons, last event) and a tick box; the footer is the
/// live dry-run count for the current ticks.
enum RetryDialogView {
    static func lines(_ state: AppState, _ dialog: RetryDialog, width: Int) -> [Line] {
        let g = Glyphs(ascii: state.display.ascii)
        let grouped = dialog.messageIds.count > 1
        var lines = [
            Line([Piece(grouped ? "Resend \(dialog.messageIds.count) messages to the ticked recipients:" : "Resend the message to the ticked recipients:", .normal)]), .blank,
        ]
        var heading: Int64?
        for (i, item) in dialog.items.enumerated() {
            if grouped, item.messageId != heading {
                // Several messages: each one's recipients under its own heading.
                heading = item.messageId
                if i > 0 { lines.append(.blank) }
                lines.append(Line([Piece(g.expanded + " ", .muted), Piece(dialog.messageTitles[item.messageId] ?? "Message", .title), Piece(" (#\(item.messageId))", .muted)]))
            }
            let cursor = i == dialog.cursor
            var head = [
                Piece(cursor ? g.cursor : " "), Piece(g.tick(item.ticked) + " ", item.ticked ? .accent : .muted),
                Piece(g.marker(item.marker, refused: item.refused), Semantic.marker(item.marker, refused: item.refused)),
                Piece(" " + item.name),
            ]
            switch item.verdict {
            case .send: break
            case .warn: head.append(Piece(" " + g.warning, .warning))
            case .unticked: head.append(Piece(" " + g.warning + " (suppressed: tick to resend)", .warning))
            case .skip: head.append(Piece(" (skipped)", .muted))
            }
            lines.append(Line(head, fill: cursor ? .selected : nil, item: i))
            if dialog.fixed.contains(item.trackingId), let address = item.check?.address ?? item.address {
                lines.append(Line([Piece("      "), Piece("to \(address) (address fixed)", .accent)], item: i))
            }
            lines.append(Line([Piece("      ")] + FailurePieces.why(cause: item.cause, text: item.error, g), item: i))
            lines += checkLines(state, item, g).map { Line([Piece("      ")] + $0, item: i) }
        }
        lines.append(.blank)
        lines.append(footer(dialog, g))
        return lines
    }

    /// The checks under a recipient: skip reasons, warnings, the last event.
    private static func checkLines(_ state: AppState, _ item: RetryItem, _ g: Glyphs) -> [[Piece]] {
        guard let check = item.check else { return [] }
        var out: [[Piece]] = []
        if !check.skipReasons.isEmpty {
            out.append([Piece("skip: " + check.skipReasons.map(\.text).joined(separator: ", "), .muted)])
        }
        if !check.warnings.isEmpty {
            let text = check.warnings.map { $0.text(ascii: g.ascii) }.joined(separator: " \(g.dot) ")
            out.append([Piece(g.warning + " " + text, .warning)])
        }
        if let last = check.lastEvents.first {
            let when = TimeText.relative(last.timestamp, now: state.now, utcOffset: state.display.utcOffset)
            out.append([Piece("last: \(last.type.rawValue) \(when) \(g.dot) \(last.source)", .muted)])
        }
        return out
    }

    /// "resend 2 · skip 1 · 1 warning" for the current ticks, or "checking…" while the checks load.
    private static func footer(_ dialog: RetryDialog, _ g: Glyphs) -> Line {
        let count = dialog.count
        var pieces = [Piece(count.text(separator: g.dot), count.queue == 0 ? .warning : .muted)]
        if dialog.loading { pieces.append(Piece(" \(g.dot) checking recipients" + g.ellipsis, .muted)) }
        return Line(pieces)
    }

    static func popup(_ size: Size, lineCount: Int) -> Popup {
        Popup(screen: size, width: popupWidth(size, base: 72), height: min(size.height - 2, lineCount + 2))
    }

    static func draw(_ state: AppState, _ dialog: RetryDialog, into grid: inout Grid) {
        let g = Glyphs(ascii: state.display.ascii)
        let width = popup(grid.size, lineCount: 0).inner.width
        let content = lines(state, dialog, width: width)
        let p = popup(grid.size, lineCount: content.count)
        p.draw(title: [Piece("Retry")], into: &grid, g)
        let cursorLine = content.firstIndex { $0.item == dialog.cursor }
        grid.draw(content, in: p.inner, offset: scrollOffset(cursorLine: cursorLine, total: content.count, height: p.inner.height), g)
    }
}

/// Whether a tracking row's mail went out: a waiting row has not been sent yet
/// (queued, or waiting for `chatter send`), a row without address never will.
enum SendingStage {
    case sent, queued, notSent
}

func sendingStage(_ row: TrackingRow) -> SendingStage {
    guard let state = row.state else { return .queued }
    if state == .error, row.errorType == noRecipientErrorType { return .notSent }
    return .sent
}
