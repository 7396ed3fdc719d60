import Foundation
import TrackingModel

/// The PostgreSQL store's read side, synchronous for the front and the CLI: each call
/// runs its statements in one read-only snapshot (`snapshot`) through `BlockingCall`.
/// Every method is the `StoreReading` requirement of its name (documented there), with
/// the same rows, order and pages as the SQLite store; a missing row is `.notFound`.
extension PostgresStore: StoreReading {
    /// Runs a read to completion for a synchronous caller.
    private func reading<T: Sendable>(_ body: @escaping @Sendable (PostgresReads) async throws -> T) throws -> T {
        try BlockingCall.run { try await self.snapshot(body) }
    }

    public func failedMessages(for user: Int64, filter: FailureFilter?, search: String?, page: PageRequest) throws
        -> Page<MessageView>
    {
        try reading { try await $0.failedMessages(for: user, filter: filter, search: search, page: page) }
    }

    public func failedMessageIds(for user: Int64, filter: FailureFilter?, search: String?) throws -> [Int64] {
        try reading { try await $0.failedMessageIds(for: user, filter: filter, search: search) }
    }

    public func failedCount(for user: Int64) throws -> Int {
        try reading { try await $0.failedCount(for: user) }
    }

    public func failedCount(for user: Int64, filter: FailureFilter?) throws -> Int {
        try reading { try await $0.failedCount(for: user, filter: filter) }
    }

    public func failedTally(for user: Int64, pending: [Int64]) throws -> (count: Int, stillFailed: Set<Int64>) {
        try reading { try await $0.failedTally(for: user, pending: pending) }
    }

    public func failureGroups(for user: Int64, filter: FailureFilter) throws -> [FailureGroup] {
        try reading { try await $0.failureGroups(for: user, filter: filter) }
    }

    /// Surges up to now, by this machine's clock.
    public func refusalSurges(causes: [FailureCause], threshold: Int, window: Double) throws -> [RefusalSurge] {
        let now = Date().timeIntervalSince1970
        return try reading { try await $0.refusalSurges(causes: causes, threshold: threshold, window: window, now: now) }
    }

    public func threads(failedOnly: Bool, search: String?, page: PageRequest) throws -> Page<ThreadSummary> {
        try reading { try await $0.threads(failedOnly: failedOnly, search: search, page: page) }
    }

    public func threadCount(failedOnly: Bool, search: String?) throws -> Int? {
        try reading { try await $0.threadCount(failedOnly: failedOnly, search: search) }
    }

    public func thread(_ ref: ThreadRef, after: PageCursor?, limit: Int) throws -> ThreadView {
        try reading { try await $0.threadView(try await $0.threadRow(ref, id: nil), after: after, limit: limit) }
    }

    public func thread(id: Int64, after: PageCursor?, limit: Int) throws -> ThreadView {
        try reading { try await $0.threadView(try await $0.threadRow(nil, id: id), after: after, limit: limit) }
    }

    public func threadHistory(id: Int64, page: PageRequest) throws -> Page<MessageView> {
        try reading { try await $0.threadHistory(id: id, page: page) }
    }

    public func message(id: Int64) throws -> MessageView {
        try reading { try await $0.message(id: id) }
    }

    public func inboxCount(for user: Int64, afterId: Int64, throughId: Int64) throws -> Int {
        try reading { try await $0.inboxCount(for: user, afterId: afterId, throughId: throughId) }
    }

    public func latestMessageId() throws -> Int64 {
        try reading { try await $0.latestMessageId() }
    }

    public func trackings(_ filter: TrackingFilter, page: PageRequest) throws -> Page<TrackingRow> {
        try reading { try await $0.trackings(filter, page: page) }
    }

    public func trackingCount(_ filter: TrackingFilter) throws -> Int? {
        try reading { try await $0.trackingCount(filter) }
    }

    public func tracking(id: Int64) throws -> TrackingRow {
        try reading { try await $0.tracking(id: id) }
    }

    public func events(_ filter: EventFilter, page: PageRequest) throws -> Page<EventRow> {
        try reading { try await $0.events(filter, page: page) }
    }

    public func eventCount(trackingId: Int64?) throws -> Int {
        try reading { try await $0.eventCount(trackingId: trackingId) }
    }

    public func ingestCounts() throws -> (quarantined: Int, unmatched: Int) {
        try reading { try await $0.ingestCounts() }
    }

    public func partners(search: String?, page: PageRequest) throws -> Page<PartnerCard> {
        try reading { try await $0.partners(search: search, page: page) }
    }

    public func partners(bouncedOnly: Bool, after: String?, afterId: Int64?, limit: Int) throws -> [PartnerCard] {
        try reading { try await $0.partners(bouncedOnly: bouncedOnly, after: after, afterId: afterId, limit: limit) }
    }

    public func partnerCount(search: String?) throws -> Int? {
        try reading { try await $0.partnerCount(search: search) }
    }

    public func findUser(email: String) throws -> PartnerRef? {
        try reading { try await $0.findUser(email: email) }
    }

    public func setting(_ key: String) throws -> String? {
        try reading { try await $0.setting(key) }
    }
}
