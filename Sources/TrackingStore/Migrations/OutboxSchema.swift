import GRDB

/// The columns the sender needs (migration `v3-sending`, append-only).
enum OutboxSchema {
    /// Per attempt: when it started (recorded before any byte goes out), the
    /// Message-ID it carries, the queue id the server gave; a flag for an attempt
    /// whose outcome is unknown (crash or timeout after the data was sent). The
    /// tracking row's queue id (tie-back) comes from `v2-ingest`.
    static func v3Sending(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE outbox ADD COLUMN attempt_started_at REAL;
                ALTER TABLE outbox ADD COLUMN message_id_header TEXT;
                ALTER TABLE outbox ADD COLUMN possible_duplicate INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE outbox ADD COLUMN queue_id TEXT;
                ALTER TABLE outbox ADD COLUMN finished_at REAL;
                CREATE INDEX outbox_sending ON outbox(id) WHERE status = 'sending';
                """)
    }

    /// The sending mode of a message, fixed the first time it is queued so a
    /// later sender with another setting can neither split a half-sent shared
    /// mail nor merge per-recipient ones: `shared_token` NULL → one mail per
    /// recipient; set → one mail to all recipients, and the token names the
    /// message in its VERP sender, tracking header, ENVID and shared pixel.
    static func v4SharedMail(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE messages ADD COLUMN shared_token TEXT;
                CREATE UNIQUE INDEX messages_shared_token ON messages(shared_token) WHERE shared_token IS NOT NULL;
                """)
    }
}
