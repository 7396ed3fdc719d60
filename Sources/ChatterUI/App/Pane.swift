/// The three panes Tab cycles through.
public enum Pane: Int, Sendable, Hashable, CaseIterable {
    case mailboxes, threads, main
}
