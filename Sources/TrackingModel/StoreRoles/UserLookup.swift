/// Who "me" is, as every role that acts for a user needs it: the partner of an address
/// and the store's settings (`default_user` when no `--as` says). Posting and reading
/// both refine it, so a command finds its user the same way whatever it then does.
public protocol UserLookup: AnyObject, Sendable {
    /// The partner of an address (a user before a plain partner) without creating it.
    func findUser(email: String) throws -> PartnerRef?
    /// A stored setting (`default_user`, ...).
    func setting(_ key: String) throws -> String?
}
