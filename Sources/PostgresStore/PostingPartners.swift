import Foundation
import PostgresNIO
import TrackingModel

/// Who posts, on PostgreSQL: the current user's partner, found or created (two processes
/// creating the same user at once get one partner), a stored setting, and the tracking
/// rows a post returns.
extension PostgresStore {
    /// The current user's partner, created (as a user) on first use (see `PostingRole.user`).
    func ensureUser(email: String, name: String?) async throws(PostgresStoreError) -> PartnerRef {
        let checked = try Self.checkAddress(email)
        let now = self.now
        return try await exclusive {
            try await self.retryingTransaction { () async throws -> PartnerRef in
                // One creator of an address at a time (no unique index on addresses: partners may share one).
                try await self.execute("SELECT pg_advisory_xact_lock(\(UserLock.space), hashtext(\(checked.normalized)))")
                if let (id, name, email, isUser) = try await self.rows(
                    """
                    SELECT id, name, email, is_user FROM partners WHERE email_normalized = \(checked.normalized)
                    ORDER BY is_user DESC, id LIMIT 1
                    """
                ).first?.decode((Int64, String, String?, Int64).self) {
                    if isUser == 0 {
                        try await self.execute("UPDATE partners SET is_user = 1 WHERE id = \(id)")
                        try await self.notifyChange("partners")
                    }
                    return PartnerRef(id: id, name: name, email: email)
                }
                let display = name ?? String(checked.address.prefix(while: { $0 != "@" }))
                guard
                    let id = try await self.rows(
                        """
                        INSERT INTO partners (name, email, email_normalized, is_user, notify_email, created_at)
                        VALUES (\(display), \(checked.address), \(checked.normalized), 1, 1, \(now)) RETURNING id
                        """
                    ).first?.decode(Int64.self)
                else { throw PostgresStoreError.storage("the partner was not inserted") }
                try await self.notifyChange("partners")
                return PartnerRef(id: id, name: display, email: checked.address)
            }
        }
    }

    /// One address parsed the way a mail client does; a broken one is a clear error.
    static func checkAddress(_ text: String) throws(PostgresStoreError) -> Mailbox {
        switch AddressParser.parseMailbox(text) {
        case .success(let m): return m
        case .failure(let e): throw .invalidInput(e.description)
        }
    }

    /// A message's tracking rows, oldest first, with the pixel token each one's mail carries
    /// (the message's shared token for one shared mail).
    func trackingRows(messageId: Int64) async throws -> [TrackingRow] {
        try await rows(
            """
            SELECT t.id, t.message_id, t.partner_id, t.created_at, t.subject, t.sender, t.recipient, t.address, t.state,
                   t.is_cc, t.error_smtp_server, t.error_type, t.error_description, t.bounce_type, t.bounce_description,
                   COALESCE(m.shared_token, t.token), t.cause, t.pixel_url
            FROM trackings t JOIN messages m ON m.id = t.message_id
            WHERE t.message_id = \(messageId) ORDER BY t.id
            """
        ).map { row in
            let (id, mid, pid, created, subject, sender, recipient, address, state, cc, server, errorType, errorDescription,
                bounceType, bounceDescription, token, cause, pixelURL) = try row.decode(
                    (Int64, Int64, Int64?, Double, String, String, String, String?, String?, Int64, String?, String?, String?,
                        String?, String?, String?, String?, String?).self)
            return TrackingRow(
                id: id, messageId: mid, partnerId: pid, createdAt: created, subject: subject, sender: sender,
                recipient: recipient, address: address, state: state.flatMap(TrackingState.init(rawValue:)), cc: cc != 0,
                errorSmtpServer: server, errorType: errorType, errorDescription: errorDescription, bounceType: bounceType,
                bounceDescription: bounceDescription, token: token, cause: cause.flatMap(FailureCause.init(rawValue:)),
                pixelURL: pixelURL)
        }
    }
}

/// The transaction lock that lets one process at a time create the partner of an address.
enum UserLock {
    static let space: Int32 = 0x6368_7573
}
