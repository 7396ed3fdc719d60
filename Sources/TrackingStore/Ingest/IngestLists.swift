import GRDB
import TrackingModel

extension TrackingStore {
    /// Quarantined input, latest first (`chatter quarantine`, the front).
    public func quarantined(limit: Int = 1000) throws(StoreError) -> [QuarantineRow] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM quarantine ORDER BY last_seen DESC, id DESC LIMIT ?", arguments: [limit]
            ).map { r in
                QuarantineRow(
                    id: r["id"],
                    item: QuarantineItem(
                        source: r["source"], path: r["path"], position: r["position"], reason: r["reason"],
                        excerpt: r["excerpt"]),
                    firstSeen: r["first_seen"], lastSeen: r["last_seen"], count: r["count"])
            }
        }
    }

    /// Unmatched events, latest first (`chatter unmatched`, the front).
    public func unmatched(limit: Int = 1000) throws(StoreError) -> [UnmatchedRow] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM unmatched ORDER BY timestamp DESC, id DESC LIMIT ?", arguments: [limit]
            ).map { r in
                UnmatchedRow(
                    id: r["id"],
                    event: UnmatchedEvent(
                        source: r["source"], key: r["key"], path: r["path"], type: r["type"], timestamp: r["timestamp"],
                        recipient: r["recipient"], status: r["status"], bounceType: r["bounce_type"],
                        eventReason: r["event_reason"], description: r["description"], machine: r["machine"],
                        keys: TieBackKeys(
                            trackingId: r["tracking_key"], verpToken: r["verp_token"], envelopeId: r["envelope_id"],
                            queueId: r["queue_id"], providerMessageId: r["provider_message_id"],
                            messageId: r["message_id"], recipient: r["recipient"]),
                        reason: r["reason"]),
                    recordedAt: r["recorded_at"])
            }
        }
    }

    /// How many quarantined inputs and unmatched events there are (the front's header).
    public func ingestCounts() throws(StoreError) -> (quarantined: Int, unmatched: Int) {
        try read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM quarantine") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM unmatched") ?? 0
            )
        }
    }
}
