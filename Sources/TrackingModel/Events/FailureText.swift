/// How a failure reads in one line of plain text: the cause in words first
/// (whose problem it is), then the receiver's own reply.
public enum FailureText {
    /// "address does not exist (550 5.1.1 User unknown)", "mailbox full",
    /// "550 ..." when the cause is unknown, nil when there is nothing to say.
    public static func line(cause: FailureCause?, text: String?) -> String? {
        let reply = text.flatMap { $0.isEmpty ? nil : $0 }
        guard let cause else { return reply }
        guard let reply else { return cause.phrase }
        return "\(cause.phrase) (\(reply))"
    }
}

extension Marker {
    /// The ASCII marker, `x!` for a failure refused by the receiver (see `refused(cause:)`).
    public func asciiGlyph(cause: FailureCause?) -> String {
        refused(cause: cause) ? Self.refusedAsciiGlyph : asciiGlyph
    }
}
