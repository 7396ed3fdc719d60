@testable import DeliverySignals
import Foundation
import TrackingModel

@testable import EventIngest

/// Shared helpers of the Postfix tests: the captured log and a reader over it.
enum PostfixFixture {
    /// `Tests/Fixtures/postfix/postfix.log`: a real Postfix's log, captured on loopback.
    static var capturePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/postfix/postfix.log").path
    }

    /// 2026-11-25 12:00:00 UTC, a little after the capture.
    static let captureReference = Double(CivilDate.days(year: 2026, month: 11, day: 25) * 86_400 + 43_200)

    static func epoch(_ year: Int, _ month: Int, _ day: Int, _ h: Int, _ m: Int, _ s: Int) -> Double {
        Double(CivilDate.days(year: year, month: month, day: day) * 86_400 + h * 3600 + m * 60 + s)
    }

    static func ingestor(
        settings: PostfixCorrelatorSettings = PostfixCorrelatorSettings(), links: QueueLinkStore = InMemoryQueueLinkStore()
    ) -> PostfixLogIngestor {
        PostfixLogIngestor(
            parser: PostfixLineParser(referenceTime: captureReference),
            correlator: PostfixCorrelator(settings: settings, links: links))
    }

    /// All outcomes of feeding `text` line by line.
    static func run(_ text: String, ingestor: PostfixLogIngestor, path: String = "postfix.log") throws
        -> (events: [ParsedEvent], quarantined: [Quarantined])
    {
        var events: [ParsedEvent] = []
        var quarantined: [Quarantined] = []
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
    var typeName: String {
        switch kind {
        case .event(let type): return type.rawValue
        case .ignored: return "ignored"
        }
    }
}
