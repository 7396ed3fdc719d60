/// The rule of a Retry plan, in one place for every store: which failed rows a
/// selection names, what an address's event log says (bounced, suppressed), how each
/// recipient is judged, and which rows a retry then queues. A store runs its fixed
/// statements (the failed rows, the address history, the scores, the last events, the
/// pending outbox entries) and hands their rows here; see `TrackingStore.retryPlan`
/// for the checks in words.
public enum RetryPlanning {
    /// A selection with its addresses checked and normalized.
    public enum Target: Sendable, Hashable {
        case all
        case addresses(Set<String>)
        case trackings(Set<Int64>)
        /// The failed rows of a failure group: restricted as `trackings`, but judged as
        /// `all` (nobody named them, so a suppressed address stays unticked).
        case group(Set<Int64>)
    }

    /// The selection with addresses checked and normalized (bad input is a clear error).
    public static func target(_ selection: RetrySelection) throws(RetryRefusal) -> Target {
        switch selection {
        case .all: return .all
        case .trackings(let ids): return .trackings(Set(ids))
        case .addresses(let list):
            var set = Set<String>()
            for a in list {
                switch AddressParser.parseMailbox(a) {
                case .success(let m): set.insert(m.normalized)
                case .failure(let e): throw RetryRefusal(message: e.description)
                }
            }
            return .addresses(set)
        }
    }

    /// A failed tracking row of the message, as the plan's first statement reads it:
    /// `address` is where a resend goes (the row's own partner's current address, else
    /// the row's), `emailBounced` the flag of the partner holding that address.
    public struct FailedRow: Sendable, Hashable {
        public var id: Int64
        public var recipient: String
        public var address: String?
        public var state: TrackingState?
        public var errorType: String?
        public var errorDescription: String?
        public var cause: FailureCause?
        public var partnerName: String?
        public var partnerId: Int64?
        public var emailBounced: Bool?

        public init(
            id: Int64, recipient: String, address: String?, state: TrackingState?, errorType: String?,
            errorDescription: String?, cause: FailureCause?, partnerName: String?, partnerId: Int64?, emailBounced: Bool?
        ) {
            (self.id, self.recipient, self.address, self.state, self.errorType) = (id, recipient, address, state, errorType)
            (self.errorDescription, self.cause, self.partnerName, self.partnerId, self.emailBounced) =
                (errorDescription, cause, partnerName, partnerId, emailBounced)
        }
    }

    /// Keeps the selected failed rows; naming a recipient that is not failed is an error.
    public static func select(_ rows: [FailedRow], _ target: Target, messageId: Int64) throws(RetryRefusal) -> [FailedRow] {
        switch target {
        case .all:
            return rows
        case .addresses(let wanted):
            let failed = Set(rows.compactMap(\.address))
            if let missing = wanted.subtracting(failed).sorted().first {
                throw RetryRefusal(message: "\(missing) is not a failed recipient of message \(messageId)")
            }
            return rows.filter { row in row.address.map(wanted.contains) ?? true }
        case .trackings(let wanted), .group(let wanted):
            let failed = Set(rows.map(\.id))
            if let missing = wanted.subtracting(failed).sorted().first {
                throw RetryRefusal(message: "tracking \(missing) is not a failed recipient of message \(messageId)")
            }
            return rows.filter { wanted.contains($0.id) }
        }
    }

    /// A failure group's (message id, tracking id) rows grouped by message, in the order
    /// of `rows` (newest message first): what a group retry plans and runs, message by message.
    public static func byMessage(_ rows: [(Int64, Int64)]) -> [(Int64, [Int64])] {
        var order: [Int64] = []
        var map: [Int64: [Int64]] = [:]
        for (m, t) in rows {
            if map[m] == nil { order.append(m) }
            map[m, default: []].append(t)
        }
        return order.map { ($0, map[$0] ?? []) }
    }

    /// The event types the address history statement counts.
    public static let historyTypes: [EventType] = [.hardBounce, .reject, .spam, .error, .unsub, .delivered]

