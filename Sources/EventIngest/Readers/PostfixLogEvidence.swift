import DeliverySignals
import Foundation
import TrackingModel
import TrackingStore

/// Whether the local Postfix took the mail of attempts a dead sender left in `sending`,
/// read from Postfix's log (the rotated siblings written to since the earliest attempt,
/// `.gz` included, then the live file; read with `LogTailer`).
///
/// - **accepted**: a `cleanup[…]: QID: message-id=<OUR-ID>` line at or after the attempt
///   start, and qmgr's `QID: from=<OUR-VERP-SENDER>, … (queue active)` for the same queue
///   id (the mail was committed; our Message-ID alone is shared by the per-recipient mails
///   of one message, the VERP sender is not).
/// - **absent**: no cleanup line with our Message-ID after the start (other than the other
///   recipients' committed mails, under another VERP sender), and the log goes on
///   past `start + margin`, the latest time the attempt could still have been talking to
///   the server (the sender's longest attempt): Postfix never got the data.
/// - otherwise nothing is said (our Message-ID seen but not committed yet, or a log that
///   stops too early): the store resends flagged possible duplicate.
public struct PostfixLogEvidence: DeliveryEvidence {
    /// The live log path.
    public var path: String
    /// The zone of syslog timestamps (the poller source's `timezone`).
    public var zone: PostfixTimeZone
    /// Seconds after an attempt's start by which it had surely ended (see `absent`).
    public var margin: Double
    /// The name given as the `sent` event's server.
    public static let source = "postfix log"

    public init(path: String, zone: PostfixTimeZone = .utc, margin: Double) {
        self.path = path
        self.zone = zone
        self.margin = max(0, margin)
    }

    /// The cleanup lines may carry a whole-second timestamp up to a second before the attempt start.
    static let clockSlack: Double = 1

    public func evidence(for attempts: [InterruptedAttempt]) throws -> [Int64: AttemptEvidence] {
        guard let earliest = attempts.map(\.startedAt).min() else { return [:] }
        var scan = LogScan(wanted: Set(attempts.map(\.messageIdHeader)), since: earliest - Self.clockSlack)
        try scan.read(path, zone: zone)
        var answers: [Int64: AttemptEvidence] = [:]
        for attempt in attempts {
            let since = attempt.startedAt - Self.clockSlack
            let sender = attempt.envelopeFrom?.lowercased()
            // Our Message-ID after the start, minus the mails committed with another envelope
            // sender (the other recipients' mails of the same message).
            let ours = scan.queued.filter { q in
                q.messageId == attempt.messageIdHeader && q.at >= since
                    && (q.from == nil || sender == nil || q.from?.lowercased() == sender)
            }
            if let hit = ours.first(where: { $0.from != nil && $0.from?.lowercased() == sender }) {
                answers[attempt.outboxId] = .accepted(queueId: hit.queueId, at: hit.at, source: Self.source)
            } else if ours.isEmpty, let last = scan.lastTimestamp, last >= attempt.startedAt + margin {
                answers[attempt.outboxId] = .absent(coveredUntil: last, source: Self.source)
            }
        }
        return answers
    }
}

/// One pass over the log files: the queue ids whose cleanup line carries a wanted
/// Message-ID (with qmgr's envelope sender once committed), and the last timestamp.
private struct LogScan {
    struct Queued {
        var queueId: String
        var messageId: String
        var at: Double
        /// qmgr's `from=` (nil: not committed / not seen yet).
        var from: String?
    }

    let wanted: Set<String>
    let since: Double
    private(set) var queued: [Queued] = []
    private var open: [String: Int] = [:]
    private(set) var lastTimestamp: Double?

    init(wanted: Set<String>, since: Double) {
        self.wanted = wanted
        self.since = since
    }

    /// Reads the log: the rotated siblings written to since `since` (oldest first, `.gz`
    /// too), then the live file to its current end.
    mutating func read(_ path: String, zone: PostfixTimeZone) throws {
        let tailer = LogTailer(
            path: path, cursor: nil, options: LogTailerOptions(backfillRotated: true, backfillModifiedSince: since))
        var parser = PostfixLineParser(referenceTime: 0, zone: zone)
        var file = ""
        var lines = 0
        repeat {
            lines = 0
            try tailer.read { raw, _, from in
                lines += 1
                if from != file {
                    // Syslog timestamps have no year: no line is more than a day after its file's mtime.
                    file = from
                    parser.referenceTime = FileIdentity.of(path: from).map { Double($0.mtime) / 1e9 }
                        ?? Date().timeIntervalSince1970
                }
                guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
                var count = raw.count
                while count > 0, base[count - 1] == UInt8(ascii: "\r") { count -= 1 }
                let bytes = PostfixBytes(base: base, count: count)
                guard case .line(let line) = parser.scan(bytes) else { return }
                note(line, bytes)
            }
        } while lines > 0
    }

    private mutating func note(_ line: PostfixLineScan, _ bytes: PostfixBytes) {
        lastTimestamp = max(lastTimestamp ?? line.timestamp, line.timestamp)
        guard let qidRange = line.queueId.range else { return }
        switch line.kind {
        case .messageId(let span):
            guard line.timestamp >= since, let range = span.range else { return }
            let messageId = bytes.string(range.lowerBound, range.upperBound)
            guard wanted.contains(messageId) else { return }
            let queueId = bytes.string(qidRange.lowerBound, qidRange.upperBound)
            open[queueId] = queued.count
            queued.append(Queued(queueId: queueId, messageId: messageId, at: line.timestamp))
        case .queueActive(let from, _, _):
            guard !open.isEmpty, let range = from.range else { return }
            let queueId = bytes.string(qidRange.lowerBound, qidRange.upperBound)
            guard let index = open.removeValue(forKey: queueId) else { return }
            queued[index].from = bytes.string(range.lowerBound, range.upperBound)
        case .delivery, .header, .expired, .removed, .notification, .client, .pickup, .reject, .other:
            return
        }
    }
}
