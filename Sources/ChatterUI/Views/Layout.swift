import TermGrid

/// Where each part of the main window goes for a size. Render draws into these
/// rectangles and mouse handling hit-tests them, so both always agree.
///
/// Wide (≥ 60 columns): the left column (Mailboxes over Threads) beside the
/// right pane. Narrow: one pane at a time, the focused one, full width.
struct Layout: Equatable {
    /// The smallest size the front draws; below it shows "terminal too small".
    static let minimum = Size(width: 40, height: 10)
    /// Columns from which the left column and the right pane show side by side.
    static let sideBySide = 60

    var header: Rect
    var footer: Rect
    /// The left column's frame (Mailboxes and Threads), nil when hidden.
    var left: Rect?
    /// Rows of the mailbox names inside the left frame.
    var mailboxes: Rect?
    /// The divider row between Mailboxes and Threads.
    var threadsTitle: Rect?
    /// Rows of the thread list.
    var threads: Rect?
    /// The right pane's frame, nil when hidden.
    var main: Rect?
    /// Inside the right frame.
    var mainInner: Rect?

    /// The layout for a size and focus; nil below the minimum size.
    init?(size: Size, focus: Pane) {
        guard size.width >= Self.minimum.width, size.height >= Self.minimum.height else { return nil }
        let screen = Rect(size: size)
        let (header, rest) = screen.splitTop(1)
        let (body, footer) = rest.splitBottom(1)
        self.header = header
        self.footer = footer
        let leftWidth: Int
        let showLeft: Bool
        let showMain: Bool
        if size.width >= Self.sideBySide {
            leftWidth = size.width >= 110 ? 30 : 22
            showLeft = true
            showMain = true
        } else {
            leftWidth = size.width
            showLeft = focus != .main
            showMain = focus == .main
        }
        let (leftRect, mainRect) = showMain && showLeft ? body.splitLeft(leftWidth) : (body, body)
        if showLeft {
            left = leftRect
            let rows = Mailbox.allCases.count
            mailboxes = Rect(x: leftRect.x + 1, y: leftRect.y + 1, width: leftRect.width - 2, height: rows)
            let titleRow = leftRect.y + 1 + rows
            threadsTitle = Rect(x: leftRect.x, y: titleRow, width: leftRect.width, height: 1)
            threads = Rect(
                x: leftRect.x + 1, y: titleRow + 1, width: leftRect.width - 2,
                height: leftRect.maxY - 1 - (titleRow + 1))
        }
        if showMain {
            main = mainRect
            mainInner = mainRect.inset(by: 1)
        }
    }
}
