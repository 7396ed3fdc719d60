/// Why the front could not start: one line for the user (the executable prints
/// it as a usage error).
public struct FrontError: Error, CustomStringConvertible, Sendable {
    /// The line to print.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
