import Foundation
import PostgresNIO
import TrackingModel

/// The sender's claims on PostgreSQL, where several senders on several hosts run at once:
/// each due entry is taken with `FOR UPDATE SKIP LOCKED` (a sender never waits for, nor
/// takes, an entry another is claiming), moved to `sending` with its attempt counted and its
/// start and Message-ID recorded, and its attempt lock taken, all committed before any byte
/// leaves (the SQLite store's rules, `TrackingStore.claimDueMail`).
extension PostgresStore {
    /// Claims the entries of the next mail to send (see `OutboxRole.claimDueMail`).
    func claimMail(maxRecipients: Int) async throws(PostgresStoreError) -> [OutboxJob] {
        let now = self.now
        return try await claiming { () async throws -> [OutboxJob] in
            guard
                let first = try await self.rows(
                    Self.jobQuery(now: now, extra: "", order: "o.next_attempt_at, o.id", limit: 1)
                ).first.map(ClaimRow.init)
            else { return [] }
            guard first.sharedToken != nil else { return [try await self.claim(first, groupHeader: nil, now: now)] }
            // Another sender may hold some of the group: those go in a mail of their own, each
            // recipient still gets exactly one.
            var q = Self.jobQuery(
                now: now,
                extra: " AND o.message_id = \(first.messageRowId) AND o.kind = '\(first.kind.rawValue)'"
                    + " AND o.message_id_header IS NOT DISTINCT FROM $2::text",
                order: "o.id", limit: max(1, maxRecipients))
            q.binds.append(first.messageIdHeader)
            let group = try await self.rows(q).map(ClaimRow.init)
            let header = Self.messageIdHeader(first, now: now)
            var jobs: [OutboxJob] = []
            for row in group { jobs.append(try await self.claim(row, groupHeader: header, now: now)) }
            return jobs
        }
    }

    /// Claims up to `limit` due entries, each its own mail (see `OutboxRole.claimDueOutbox`).
    func claimOutbox(limit: Int) async throws(PostgresStoreError) -> [OutboxJob] {
        let now = self.now
        guard limit > 0 else { return [] }
        return try await claiming { () async throws -> [OutboxJob] in
            var jobs: [OutboxJob] = []
            for row in try await self.rows(Self.jobQuery(now: now, extra: "", order: "o.next_attempt_at, o.id", limit: limit))
                .map(ClaimRow.init)
            {
                jobs.append(try await self.claim(row, groupHeader: nil, now: now))
            }
            return jobs
        }
    }

    /// When the next queued entry falls due (nil: nothing queued).
    func nextDue() async throws(PostgresStoreError) -> Double? {
        try await exclusive {
            try await self.rows("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'queued'").first?.decode(Double?.self)
        }
    }

    /// Runs a claim in a retried transaction whose commit announces it; the attempt locks it
    /// took are let go again when it does not commit.
    private func claiming(_ body: @escaping () async throws -> [OutboxJob]) async throws(PostgresStoreError) -> [OutboxJob] {
        try await exclusive {
            let taken = TakenLocks()
            return try await self.retryingTransaction(undo: { await self.unlockAttempts(taken.ids); taken.ids = [] }) {
                let jobs = try await body()
                taken.ids = jobs.map(\.id)
                try await self.lockAttempts(taken.ids)
                if !jobs.isEmpty { try await self.notifyChange("outbox") }
                return jobs
            }
        }
    }

    /// The due queued entries with what building their mail needs, locked, skipping those
    /// another transaction holds (`$1` = now).
    private static func jobQuery(now: Double, extra: String, order: String, limit: Int) -> PostgresQuery {
        var q = PostgresQuery(
            unsafeSQL: """
                SELECT o.id, o.kind, o.attempts, o.queued_at, o.possible_duplicate, o.message_id_header,
                       o.tracking_id, t.token, t.recipient, t.address,
                       m.id, m.thread_id, m.date, m.subject, m.body, m.email_to, m.email_cc,
                       m.message_id, m.shared_token, p.name, p.email, th.tracking_img_disabled
                FROM outbox o
                JOIN trackings t ON t.id = o.tracking_id
                JOIN messages m ON m.id = o.message_id
                JOIN partners p ON p.id = m.author_id
                JOIN threads th ON th.id = m.thread_id
                WHERE o.status = 'queued' AND o.next_attempt_at <= $1\(extra)
                ORDER BY \(order) LIMIT \(limit)
                FOR UPDATE OF o SKIP LOCKED
                """)
        q.binds.append(now)
        return q
    }

