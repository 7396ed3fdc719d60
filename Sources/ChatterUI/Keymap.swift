import TermGrid

/// What a key does in one context: an action, or explicitly nothing (`none`).
public enum Binding: Sendable, Hashable {
    case action(Action)
    /// Unbound on purpose: the key does nothing here, even if `generic` binds it.
    case unbound
}

/// Keys per context, looked up in the view's own section first, then in `generic`
/// (tig and aerc style). Keys are stored by canonical name (`KeyName`).
public struct Keymap: Sendable, Hashable {
    /// Context → key name → binding.
    public private(set) var sections: [KeyContext: [String: Binding]]

    public init(sections: [KeyContext: [String: Binding]] = [:]) {
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

    /// Binds (or unbinds) a key name in a context.
    public mutating func bind(_ keyName: String, _ binding: Binding, in context: KeyContext) {
        sections[context, default: [:]][keyName] = binding
    }

    /// The action of a key in a context, falling back to `generic`; nil when unbound.
    public func action(for key: Key, in context: KeyContext) -> Action? {
        guard let name = KeyName.name(of: key) else { return nil }
        if context != .generic, let own = sections[context]?[name] {
            switch own {
            case .action(let a): return a
            case .unbound: return nil
            }
        }
        switch sections[.generic]?[name] {
        case .action(let a): return a
        case .unbound, nil: return nil
        }
    }

    /// The key names bound to an action in a context (its own section, then the
    /// generic keys it does not shadow), in a stable order, for the help screen.
    public func keys(for action: Action, in context: KeyContext) -> [String] {
        var names: [String] = []
        let own = sections[context] ?? [:]
        for (name, binding) in own where binding == .action(action) { names.append(name) }
        if context != .generic {
            for (name, binding) in sections[.generic] ?? [:] where binding == .action(action) && own[name] == nil {
                names.append(name)
            }
        }
        return names.sorted(by: KeyName.helpOrder)
    }
}

extension KeyName {
    /// Help order: single characters first, then named keys, alphabetically.
    static func helpOrder(_ a: String, _ b: String) -> Bool {
        let ra = a.count == 1 ? 0 : 1
        let rb = b.count == 1 ? 0 : 1
        if ra != rb { return ra < rb }
        return a < b
    }
}
