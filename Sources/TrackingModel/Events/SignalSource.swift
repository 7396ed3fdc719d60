/// The parser family a delivery signal came from: the `source` of its event row, its unique
/// key's namespace and its quarantine records (`postfix`, `dsn`, `jsonl`...).
public enum SignalSource: String, Sendable, Hashable, CaseIterable {
    case postfix
    case dsn
    /// A feedback (complaint) report: RFC 5965 ARF.
    case arf
    case mailgun
    case sendgrid
    case ses
    case postmark
    /// Our JSON lines.
    case jsonLines = "jsonl"
}
