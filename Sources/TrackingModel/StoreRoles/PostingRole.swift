/// Posting, as `chatter post` and compose need it from a store (SQLite or PostgreSQL,
/// the caller never knows which): who the current user is, and a message posted with
/// one tracking row per recipient, queued for the sender or not.
///
/// The rules are the same in every store (README "The rules"): a broken address is a
/// clear error and nothing is written; partners with an address and raw addresses get a
/// waiting row, a partner without one an `error` / `no_recipient` row; our aliases are
/// left out; To / Cc duplicates and case variants give one row.
public protocol PostingRole: UserLookup {
    /// Posts a message to a thread (created when new), in one transaction.
    func post(_ request: PostRequest) throws -> PostResult

    /// Posts a message and queues one `send` outbox entry per tracking row that has an
    /// address, in one transaction: after a crash it is either posted and queued, or absent.
    /// `sharedMail`: the recipients get one mail together (one shared pixel).
    func postAndQueue(_ request: PostRequest, sharedMail: Bool) throws -> (post: PostResult, outboxIds: [Int64])

    /// Queues a `send` entry for every waiting tracking row of a message that has an
    /// address and no entry yet; `sharedMail` chooses the mode only for a message never queued before.
    func queueSend(messageId: Int64, by actor: Int64, sharedMail: Bool) throws -> [Int64]

    /// The current user's partner for an address, created (as a user) on first use.
    func user(email: String, name: String?) throws -> PartnerRef
}
