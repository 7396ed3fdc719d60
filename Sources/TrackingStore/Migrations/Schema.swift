import GRDB

/// The store's schema as append-only migrations: a shipped step is never edited;
/// a change is a new step. A file holding a step this build does not know was
/// written by a newer chatter and is refused.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-tracking", migrate: v1)
        m.registerMigration("v2-ingest", migrate: v2Ingest)
        m.registerMigration("v3-sending", migrate: OutboxSchema.v3Sending)
        m.registerMigration("v4-shared-mail", migrate: OutboxSchema.v4SharedMail)
        m.registerMigration("v5-causes", migrate: v5Causes)
        m.registerMigration("v6-partner-audit", migrate: v6PartnerAudit)
        m.registerMigration("v7-failed-list", migrate: v7FailedList)
        m.registerMigration("v8-pixel-url", migrate: v8PixelURL)
        return m
    }

    /// The whole first schema. Times are UTC epoch seconds (REAL).
    private static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE partners (
                  id INTEGER PRIMARY KEY,
                  name TEXT NOT NULL,
                  email TEXT,
                  email_normalized TEXT,
                  is_user INTEGER NOT NULL DEFAULT 0,
                  notify_email INTEGER NOT NULL DEFAULT 1,
                  email_bounced INTEGER NOT NULL DEFAULT 0,
                  created_at REAL NOT NULL
                );
                CREATE INDEX partners_email ON partners(email_normalized);
                CREATE INDEX partners_name ON partners(name, id);
                CREATE INDEX partners_bounced ON partners(name, id) WHERE email_bounced = 1;

                CREATE TABLE aliases (
                  address TEXT PRIMARY KEY
                ) WITHOUT ROWID;

                CREATE TABLE settings (
                  key TEXT PRIMARY KEY,
                  value TEXT NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE threads (
                  id INTEGER PRIMARY KEY,
                  model TEXT NOT NULL,
                  key TEXT NOT NULL,
                  name TEXT NOT NULL,
                  tracking_img_disabled INTEGER NOT NULL DEFAULT 0,
                  last_activity REAL NOT NULL,
                  message_count INTEGER NOT NULL DEFAULT 0,
                  failed_count INTEGER NOT NULL DEFAULT 0,
                  UNIQUE(model, key)
                );
                CREATE INDEX threads_activity ON threads(last_activity DESC, id DESC);
                CREATE INDEX threads_failed ON threads(last_activity DESC, id DESC) WHERE failed_count > 0;

                CREATE TABLE messages (
                  id INTEGER PRIMARY KEY,
                  thread_id INTEGER NOT NULL REFERENCES threads(id),
                  author_id INTEGER NOT NULL REFERENCES partners(id),
                  date REAL NOT NULL,
                  subject TEXT NOT NULL,
                  body TEXT NOT NULL,
                  message_id TEXT NOT NULL UNIQUE,
                  email_to TEXT NOT NULL DEFAULT '',
                  email_cc TEXT NOT NULL DEFAULT '',
                  tracked INTEGER NOT NULL DEFAULT 1,
                  needs_action INTEGER NOT NULL DEFAULT 0,
                  failed_trackings INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX messages_thread ON messages(thread_id, date DESC, id DESC);
                CREATE INDEX messages_failed ON messages(date DESC, id DESC, author_id)
                  WHERE needs_action = 1 AND failed_trackings > 0;
                CREATE INDEX messages_failed_thread ON messages(thread_id, date DESC, id DESC)
                  WHERE needs_action = 1 AND failed_trackings > 0;
                CREATE INDEX messages_author ON messages(author_id, date DESC, id DESC);

                CREATE TABLE message_recipients (
                  message_id INTEGER NOT NULL REFERENCES messages(id),
                  position INTEGER NOT NULL,
                  kind TEXT NOT NULL CHECK (kind IN ('to', 'cc')),
                  partner_id INTEGER REFERENCES partners(id),
                  address TEXT,
                  display TEXT NOT NULL,
                  PRIMARY KEY (message_id, position)
                ) WITHOUT ROWID;
                CREATE INDEX message_recipients_partner ON message_recipients(partner_id, message_id)
                  WHERE partner_id IS NOT NULL;

                -- The Failed mailbox counter of each user, kept up to date by every
                -- transaction that makes a message failed or not failed.
                CREATE TABLE failed_counts (
                  partner_id INTEGER PRIMARY KEY REFERENCES partners(id),
                  count INTEGER NOT NULL
                );

                CREATE TABLE trackings (
                  id INTEGER PRIMARY KEY,
                  message_id INTEGER NOT NULL REFERENCES messages(id),
                  partner_id INTEGER REFERENCES partners(id),
                  recipient TEXT NOT NULL,
                  address TEXT,
                  is_cc INTEGER NOT NULL DEFAULT 0,
                  sender TEXT NOT NULL,
                  subject TEXT NOT NULL,
                  created_at REAL NOT NULL,
                  token TEXT,
                  state TEXT,
                  error_smtp_server TEXT,
                  error_type TEXT,
                  error_description TEXT,
                  bounce_type TEXT,
                  bounce_description TEXT,
                  last_ts REAL,
                  last_rank INTEGER,
                  last_tiebreak TEXT
                );
                CREATE INDEX trackings_message ON trackings(message_id);
                CREATE INDEX trackings_address ON trackings(address, created_at DESC, id DESC);
                CREATE INDEX trackings_created ON trackings(created_at DESC, id DESC);
                CREATE INDEX trackings_state ON trackings(state, created_at DESC, id DESC);

                CREATE TABLE events (
                  id INTEGER PRIMARY KEY,
                  tracking_id INTEGER NOT NULL REFERENCES trackings(id),
                  type TEXT NOT NULL,
                  timestamp REAL NOT NULL,
                  source TEXT NOT NULL,
                  key TEXT NOT NULL,
                  machine INTEGER NOT NULL DEFAULT 0,
                  recipient TEXT,
                  smtp_server TEXT,
                  url TEXT,
                  ip TEXT,
                  user_agent TEXT,
                  os_family TEXT,
                  ua_family TEXT,
                  ua_type TEXT,
                  mobile INTEGER,
                  country TEXT,
                  error_type TEXT,
                  error_description TEXT,
                  error_details TEXT,
                  bounce_type TEXT,
                  bounce_description TEXT,
                  recorded_at REAL NOT NULL,
                  UNIQUE (source, key)
                );
                CREATE INDEX events_tracking ON events(tracking_id, timestamp);
                CREATE INDEX events_time ON events(timestamp DESC, id DESC);
                CREATE INDEX events_type ON events(type, timestamp DESC, id DESC);

                CREATE TABLE source_cursors (
                  source TEXT PRIMARY KEY,
                  cursor TEXT NOT NULL,
                  updated_at REAL NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE outbox (
                  id INTEGER PRIMARY KEY,
                  message_id INTEGER NOT NULL REFERENCES messages(id),
                  tracking_id INTEGER NOT NULL REFERENCES trackings(id),
                  kind TEXT NOT NULL CHECK (kind IN ('send', 'retry')),
                  status TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
                  attempts INTEGER NOT NULL DEFAULT 0,
                  queued_at REAL NOT NULL,
                  next_attempt_at REAL NOT NULL,
                  requested_by INTEGER REFERENCES partners(id),
                  last_error TEXT
                );
                CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE status = 'queued';
                CREATE INDEX outbox_tracking ON outbox(tracking_id);

                CREATE TABLE audit_log (
                  id INTEGER PRIMARY KEY,
                  at REAL NOT NULL,
                  actor_id INTEGER REFERENCES partners(id),
                  action TEXT NOT NULL CHECK (action IN ('review', 'unreview', 'retry')),
                  message_id INTEGER NOT NULL REFERENCES messages(id),
                  tracking_id INTEGER REFERENCES trackings(id),
                  detail TEXT
                );
                CREATE INDEX audit_message ON audit_log(message_id, at);
                CREATE INDEX audit_time ON audit_log(at DESC, id DESC);
                """)
    }
}
