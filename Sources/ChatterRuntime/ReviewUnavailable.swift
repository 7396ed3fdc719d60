import TrackingModel

/// The review role of a store that does not play it (yet): every review, retry,
/// address fix and audit read throws `NotServed`, which the front shows
/// on the status line as any failed effect, while every other view works. A store
/// that conforms to `ReviewRole` is used as itself (see `Front.reviewRole(of:)`).
final class ReviewUnavailable: ReviewRole {
    private let lookup: any UserLookup

    init(_ lookup: any UserLookup) { self.lookup = lookup }

    func findUser(email: String) throws -> PartnerRef? { try lookup.findUser(email: email) }
    func setting(_ key: String) throws -> String? { try lookup.setting(key) }

    func review(_ scope: ReviewScope, by actor: Int64) throws -> [Int64] { throw Self.refusal }
    func reviewPreview(_ scope: ReviewScope, by actor: Int64) throws -> [Int64] { throw Self.refusal }
    func unreview(_ messageIds: [Int64], by actor: Int64) throws -> [Int64] { throw Self.refusal }
    func retryPlan(messageId: Int64, selection: RetrySelection) throws -> RetryPlan { throw Self.refusal }
    func retry(messageId: Int64, selection: RetrySelection, by actor: Int64) throws -> RetryResult { throw Self.refusal }
    func retryPlans(for user: Int64, filter: FailureFilter) throws -> [RetryPlan] { throw Self.refusal }
    func retry(filter: FailureFilter, by actor: Int64) throws -> [RetryResult] { throw Self.refusal }
    func changePartnerEmail(id: Int64, email: String, by actor: Int64) throws -> PartnerCard { throw Self.refusal }
    func auditLog(messageId: Int64) throws -> [AuditEntry] { throw Self.refusal }

    private static let refusal = NotServed()

    /// The refusal, as the status line shows it.
    struct NotServed: Error, CustomStringConvertible {
        var description: String { "this store does not serve review, retry and address fixes yet" }
    }
}
