/// A thread's identity as users write it: `MODEL/KEY` (e.g. `res.partner/12`).
public struct ThreadRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public var model: String
    public var key: String

    public init(model: String, key: String) {
        self.model = model
        self.key = key
    }

    /// Parses `MODEL/KEY`; the model may not contain `/`, the key may.
    public init?(parsing text: String) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let model = String(text[..<slash])
        let key = String(text[text.index(after: slash)...])
        guard !model.isEmpty, !key.isEmpty else { return nil }
        self.init(model: model, key: key)
    }

    public var description: String { "\(model)/\(key)" }
}
