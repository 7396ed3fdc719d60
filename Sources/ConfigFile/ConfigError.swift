/// A bad config: the file, the line (when known) and the reason, printed as `file:line: reason`.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var reason: String

    public init(file: String, line: Int?, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { file + (line.map { ":\($0)" } ?? "") + ": " + reason }
}
