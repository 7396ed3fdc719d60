import GRDB

extension Schema {
    /// The partner audit log: who changed a partner's address, from what to what
    /// (the message audit log is per message; an address belongs to a partner).
    static func v6PartnerAudit(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE partner_audit (
                  id INTEGER PRIMARY KEY,
                  at REAL NOT NULL,
                  actor_id INTEGER REFERENCES partners(id),
                  partner_id INTEGER NOT NULL REFERENCES partners(id),
                  action TEXT NOT NULL CHECK (action IN ('set_email')),
                  old_email TEXT,
                  new_email TEXT
                );
                CREATE INDEX partner_audit_partner ON partner_audit(partner_id, at);
                """)
    }
}

/// One line of the partner audit log.
public struct PartnerAuditEntry: Sendable, Hashable {
    public var at: Double
    public var actorId: Int64?
    /// `set_email`.
    public var action: String
    public var oldEmail: String?
    public var newEmail: String?
}
