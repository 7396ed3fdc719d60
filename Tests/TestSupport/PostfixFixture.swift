import DeliverySignals
import Foundation
import TrackingModel

/// Shared helpers of the Postfix tests: the captured log and a reader over it.
public enum PostfixFixture {
    /// `Tests/Fixtures/postfix/postfix.log`: a real Postfix's log, captured on loopback.
    public static var capturePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/postfix/postfix.log").path
    }

    /// 2026-11-25 12:00:00 UTC, a little after the capture.
    public static let captureReference = Double(CivilDate.days(year: 2026, month: 11, day: 25) * 86_400 + 43_200)

    public static func epoch(_ year: Int, _ month: Int, _ day: Int, _ h: Int, _ m: Int, _ s: Int) -> Double {
        Double(CivilDate.days(year: year, month: month, day: day) * 86_400 + h * 3600 + m * 60 + s)
    }

    public static func ingestor(
        settings: PostfixCorrelatorSettings = PostfixCorrelatorSettings(), links: QueueLinkStore = InMemoryQueueLinkStore()
    ) -> PostfixLogIngestor {
        PostfixLogIngestor(
            parser: PostfixLineParser(referenceTime: captureReference),
            correlator: PostfixCorrelator(settings: settings, links: links))
    }

    /// All outcomes of feeding `text` line by line.
    public static func run(_ text: String, ingestor: PostfixLogIngestor, path: String = "postfix.log") throws
        -> (events: [ParsedEvent], quarantined: [QuarantineItem])
    {
        var events: [ParsedEvent] = []
        var quarantined: [QuarantineItem] = []
        var offset: Int64 = 0
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            switch try ingestor.ingest(String(line), offset: offset, path: path) {
            case .events(let e): events += e
            case .quarantined(let q): quarantined.append(q)
            case .skipped: break
            }
            offset += Int64(line.utf8.count + 1)
        }
        return (events, quarantined)
    }
}

extension ParsedEvent {
    /// `delivered`, `hard_bounce`... or `ignored`.
    public var typeName: String {
        switch kind {
        case .event(let type): return type.rawValue
        case .ignored: return "ignored"
        }
    }
}

/// One line as the scan saw it: the scan and the line's bytes, so tests read the spans as text.
public struct ScannedLine {
    public var scan: PostfixLineScan
    public var bytes: [UInt8]

    /// The text of `span`, nil when absent.
    public func text(_ span: PostfixSpan) -> String? {
        span.range.map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    /// The kind with its spans as text, e.g. `header(X-Tracking-ID, trk-F-0006)`; `-` for an absent span.
    public var kind: String {
        func t(_ span: PostfixSpan) -> String { text(span) ?? "-" }
        switch scan.kind {
        case .delivery(let d): return "delivery(\(t(d.to)), \(d.status.rawValue))"
        case .messageId(let id): return "messageId(\(t(id)))"
        case .header(let name, let value): return "header(\(t(name)), \(t(value)))"
        case .queueActive(let from, let size, let recipients): return "queueActive(\(t(from)), \(size), \(recipients))"
        case .expired(let from): return "expired(\(t(from)))"
        case .removed: return "removed"
        case .notification(let kind, let queueId): return "notification(\(kind.rawValue), \(t(queueId)))"
        case .client(let client): return "client(\(t(client)))"
        case .pickup(let from): return "pickup(\(t(from)))"
        case .reject(let stage, let reply, let from, let to): return "reject(\(t(stage)), \(t(reply)), \(t(from)), \(t(to)))"
        case .other: return "other"
        }
    }
}

extension PostfixLineParser {
    /// Scans a line given as text: the result, and the scanned line when it is a Postfix line.
    public mutating func scan(text: String) -> (result: PostfixScanResult, line: ScannedLine?) {
        let bytes = Array(text.utf8)
        let result = bytes.withUnsafeBytes { scan($0) }
        guard case .line(let scan) = result else { return (result, nil) }
        return (result, ScannedLine(scan: scan, bytes: bytes))
    }
}
