/// A partner card: identity, reputation and how much mail went to it.
public struct PartnerCard: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var name: String
    public var email: String?
    public var emailBounced: Bool
    public var breakdown: ScoreBreakdown

    public init(id: Int64, name: String, email: String?, emailBounced: Bool, breakdown: ScoreBreakdown) {
        self.id = id
        self.name = name
        self.email = email
        self.emailBounced = emailBounced
        self.breakdown = breakdown
    }

    public var emailScore: Double { breakdown.score }
    public var trackingCount: Int { breakdown.trackingCount }
}
