/// The PostgreSQL store's schema as append-only migrations, step for step the SQLite
/// store's (same step names, same tables, columns, constraints and indexes), so that
/// `chatter store copy` moves every row both ways unchanged.
///
/// Types: SQLite's `INTEGER PRIMARY KEY` is `BIGSERIAL` (the copy keeps ids and then
/// sets each sequence past the largest), `INTEGER` is `BIGINT`, `REAL` (times: UTC epoch
/// seconds) is `DOUBLE PRECISION` (the same IEEE double, so copies are exact), `TEXT`
/// is `TEXT`. A shipped step is never edited; a change is a new step at the end.
enum PostgresSchema {
    /// One step: its name (the same as the SQLite store's) and its statements.
    struct Step: Sendable {
        var name: String
        var sql: String
    }

    /// Every step this build knows, in order.
    static let steps: [Step] = [
        Step(name: "v1-tracking", sql: v1Tracking),
        Step(name: "v2-ingest", sql: v2Ingest),
        Step(name: "v3-sending", sql: v3Sending),
        Step(name: "v4-shared-mail", sql: v4SharedMail),
        // On SQLite this step also re-derives the causes of a stored history; a PostgreSQL
        // store is always created empty by this build (its history arrives by copy, already
        // derived), so the step is only its columns and index.
        Step(name: "v5-causes", sql: v5Causes),
        Step(name: "v6-partner-audit", sql: v6PartnerAudit),
        Step(name: "v7-failed-list", sql: v7FailedList),
        Step(name: "v8-pixel-url", sql: v8PixelURL),
    ]

    /// The receiving domain of an address: the text after its first `@` (the SQLite
    /// store's `substr(address, instr(address, '@') + 1)`).
    static let receivingDomain = "substr(address, strpos(address, '@') + 1)"

