import Foundation
import PostgresNIO
import TrackingModel

/// `chatter serve` on PostgreSQL: the pixel's open by the SQLite store's rules (token,
/// openable state, shared pixel, the ±10 s window of the event rules), written through
/// the PostgreSQL event applier (locks, counters by increments, `pg_notify` on commit);
/// `/healthz` and `/metrics` from the server's own figures.
extension PostgresStore: ServeRole {
    public func recordPixelOpen(trackingId: Int64, token: String?, ip: String?, userAgent: String?) throws -> PixelResult {
        try BlockingCall.run { try await self.pixelOpen(trackingId: trackingId, token: token, ip: ip, userAgent: userAgent) }
    }

    public func health() -> StoreHealth {
        do {
            let applied = try BlockingCall.run { try await self.appliedMigrations() }
            let known = PostgresSchema.steps.map(\.name)
            let unknown = applied.filter { !known.contains($0) }
            let missing = known.filter { !applied.contains($0) }
            if !unknown.isEmpty { return StoreHealth(problem: "schema is newer than this build: \(unknown.joined(separator: ", "))") }
            if !missing.isEmpty { return StoreHealth(problem: "schema not current: missing \(missing.joined(separator: ", "))") }
            return StoreHealth(problem: nil)
        } catch {
            return StoreHealth(problem: "store unreachable: \(PostgresStoreError.wrap(error))")
        }
    }

    public func gauges() throws -> StoreGauges {
        try BlockingCall.run { try await self.readGauges() }
    }

    /// The open, its targets read first (a refused request writes nothing), then applied
    /// as events in one transaction; the events' own rules keep the state and window.
    func pixelOpen(trackingId: Int64, token: String?, ip: String?, userAgent: String?) async throws -> PixelResult {
        let targets: PixelTargets = try await exclusive { try await self.pixelTargets(trackingId: trackingId, token: token) }
        switch targets {
        case .done(let result): return result
        case .rows(let ids, let shared):
            let now = self.now
            let events = ids.map { id in
                NewEvent(
                    trackingId: id, type: .open, timestamp: now, source: "pixel", key: "\(id):\(now):\(ip ?? "")",
                    details: EventDetails(ip: ip, userAgent: userAgent, errorDetails: shared ? EventDetails.sharedPixel : nil))
            }
            let report = try await apply(events, now: now)
            if report.applied > 0 { return .recorded }
            if report.suppressed + report.duplicates > 0 { return .suppressed }
            return .notOpenable
        }
    }

    /// Where a pixel request's open goes.
    enum PixelTargets: Sendable {
        /// Nothing to record: the answer.
        case done(PixelResult)
        /// Record on these rows (`shared`: through a shared pixel).
        case rows([Int64], shared: Bool)
    }

    /// The rows a pixel request may record an open on: its own row when the row's token
    /// matches, every openable row of its message when the message's shared token does.
    private func pixelTargets(trackingId: Int64, token: String?) async throws -> PixelTargets {
        guard
            let row = try await rows(
                """
                SELECT t.token, t.state, t.message_id, m.shared_token FROM trackings t
                JOIN messages m ON m.id = t.message_id WHERE t.id = \(trackingId)
                """
            ).first
        else { return .done(.refused) }
        let (stored, state, messageId, sharedToken) = try row.decode((String?, String, Int64, String?).self)
        let openable = [TrackingState.sent.rawValue, TrackingState.delivered.rawValue]
        if PixelToken.matches(stored: stored, given: token) {
            return openable.contains(state) ? .rows([trackingId], shared: false) : .done(.notOpenable)
        }
        guard let sharedToken, token != nil, PixelToken.matches(stored: sharedToken, given: token) else { return .done(.refused) }
        let ids = try await rows(
            "SELECT id FROM trackings WHERE message_id = \(messageId) AND state IN (\(openable[0]), \(openable[1])) ORDER BY id"
        ).map { try $0.decode(Int64.self) }
        return ids.isEmpty ? .done(.notOpenable) : .rows(ids, shared: true)
    }

    /// The gauges in one statement (one snapshot).
    private func readGauges() async throws -> StoreGauges {
        try await exclusive {
            let counts = try await self.rows(
                """
                SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM quarantine), (SELECT count(*) FROM unmatched),
                (SELECT count(*) FROM outbox WHERE status = 'queued'), (SELECT count(*) FROM outbox WHERE status = 'sending'),
                (SELECT count(*) FROM outbox WHERE status = 'failed')
                """
            ).first?.decode((Int64, Int64, Int64, Int64, Int64, Int64).self)
            var g = StoreGauges()
            guard let counts else { return g }
            (g.events, g.quarantined, g.unmatched) = (Int(counts.0), Int(counts.1), Int(counts.2))
            (g.outboxQueued, g.outboxSending, g.outboxFailed) = (Int(counts.3), Int(counts.4), Int(counts.5))
            return g
        }
    }
}
