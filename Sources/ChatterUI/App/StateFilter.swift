import TrackingModel

/// A state filter for the tracking emails list.
public enum StateFilter: Sendable, Hashable {
    case all
    /// Rows in a failed state.
    case failed
    /// One state; `nil` is waiting.
    case state(TrackingState?)

    /// The order `s` cycles through.
    public static let cycle: [StateFilter] =
        [.all, .failed, .state(nil)] + TrackingState.allCases.map { .state($0) }

    /// Its label in the list title.
    public var title: String {
        switch self {
        case .all: return "all"
        case .failed: return "failed"
        case .state(let s): return humanStateName(s).lowercased()
        }
    }
}
