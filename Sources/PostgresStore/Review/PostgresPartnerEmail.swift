import Foundation
import PostgresNIO
import TrackingModel

/// Fixing a partner's address on PostgreSQL, as the SQLite store does it: the address is
/// checked as `post` checks it, the bounced flag is recomputed from the newest tracking
/// of the new address (so the score follows it), and the change goes to the partner
/// audit log with the old and the new address, in one transaction.
extension PostgresStore {
    /// See `ReviewRole.changePartnerEmail`.
    func changeEmail(partnerId id: Int64, email: String, by actor: Int64) async throws(PostgresStoreError) -> PartnerCard {
        let checked = try Self.checkAddress(email)
        let now = self.now
        return try await exclusive {
            try await self.retryingTransaction { () async throws -> PartnerCard in
                guard let old = try await self.rows("SELECT email FROM partners WHERE id = \(id) FOR UPDATE").first
                else { throw PostgresStoreError.notFound("no partner with id \(id)") }
                let oldEmail = try old.decode(String?.self)
                try await self.execute(
                    "UPDATE partners SET email = \(checked.address), email_normalized = \(checked.normalized) WHERE id = \(id)")
                try await self.recomputeBounced(partnerId: id, normalized: checked.normalized)
                try await self.execute(
                    """
                    INSERT INTO partner_audit (at, actor_id, partner_id, action, old_email, new_email)
                    VALUES (\(now), \(actor), \(id), 'set_email', \(oldEmail), \(checked.address))
                    """)
                try await self.notifyChange("partners")
                let reads = PostgresReads(store: self)
                let rows = try await self.rows(
                    "SELECT \(unescaped: PostgresReads.partnerColumns) FROM partners WHERE id = \(id)")
                guard let card = try await reads.cards(rows).first
                else { throw PostgresStoreError.notFound("no partner with id \(id)") }
                return card
            }
        }
    }

    /// Sets `email_bounced` from the newest tracking of the address.
    private func recomputeBounced(partnerId: Int64, normalized: String) async throws {
        let newest = try await rows(
            """
            SELECT state, error_type, cause FROM trackings WHERE address = \(normalized)
            ORDER BY created_at DESC, id DESC LIMIT 1
            """
        ).first?.decode((String?, String?, String?).self)
        let state = newest?.0.flatMap(TrackingState.init(rawValue:))
        let flag =
            state?.flagsAddressBounced(errorType: newest?.1, cause: newest?.2.flatMap(FailureCause.init(rawValue:))) ?? false
        try await execute("UPDATE partners SET email_bounced = \(Int64(flag ? 1 : 0)) WHERE id = \(partnerId)")
    }
}
