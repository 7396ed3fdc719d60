import TrackingModel

extension PostgresSchema {
    /// The poller's tables and the tie-back columns (SQLite step `v2-ingest`).
    static let v2Ingest = """
        ALTER TABLE trackings ADD COLUMN queue_id TEXT;
        ALTER TABLE trackings ADD COLUMN provider_message_id TEXT;
        CREATE INDEX trackings_token ON trackings(token) WHERE token IS NOT NULL;
        CREATE INDEX trackings_queue_id ON trackings(queue_id) WHERE queue_id IS NOT NULL;
        CREATE INDEX trackings_provider_message_id ON trackings(provider_message_id)
          WHERE provider_message_id IS NOT NULL;

        CREATE TABLE quarantine (
          id BIGSERIAL PRIMARY KEY,
          source TEXT NOT NULL,
          path TEXT NOT NULL,
          position TEXT NOT NULL,
          reason TEXT NOT NULL,
          excerpt TEXT NOT NULL,
          first_seen DOUBLE PRECISION NOT NULL,
          last_seen DOUBLE PRECISION NOT NULL,
          count BIGINT NOT NULL DEFAULT 1,
          UNIQUE (source, path, position)
        );
        CREATE INDEX quarantine_time ON quarantine(last_seen DESC, id DESC);

        CREATE TABLE unmatched (
          id BIGSERIAL PRIMARY KEY,
          source TEXT NOT NULL,
          key TEXT NOT NULL,
          path TEXT NOT NULL,
          type TEXT NOT NULL,
          timestamp DOUBLE PRECISION NOT NULL,
          recipient TEXT,
          status TEXT,
          bounce_type TEXT,
          event_reason TEXT,
          description TEXT,
          machine BIGINT NOT NULL DEFAULT 0,
          tracking_key TEXT,
          verp_token TEXT,
          envelope_id TEXT,
          queue_id TEXT,
          provider_message_id TEXT,
          message_id TEXT,
          reason TEXT NOT NULL,
          recorded_at DOUBLE PRECISION NOT NULL,
          UNIQUE (source, key)
        );
        CREATE INDEX unmatched_time ON unmatched(timestamp DESC, id DESC);

        CREATE TABLE queue_links (
          host TEXT NOT NULL,
          queue_id TEXT NOT NULL,
          first_seen DOUBLE PRECISION NOT NULL,
          message_id TEXT,
          tracking_id TEXT,
          system BIGINT NOT NULL DEFAULT 0,
          link TEXT NOT NULL,
          PRIMARY KEY (host, queue_id)
        );

        CREATE TABLE ingested_items (
          source TEXT NOT NULL,
          item TEXT NOT NULL,
          at DOUBLE PRECISION NOT NULL,
          PRIMARY KEY (source, item)
        );
        """

    /// The sender's per-attempt columns (SQLite step `v3-sending`).
    static let v3Sending = """
        ALTER TABLE outbox ADD COLUMN attempt_started_at DOUBLE PRECISION;
        ALTER TABLE outbox ADD COLUMN message_id_header TEXT;
        ALTER TABLE outbox ADD COLUMN possible_duplicate BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE outbox ADD COLUMN queue_id TEXT;
        ALTER TABLE outbox ADD COLUMN finished_at DOUBLE PRECISION;
        CREATE INDEX outbox_sending ON outbox(id) WHERE status = 'sending';
        """

    /// A message's sending mode, fixed when first queued (SQLite step `v4-shared-mail`).
    static let v4SharedMail = """
        ALTER TABLE messages ADD COLUMN shared_token TEXT;
        CREATE UNIQUE INDEX messages_shared_token ON messages(shared_token) WHERE shared_token IS NOT NULL;
        """

    /// Why a failure happened, on events and tracking rows (SQLite step `v5-causes`).
    static let v5Causes = """
        ALTER TABLE events ADD COLUMN cause TEXT;
        ALTER TABLE trackings ADD COLUMN cause TEXT;
        CREATE INDEX trackings_cause_domain ON trackings(cause, \(receivingDomain)) WHERE cause IS NOT NULL;
        """

    /// Who changed a partner's address (SQLite step `v6-partner-audit`).
    static let v6PartnerAudit = """
        CREATE TABLE partner_audit (
          id BIGSERIAL PRIMARY KEY,
          at DOUBLE PRECISION NOT NULL,
          actor_id BIGINT REFERENCES partners(id),
          partner_id BIGINT NOT NULL REFERENCES partners(id),
          action TEXT NOT NULL CHECK (action IN ('set_email')),
          old_email TEXT,
          new_email TEXT
        );
        CREATE INDEX partner_audit_partner ON partner_audit(partner_id, at);
        """

    /// The tracking list of every failed state at once, read along its own index
    /// (SQLite step `v7-failed-list`); the states are the model's failed ones.
    static let v7FailedList = """
        CREATE INDEX trackings_failed ON trackings(created_at DESC, id DESC) WHERE state IN (\(
            TrackingState.allCases.filter(\.isFailed).map { "'\($0.rawValue)'" }.joined(separator: ",")));
        """

    /// The pixel URL the row's mail carried, stamped when the mail is accepted
    /// (SQLite step `v8-pixel-url`).
    static let v8PixelURL = """
        ALTER TABLE trackings ADD COLUMN pixel_url TEXT;
        """
}
