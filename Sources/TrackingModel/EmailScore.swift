/// The reference's email score: start at 50, add a weight per tracking row of the
/// address by its state, clamp to 0…100 at the end.
public enum EmailScore {
    public static let start: Double = 50

    /// The weight of one tracking row in a state (waiting, sent and deferred weigh 0).
    public static func weight(_ state: TrackingState?) -> Double {
        guard let state else { return 0 }
        switch state {
        case .error: return -50
        case .rejected, .spam, .bounced: return -25
        case .softBounced, .unsub: return -10
        case .delivered: return 1
        case .opened: return 5
        case .sent, .deferred: return 0
        }
    }

    /// Score and breakdown from the number of rows per state.
    public static func compute(counts: [TrackingState?: Int]) -> ScoreBreakdown {
        var lines: [ScoreLine] = []
        var total = start
        let ordered: [TrackingState?] = [nil] + TrackingState.allCases.map { Optional($0) }
        for state in ordered {
            guard let n = counts[state], n > 0 else { continue }
            let w = weight(state)
            lines.append(ScoreLine(state: state, count: n, weight: w))
            total += w * Double(n)
        }
        let clamped = min(100, max(0, total))
        return ScoreBreakdown(score: clamped, unclamped: total, lines: lines)
    }

    /// Reading of a score: below 50 bad, 50 unknown, above 50 good.
    public static func verdict(_ score: Double) -> String {
        score < 50 ? "bad" : (score > 50 ? "good" : "unknown")
    }

    /// The verdict shown beside an address's bounced flag: a flagged address is
    /// never called "good" (its newest mail failed, whatever the older ones did).
    public static func verdict(_ score: Double, bounced: Bool) -> String {
        bounced ? "but bounced last" : verdict(score)
    }
}

/// One line of a score breakdown: rows in a state and their weight.
public struct ScoreLine: Sendable, Hashable, Codable {
    public var state: TrackingState?
    public var count: Int
    public var weight: Double
    public var contribution: Double { weight * Double(count) }

    public init(state: TrackingState?, count: Int, weight: Double) {
        self.state = state
        self.count = count
        self.weight = weight
    }
}

/// A partner's email score with how it was reached.
public struct ScoreBreakdown: Sendable, Hashable {
    public var score: Double
    /// The sum before clamping to 0…100.
    public var unclamped: Double
    public var lines: [ScoreLine]
    public var trackingCount: Int { lines.reduce(0) { $0 + $1.count } }

    public init(score: Double, unclamped: Double, lines: [ScoreLine]) {
        self.score = score
        self.unclamped = unclamped
        self.lines = lines
    }
}
