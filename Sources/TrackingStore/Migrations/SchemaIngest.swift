import GRDB

extension Schema {
    /// The poller's tables: quarantined input, unmatched events, Postfix
    /// queue-id links, processed items of item sources (Maildir mails, event files),
    /// and the tie-back columns and indexes on trackings.
    static func v2Ingest(_ db: Database) throws {
        try db.execute(
            sql: """
                -- Tie-back keys learnt at submission (per message: every recipient of one
                -- SMTP transaction shares them) and the VERP / pixel token index.
                ALTER TABLE trackings ADD COLUMN queue_id TEXT;
                ALTER TABLE trackings ADD COLUMN provider_message_id TEXT;
                CREATE INDEX trackings_token ON trackings(token) WHERE token IS NOT NULL;
                CREATE INDEX trackings_queue_id ON trackings(queue_id) WHERE queue_id IS NOT NULL;
                CREATE INDEX trackings_provider_message_id ON trackings(provider_message_id)
                  WHERE provider_message_id IS NOT NULL;

                -- Input a parser could not use: kept, counted, listed, never fatal.
                CREATE TABLE quarantine (
                  id INTEGER PRIMARY KEY,
                  source TEXT NOT NULL,
                  path TEXT NOT NULL,
                  position TEXT NOT NULL,
                  reason TEXT NOT NULL,
                  excerpt TEXT NOT NULL,
                  first_seen REAL NOT NULL,
                  last_seen REAL NOT NULL,
                  count INTEGER NOT NULL DEFAULT 1,
                  UNIQUE (source, path, position)
                );
                CREATE INDEX quarantine_time ON quarantine(last_seen DESC, id DESC);

                -- Events that tie to no tracking row, with why.
                CREATE TABLE unmatched (
                  id INTEGER PRIMARY KEY,
                  source TEXT NOT NULL,
                  key TEXT NOT NULL,
                  path TEXT NOT NULL,
                  type TEXT NOT NULL,
                  timestamp REAL NOT NULL,
                  recipient TEXT,
                  status TEXT,
                  bounce_type TEXT,
                  event_reason TEXT,
                  description TEXT,
                  machine INTEGER NOT NULL DEFAULT 0,
                  tracking_key TEXT,
                  verp_token TEXT,
                  envelope_id TEXT,
                  queue_id TEXT,
                  provider_message_id TEXT,
                  message_id TEXT,
                  reason TEXT NOT NULL,
                  recorded_at REAL NOT NULL,
                  UNIQUE (source, key)
                );
                CREATE INDEX unmatched_time ON unmatched(timestamp DESC, id DESC);

                -- The latest life of each Postfix queue id (Postfix reuses them): what later
                -- lines of that id need, possibly days and a rotated file later.
                CREATE TABLE queue_links (
                  host TEXT NOT NULL,
                  queue_id TEXT NOT NULL,
                  first_seen REAL NOT NULL,
                  message_id TEXT,
                  tracking_id TEXT,
                  system INTEGER NOT NULL DEFAULT 0,
                  link TEXT NOT NULL,
                  PRIMARY KEY (host, queue_id)
                ) WITHOUT ROWID;

                -- Items of item sources already applied (a Maildir mail's identity, an
                -- event file's fingerprint), so they are never applied twice.
                CREATE TABLE ingested_items (
                  source TEXT NOT NULL,
                  item TEXT NOT NULL,
                  at REAL NOT NULL,
                  PRIMARY KEY (source, item)
                ) WITHOUT ROWID;
                """)
    }
}
