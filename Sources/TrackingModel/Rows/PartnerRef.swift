/// A partner as shown beside a message or a tracking row.
public struct PartnerRef: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var email: String?

    public init(id: Int64, name: String, email: String?) {
        self.id = id
        self.name = name
        self.email = email
    }
}