    /// The Message-ID an entry's attempt carries: the one it already had (an automatic retry
    /// keeps it), the message's own for a first send, a new one for a user Retry.
    private static func messageIdHeader(_ row: ClaimRow, now: Double) -> String {
        if let existing = row.messageIdHeader { return existing }
        switch row.kind {
        case .send: return row.rfcId
        case .retry: return PostingIdentity.messageId(authorEmail: row.authorEmail, date: now)
        }
    }

    /// Moves one locked entry to `sending` (attempt counted, start time and Message-ID recorded) and builds its job.
    private func claim(_ row: ClaimRow, groupHeader: String?, now: Double) async throws -> OutboxJob {
        let header = groupHeader ?? Self.messageIdHeader(row, now: now)
        let attempt = row.attempts + 1
        try await execute(
            """
            UPDATE outbox SET status = 'sending', attempts = \(Int64(attempt)), attempt_started_at = \(now),
              message_id_header = \(header), finished_at = NULL
            WHERE id = \(row.id)
            """)
        let references = try await rows(
            """
            SELECT message_id FROM (
              SELECT message_id, date, id FROM messages
              WHERE thread_id = \(row.threadId) AND (date < \(row.date) OR (date = \(row.date) AND id < \(row.messageRowId)))
              ORDER BY date DESC, id DESC LIMIT 20) earlier
            ORDER BY date, id
            """
        ).map { try $0.decode(String.self) }
        return OutboxJob(
            id: row.id, kind: row.kind, attempt: attempt, queuedAt: row.queuedAt, possibleDuplicate: row.possibleDuplicate,
            trackingId: row.trackingId, token: row.token, recipient: row.recipient, address: row.address,
            messageRowId: row.messageRowId, date: row.date, subject: row.subject, body: row.body, emailTo: row.emailTo,
            emailCc: row.emailCc, authorName: row.authorName, authorEmail: row.authorEmail, messageIdHeader: header,
            references: references, pixelDisabled: row.pixelDisabled, sharedToken: row.sharedToken)
    }
}

/// The attempt locks a claim took, for its undo (touched only by the gate's holder).
private final class TakenLocks: @unchecked Sendable {
    var ids: [Int64] = []
}

/// One row of `jobQuery`.
private struct ClaimRow {
    var id: Int64
    var kind: OutboxKind
    var attempts: Int
    var queuedAt: Double
    var possibleDuplicate: Bool
    var messageIdHeader: String?
    var trackingId: Int64
    var token: String?
    var recipient: String
    var address: String?
    var messageRowId: Int64
    var threadId: Int64
    var date: Double
    var subject: String
    var body: String
    var emailTo: String
    var emailCc: String
    var rfcId: String
    var sharedToken: String?
    var authorName: String
    var authorEmail: String?
    var pixelDisabled: Bool

    init(_ row: PostgresRow) throws {
        let (id, kind, attempts, queuedAt, dup, header, tid, token, recipient, address, mid, threadId, date, subject, body,
            emailTo, emailCc, rfcId, sharedToken, authorName, authorEmail, pixelOff) = try row.decode(
                (Int64, String, Int64, Double, Int64, String?, Int64, String?, String, String?, Int64, Int64, Double, String,
                    String, String, String, String, String?, String, String?, Int64).self)
        self.id = id
        self.kind = OutboxKind(rawValue: kind) ?? .send
        self.attempts = Int(attempts)
        self.queuedAt = queuedAt
        self.possibleDuplicate = dup != 0
        self.messageIdHeader = header
        self.trackingId = tid
        self.token = token
        self.recipient = recipient
        self.address = address
        self.messageRowId = mid
        self.threadId = threadId
        self.date = date
        self.subject = subject
        self.body = body
        self.emailTo = emailTo
        self.emailCc = emailCc
        self.rfcId = rfcId
        self.sharedToken = sharedToken
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.pixelDisabled = pixelOff != 0
    }
}