    /// What the event log says about an address, over all its rows.
    public struct AddressHistory: Sendable, Hashable {
        public var hardFailures = 0
        public var lastSpam: Double?
        public var lastUnsub: Double?
        public var lastReject: Double?
        public var lastDelivered: Double?

        public init() {}

        /// Folds in one row of the grouped history statement: `count` events of `type`
        /// and `cause` on the address, the newest at `last`.
        public mutating func add(type: EventType, cause: FailureCause?, count: Int, last: Double) {
            if type.flagsPartner(errorType: nil, cause: cause) { hardFailures += count }
            // Rows of one type come once per cause: keep the newest time of them all.
            func newest(_ t: Double?) -> Double { max(t ?? last, last) }
            switch type {
            case .spam: lastSpam = newest(lastSpam)
            case .unsub: lastUnsub = newest(lastUnsub)
            case .reject: lastReject = newest(lastReject)
            case .delivered: lastDelivered = newest(lastDelivered)
            case .hardBounce, .error, .sent, .deferral, .softBounce, .open, .click, .retry: break
            }
        }

        /// The suppression rule: spam and unsub for good, reject until a later delivery.
        public var suppression: Suppression? {
            var candidates: [(Suppression, Double)] = []
            if let t = lastSpam { candidates.append((.spam, t)) }
            if let t = lastUnsub { candidates.append((.unsub, t)) }
            if let t = lastReject, lastDelivered.map({ $0 <= t }) ?? true { candidates.append((.reject, t)) }
            return candidates.max { $0.1 < $1.1 }?.0
        }
    }

    /// The plan from the statements' rows: `rows` are the selected failed rows (see
    /// `select`), the maps are keyed by address (history, per-state counts) or by
    /// tracking id (last events newest first, pending outbox entry).
    public static func plan(
        messageId: Int64, rows: [FailedRow], target: Target, history: [String: AddressHistory],
        scores: [String: [TrackingState?: Int]], events: [Int64: [RetryEvent]], pending: [Int64: Int64]
    ) -> RetryPlan {
        let recipients = rows.map { row -> RetryRecipient in
            let address = row.address
            let chosen: Bool
            switch target {
            case .all: chosen = false
            case .addresses(let wanted): chosen = address.map(wanted.contains) ?? false
            case .trackings: chosen = true
            case .group: chosen = false
            }
            let facts = address.flatMap { history[$0] } ?? AddressHistory()
            return RetryRecipient(
                trackingId: row.id, name: row.partnerName ?? row.recipient, address: address, state: row.state,
                errorType: row.errorType, errorDescription: row.errorDescription, partnerId: row.partnerId,
                bounced: address != nil && (row.emailBounced ?? (facts.hardFailures > 0)), hardFailures: facts.hardFailures,
                score: address.map { EmailScore.compute(counts: scores[$0] ?? [:]).score },
                suppressed: facts.suppression, lastEvents: events[row.id] ?? [], pendingOutboxId: pending[row.id],
                cause: row.cause, chosen: chosen)
        }
        return RetryPlan(messageId: messageId, recipients: recipients)
    }
}

extension RetryResult {
    /// The start of executing `plan`: its skipped rows sorted by reason, nothing queued yet.
    public init(executing plan: RetryPlan) {
        self.init(trackingIds: [], outboxIds: [], skippedNoAddress: [], skippedAlreadyQueued: [], plan: plan)
        for r in plan.recipients {
            if r.skipReasons.contains(.noAddress) { skippedNoAddress.append(r.trackingId) }
            if r.skipReasons.contains(.alreadyQueued) { skippedAlreadyQueued.append(r.trackingId) }
            if r.verdict == .unticked { skippedSuppressed.append(r.trackingId) }
        }
    }
}

extension RetryPlan {
    /// The rows a retry of this plan queues, each with the address its resend goes to.
    public var queue: [(trackingId: Int64, address: String)] {
        recipients.compactMap { r in
            guard r.verdict.ticksByDefault, let address = r.address else { return nil }
            return (r.trackingId, address)
        }
    }
}

/// Why a retry was refused before anything was written (a broken address, a row
/// that is not a failed recipient of the message).
public struct RetryRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
