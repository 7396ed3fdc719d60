/// A cursor kept by identity over a list of ids: after the list changes it stays on
/// the same id, or, when that id vanished, on the row now at its old position.
struct IdentityCursor<ID: Hashable> {
    var id: ID?
    /// Last known position, used when the id vanished.
    var index: Int

    /// The cursor placed on a list that may have changed.
    static func reconcile(_ ids: [ID], id: ID?, index: Int) -> IdentityCursor {
        guard !ids.isEmpty else { return IdentityCursor(id: nil, index: 0) }
        if let id, let found = ids.firstIndex(of: id) { return IdentityCursor(id: id, index: found) }
        let clamped = min(max(0, index), ids.count - 1)
        return IdentityCursor(id: ids[clamped], index: clamped)
    }

    /// The cursor moved to a row, clamped to the list.
    static func at(_ ids: [ID], _ index: Int) -> IdentityCursor {
        guard !ids.isEmpty else { return IdentityCursor(id: nil, index: 0) }
        let clamped = min(max(0, index), ids.count - 1)
        return IdentityCursor(id: ids[clamped], index: clamped)
    }

    /// The cursor moved by a step to a movement (down/up/page/ends).
    static func moved(_ ids: [ID], id: ID?, index: Int, _ move: Movement) -> IdentityCursor {
        let here = reconcile(ids, id: id, index: index)
        switch move {
        case .by(let delta): return at(ids, here.index + delta)
        case .top: return at(ids, 0)
        case .bottom: return at(ids, ids.count - 1)
        }
    }
}

/// A cursor movement, from the move and page actions.
enum Movement: Equatable {
    case by(Int)
    case top
    case bottom
}
