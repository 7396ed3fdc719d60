import TermGrid

/// What a key does in one context: an action, or explicitly nothing (`none`).
public enum Binding: Sendable, Hashable {
    case action(Action)
    /// Unbound on purpose: the key does nothing here, even if `generic` binds it.
    case unbound
}

/// Keys per context, looked up in the view's own section first, then in `generic`
/// (tig and aerc style). Key names in files are TermGrid's (`Key(name:)`).
public struct Keymap: Sendable, Hashable {
    /// Context → key → binding.
    public private(set) var sections: [KeyContext: [Key: Binding]]

    public init(sections: [KeyContext: [Key: Binding]] = [:]) {
        self.sections = sections
    }

    /// The defaults of `ActionTable`.
    public static let defaults: Keymap = {
        var map = Keymap()
        for spec in ActionTable.all {
            for (context, keys) in spec.defaults {
                for key in keys { map.bind(key, .action(spec.action), in: context) }
            }
        }
        return map
    }()

    /// Binds (or unbinds) a key in a context.
    public mutating func bind(_ key: Key, _ binding: Binding, in context: KeyContext) {
        sections[context, default: [:]][key] = binding
    }

    /// The action of a key in a context, falling back to `generic`; nil when unbound.
    public func action(for key: Key, in context: KeyContext) -> Action? {
        if context != .generic, let own = sections[context]?[key] {
            switch own {
            case .action(let a): return a
            case .unbound: return nil
            }
        }
        switch sections[.generic]?[key] {
        case .action(let a): return a
        case .unbound, nil: return nil
        }
    }

    /// The keys bound to an action in a context (its own section, then the
    /// generic keys it does not shadow), in help order, for hints and help.
    public func keys(for action: Action, in context: KeyContext) -> [Key] {
        var keys: [Key] = []
        let own = sections[context] ?? [:]
        for (key, binding) in own where binding == .action(action) { keys.append(key) }
        if context != .generic {
            for (key, binding) in sections[.generic] ?? [:] where binding == .action(action) && own[key] == nil {
                keys.append(key)
            }
        }
        return keys.sorted(by: helpOrder)
    }
}

/// Help order: typed characters first (`j` before `Down`), then named keys by name.
func helpOrder(_ a: Key, _ b: Key) -> Bool {
    func rank(_ k: Key) -> Int {
        if case .char = k { return 0 }
        return 1
    }
    if rank(a) != rank(b) { return rank(a) < rank(b) }
    return a.name < b.name
}