    static let v1Tracking = """
        CREATE TABLE partners (
          id BIGSERIAL PRIMARY KEY,
          name TEXT NOT NULL,
          email TEXT,
          email_normalized TEXT,
          is_user BIGINT NOT NULL DEFAULT 0,
          notify_email BIGINT NOT NULL DEFAULT 1,
          email_bounced BIGINT NOT NULL DEFAULT 0,
          created_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX partners_email ON partners(email_normalized);
        CREATE INDEX partners_name ON partners(name, id);
        CREATE INDEX partners_bounced ON partners(name, id) WHERE email_bounced = 1;

        CREATE TABLE aliases (
          address TEXT PRIMARY KEY
        );

        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );

        CREATE TABLE threads (
          id BIGSERIAL PRIMARY KEY,
          model TEXT NOT NULL,
          key TEXT NOT NULL,
          name TEXT NOT NULL,
          tracking_img_disabled BIGINT NOT NULL DEFAULT 0,
          last_activity DOUBLE PRECISION NOT NULL,
          message_count BIGINT NOT NULL DEFAULT 0,
          failed_count BIGINT NOT NULL DEFAULT 0,
          UNIQUE(model, key)
        );
        CREATE INDEX threads_activity ON threads(last_activity DESC, id DESC);
        CREATE INDEX threads_failed ON threads(last_activity DESC, id DESC) WHERE failed_count > 0;

        CREATE TABLE messages (
          id BIGSERIAL PRIMARY KEY,
          thread_id BIGINT NOT NULL REFERENCES threads(id),
          author_id BIGINT NOT NULL REFERENCES partners(id),
          date DOUBLE PRECISION NOT NULL,
          subject TEXT NOT NULL,
          body TEXT NOT NULL,
          message_id TEXT NOT NULL UNIQUE,
          email_to TEXT NOT NULL DEFAULT '',
          email_cc TEXT NOT NULL DEFAULT '',
          tracked BIGINT NOT NULL DEFAULT 1,
          needs_action BIGINT NOT NULL DEFAULT 0,
          failed_trackings BIGINT NOT NULL DEFAULT 0
        );
        CREATE INDEX messages_thread ON messages(thread_id, date DESC, id DESC);
        CREATE INDEX messages_failed ON messages(date DESC, id DESC, author_id)
          WHERE needs_action = 1 AND failed_trackings > 0;
        CREATE INDEX messages_failed_thread ON messages(thread_id, date DESC, id DESC)
          WHERE needs_action = 1 AND failed_trackings > 0;
        CREATE INDEX messages_author ON messages(author_id, date DESC, id DESC);

        CREATE TABLE message_recipients (
          message_id BIGINT NOT NULL REFERENCES messages(id),
          position BIGINT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('to', 'cc')),
          partner_id BIGINT REFERENCES partners(id),
          address TEXT,
          display TEXT NOT NULL,
          PRIMARY KEY (message_id, position)
        );
        CREATE INDEX message_recipients_partner ON message_recipients(partner_id, message_id)
          WHERE partner_id IS NOT NULL;

        -- The Failed mailbox counter of each user, kept up to date by every
        -- transaction that makes a message failed or not failed.
        CREATE TABLE failed_counts (
          partner_id BIGINT PRIMARY KEY REFERENCES partners(id),
          count BIGINT NOT NULL
        );

        CREATE TABLE trackings (
          id BIGSERIAL PRIMARY KEY,
          message_id BIGINT NOT NULL REFERENCES messages(id),
          partner_id BIGINT REFERENCES partners(id),
          recipient TEXT NOT NULL,
          address TEXT,
          is_cc BIGINT NOT NULL DEFAULT 0,
          sender TEXT NOT NULL,
          subject TEXT NOT NULL,
          created_at DOUBLE PRECISION NOT NULL,
          token TEXT,
          state TEXT,
          error_smtp_server TEXT,
          error_type TEXT,
          error_description TEXT,
          bounce_type TEXT,
          bounce_description TEXT,
          last_ts DOUBLE PRECISION,
          last_rank BIGINT,
          last_tiebreak TEXT
        );
        CREATE INDEX trackings_message ON trackings(message_id);
        CREATE INDEX trackings_address ON trackings(address, created_at DESC, id DESC);
        CREATE INDEX trackings_created ON trackings(created_at DESC, id DESC);
        CREATE INDEX trackings_state ON trackings(state, created_at DESC, id DESC);

        CREATE TABLE events (
          id BIGSERIAL PRIMARY KEY,
          tracking_id BIGINT NOT NULL REFERENCES trackings(id),
          type TEXT NOT NULL,
          timestamp DOUBLE PRECISION NOT NULL,
          source TEXT NOT NULL,
          key TEXT NOT NULL,
          machine BIGINT NOT NULL DEFAULT 0,
          recipient TEXT,
          smtp_server TEXT,
          url TEXT,
          ip TEXT,
          user_agent TEXT,
          os_family TEXT,
          ua_family TEXT,
          ua_type TEXT,
          mobile BIGINT,
          country TEXT,
          error_type TEXT,
          error_description TEXT,
          error_details TEXT,
          bounce_type TEXT,
          bounce_description TEXT,
          recorded_at DOUBLE PRECISION NOT NULL,
          UNIQUE (source, key)
        );
        CREATE INDEX events_tracking ON events(tracking_id, timestamp);
        CREATE INDEX events_time ON events(timestamp DESC, id DESC);
        CREATE INDEX events_type ON events(type, timestamp DESC, id DESC);

        CREATE TABLE source_cursors (
          source TEXT PRIMARY KEY,
          cursor TEXT NOT NULL,
          updated_at DOUBLE PRECISION NOT NULL
        );

        CREATE TABLE outbox (
          id BIGSERIAL PRIMARY KEY,
          message_id BIGINT NOT NULL REFERENCES messages(id),
          tracking_id BIGINT NOT NULL REFERENCES trackings(id),
          kind TEXT NOT NULL CHECK (kind IN ('send', 'retry')),
          status TEXT NOT NULL DEFAULT 'queued'
            CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
          attempts BIGINT NOT NULL DEFAULT 0,
          queued_at DOUBLE PRECISION NOT NULL,
          next_attempt_at DOUBLE PRECISION NOT NULL,
          requested_by BIGINT REFERENCES partners(id),
          last_error TEXT
        );
        CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE status = 'queued';
        CREATE INDEX outbox_tracking ON outbox(tracking_id);

        CREATE TABLE audit_log (
          id BIGSERIAL PRIMARY KEY,
          at DOUBLE PRECISION NOT NULL,
          actor_id BIGINT REFERENCES partners(id),
          action TEXT NOT NULL CHECK (action IN ('review', 'unreview', 'retry')),
          message_id BIGINT NOT NULL REFERENCES messages(id),
          tracking_id BIGINT REFERENCES trackings(id),
          detail TEXT
        );
        CREATE INDEX audit_message ON audit_log(message_id, at);
        CREATE INDEX audit_time ON audit_log(at DESC, id DESC);
        """
}
