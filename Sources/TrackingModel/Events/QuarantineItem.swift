/// Input a parser could not use: thrown by parsers, kept by the store's quarantine.
public struct QuarantineItem: Error, Sendable, Hashable {
    public var source: String
    public var path: String
    /// Byte offset, line number, mail identity... as text.
    public var position: String
    public var reason: String
    /// The start of the input (sanitise before showing).
    public var excerpt: String

    public init(source: String, path: String, position: String, reason: String, excerpt: String) {
        self.source = source
        self.path = path
        self.position = position
        self.reason = reason
        self.excerpt = excerpt
    }
}
